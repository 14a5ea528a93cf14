#!/bin/sh
# Migrate, and load the open data on first start (when no commune is in the database yet).
set -e
python manage.py migrate --noinput
if [ "$(python manage.py shell -c 'from territories.models import Commune; print(Commune.objects.exists())')" = "False" ]; then
  echo "First start: loading open data for départements ${INCLUSION_DEPARTEMENTS:-18 69 84}"
  # shellcheck disable=SC2086
  python manage.py load_open_data --departements ${INCLUSION_DEPARTEMENTS:-18 69 84}
  if [ "${INCLUSION_SEED_DEMO:-0}" = "1" ]; then python manage.py seed_demo; fi
fi
exec "$@"
