#!/bin/sh
# Entry point of the image (web, worker and purge of docker-compose.yml), also run outside Docker by
# .ci/deploy-check. POSIX sh. It waits for the database, then, by INCLUSION_SETUP:
#   prepare (default; the web service): create the cache table, apply the migrations, load the open data on first
#     start (no commune in the database yet), fill the shared cache, then run the command (gunicorn);
#   wait (worker, purge): wait until the migrations are applied by the web service, then run the command.
# Only one process migrates and loads: two concurrent `migrate` can both try the same migration, and the
# national load is one long transaction that a second loader would only repeat. Run one web container.
#
# First start, by INCLUSION_DATA_SOURCE (default: folder when INCLUSION_DATA_DIR is set, else fixtures):
#   fixtures  the embedded copy fixtures/ (no network; contours of 18, 69 and 84 only, see fixtures/PROVENANCE.md);
#   download  the official files, downloaded into INCLUSION_DOWNLOAD_DIR (var/opendata/); the IFN has no open bulk
#             file: INCLUSION_IFN_FILE names the IFN file(s) to place among them (space-separated, data-folder format);
#   folder    INCLUSION_DATA_DIR, a folder laid out like ../shared/data (mounted read-only).
# Contours: all of France (--all), or INCLUSION_DEPARTEMENTS="18 69 84"; communes, IFN and places are always national.
# INCLUSION_SEED_DEMO=1 adds the demo accounts (never on a production site).
# -f: no filename expansion of the unquoted options below.
set -euf

# The project root: /app in the image, the repository elsewhere.
cd "$(dirname "$0")/.."

log() { echo "entrypoint: $*"; }
fail() {
  echo "entrypoint: $*" >&2
  exit 1
}

[ "$#" -gt 0 ] || fail "no command to run (the image's CMD starts gunicorn)."

setup=${INCLUSION_SETUP:-prepare}
case "$setup" in
  prepare | wait) ;;
  *) fail "INCLUSION_SETUP=$setup: expected prepare (web) or wait (worker, purge)." ;;
esac

# Checked at every start, before anything is written: a wrong combination stops here with a clear message.
data_dir=${INCLUSION_DATA_DIR:-}
if [ -n "$data_dir" ]; then default_source=folder; else default_source=fixtures; fi
data_source=${INCLUSION_DATA_SOURCE:-$default_source}
case "$data_source" in
  fixtures | download)
    [ -z "$data_dir" ] || fail "INCLUSION_DATA_SOURCE=$data_source but INCLUSION_DATA_DIR is set: set INCLUSION_DATA_SOURCE=folder, or unset INCLUSION_DATA_DIR."
    ;;
  folder)
    [ -n "$data_dir" ] || fail "INCLUSION_DATA_SOURCE=folder needs INCLUSION_DATA_DIR (a folder laid out like ../shared/data)."
    [ -d "$data_dir" ] || fail "INCLUSION_DATA_DIR=$data_dir is not a folder (is it mounted in this container?)."
    ;;
  *) fail "INCLUSION_DATA_SOURCE=$data_source: expected fixtures, download or folder." ;;
esac
if [ -n "${INCLUSION_IFN_FILE:-}" ] && [ "$data_source" != download ]; then
  fail "INCLUSION_IFN_FILE goes with INCLUSION_DATA_SOURCE=download (a data folder and fixtures/ have their own IFN)."
fi

# The database may start after this container (without compose's depends_on, or while PostgreSQL initialises):
# retry for INCLUSION_DB_WAIT_SECONDS (default 120), saying why; any other error (settings) stops at once.
python - <<'PY'
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
import django

django.setup()
from django.db import OperationalError, connection

wait = int(os.environ.get("INCLUSION_DB_WAIT_SECONDS", "").strip() or 120)
deadline = time.monotonic() + wait
attempt = 0
while True:
    attempt += 1
    try:
        connection.ensure_connection()
        break
    except OperationalError as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if time.monotonic() >= deadline:
            sys.exit(f"entrypoint: the database does not answer after {attempt} attempts in {wait} s: {reason}")
        print(f"entrypoint: waiting for the database (attempt {attempt}): {reason}", flush=True)
        time.sleep(2)
PY

if [ "$setup" = wait ]; then
  # The web service migrates; start only once its migrations are applied (also after an upgrade of the image).
  # Silent while migrations are pending; an error (settings, database) is shown by its last line.
  until problem=$(python manage.py migrate --check 2>&1); do
    log "waiting for the web service to apply the migrations${problem:+ ($(printf '%s\n' "$problem" | tail -n 1))}"
    sleep 10
  done
else
  # The cache table first: once `migrate --check` passes, the worker finds everything in place.
  python manage.py createcachetable
  python manage.py migrate --noinput
  communes=$(python manage.py shell --no-imports -c 'from territories.models import Commune; print(Commune.objects.count())')
  if [ "$communes" = 0 ]; then
    # Options split on spaces (no quoting): département codes and IFN file paths contain none.
    if [ -n "${INCLUSION_DEPARTEMENTS:-}" ]; then load="--departements $INCLUSION_DEPARTEMENTS"; else load=--all; fi
    # fixtures and folder: load_open_data reads INCLUSION_DATA_DIR, else the embedded fixtures/.
    if [ "$data_source" = download ]; then
      load="$load --download"
      for ifn in ${INCLUSION_IFN_FILE:-}; do
        [ -f "$ifn" ] || fail "INCLUSION_IFN_FILE: $ifn is not a file (is it mounted in this container?)."
        load="$load --ifn $ifn"
      done
      [ -n "${INCLUSION_IFN_FILE:-}" ] || log "no INCLUSION_IFN_FILE: the communes will have no IFN (no open bulk file)."
    fi
    log "first start, loading the open data from $data_source${data_dir:+ $data_dir}: load_open_data $load"
    # shellcheck disable=SC2086 # word splitting wanted, see above
    python manage.py load_open_data $load --no-progress
    if [ "${INCLUSION_SEED_DEMO:-0}" = 1 ]; then python manage.py seed_demo; fi
  else
    log "$communes communes already loaded: no first-start load (update through /equipe/donnees/ or load_open_data)."
  fi
  # Maps and medians of every département and région in the shared cache: the first visitors do not pay for them.
  python manage.py warm_cache
fi

if [ "$data_source" = download ]; then
  # Imports from the staff page re-read the folder the site was loaded from (territories/tasks.py): here the
  # downloaded files, shared by web and worker through the var volume.
  INCLUSION_DATA_DIR=$(python manage.py shell --no-imports -c 'from django.conf import settings; print(settings.INCLUSION_DOWNLOAD_DIR)')
  export INCLUSION_DATA_DIR
fi

exec "$@"
