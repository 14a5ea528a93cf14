#!/bin/sh
# Migrate, load the open data on first start (when no commune is in the database yet), then fill the shared cache
# (maps and medians of every département: the first visitors do not pay for them).
set -e
python manage.py migrate --noinput
python manage.py createcachetable
if [ "$(python manage.py shell -c 'from territories.models import Commune; print(Commune.objects.exists())')" = "False" ]; then
  echo "First start: loading open data for départements ${INCLUSION_DEPARTEMENTS:-18 69 84}"
  # shellcheck disable=SC2086
  python manage.py load_open_data --departements ${INCLUSION_DEPARTEMENTS:-18 69 84}
  if [ "${INCLUSION_SEED_DEMO:-0}" = "1" ]; then python manage.py seed_demo; fi
fi
python manage.py warm_cache
exec "$@"
