# Quick start: `make run` (site with real demo data on SQLite) and `make test`.
SHELL := /bin/bash
PYTHON_BIN ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 \
	$$HOME/.pyenv/versions/3.12*/bin/python3.12; do $$p -c 'import sys; assert sys.version_info >= (3, 12)' \
	>/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Open data, in order: INCLUSION_DATA_DIR, ../shared/data beside the project, then the embedded copy fixtures/.
SHARED_DATA := $(wildcard ../shared/data)
DATA_DIR ?= $(or $(INCLUSION_DATA_DIR),$(SHARED_DATA),fixtures)
EMBEDDED_LABEL := fixtures/ (copie embarquée ; voir fixtures/PROVENANCE.md)
DATA_LABEL = $(strip $(if $(filter fixtures fixtures/,$(DATA_DIR)),$(EMBEDDED_LABEL),$(DATA_DIR) \
	$(if $(filter $(DATA_DIR),$(INCLUSION_DATA_DIR)),(INCLUSION_DATA_DIR),$(if $(filter $(DATA_DIR),$(SHARED_DATA)),(dossier de données voisin)))))
DEPARTEMENTS ?= all
# all: every département's contours (--all; communes, IFN and places are always national); a download: 18 69 84
SELECTION = $(if $(filter all,$(DEPARTEMENTS)),--all,--departements $(DEPARTEMENTS))
DOWNLOAD_SELECTION = --departements $(if $(filter all,$(DEPARTEMENTS)),18 69 84,$(DEPARTEMENTS))
HOST ?= 127.0.0.1:8000

.PHONY: run test install migrate data data-download demo lint format check check-deploy-stack bench clean backup restore

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON_BIN)" || (echo "Python ≥ 3.12 introuvable (python3.13 ou python3.12)." && exit 1)
	$(PYTHON_BIN) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable

data: migrate
	@echo "Données : $(DATA_LABEL)"
	DEBUG=1 $(PY) manage.py load_open_data $(SELECTION) --data-dir $(DATA_DIR)
	DEBUG=1 $(PY) manage.py warm_cache

# Explicit: download the official files into var/opendata/ instead (needs a network; see README "Open data").
data-download: migrate
	@echo "Données : fichiers officiels téléchargés dans var/opendata/"
	DEBUG=1 $(PY) manage.py load_open_data $(DOWNLOAD_SELECTION) --download
	DEBUG=1 $(PY) manage.py warm_cache

demo: data
	DEBUG=1 $(PY) manage.py seed_demo

# The worker (imports of /equipe/donnees/) runs in the background beside runserver and stops with it (Ctrl-C).
run: demo
	@echo "Site : http://$(HOST)/  (données : $(DATA_LABEL))"
	@echo "Worker : imports de /equipe/donnees/ traités en arrière-plan (manage.py worker), arrêté avec le site."
	DEBUG=1 $(PY) manage.py worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT; \
	DEBUG=1 $(PY) manage.py runserver $(HOST)

test: install
	INCLUSION_DATA_DIR=$${INCLUSION_DATA_DIR-$(if $(SHARED_DATA),$(abspath $(SHARED_DATA)))} $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=diagnostic.example.org EMAIL_HOST=smtp.example.org $(PY) manage.py check --deploy --fail-level WARNING

# docker-compose.yml (docker-compose config), docker/entrypoint.sh (sh -n, shellcheck) and a first start through the
# entrypoint on a temporary SQLite database from fixtures/ (.ci/deploy-check; CI runs it).
check-deploy-stack: install
	.ci/deploy-check

# Backups (inclusion/backup.py): pg_dump/pg_restore on PostgreSQL, the SQLite backup API on SQLite.
# `make backup` writes var/backups/inclusion-<date>.{dump,sqlite3} (or BACKUP=file);
# `make restore FILE=var/backups/...` replaces the database's content after a confirmation.
backup: install
	$(PY) manage.py backup $(if $(BACKUP),--output $(BACKUP))

restore: install
	@test -n "$(FILE)" || (echo "Indiquez la sauvegarde : make restore FILE=var/backups/inclusion-....dump" && exit 1)
	$(PY) manage.py restore $(FILE)

clean:
	rm -rf $(VENV) var
