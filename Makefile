# Quick start: `make run` (site with real demo data on SQLite) and `make test`.
SHELL := /bin/bash
PYTHON_BIN ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 \
	$$HOME/.pyenv/versions/3.12*/bin/python3.12; do $$p -c 'import sys; assert sys.version_info >= (3, 12)' \
	>/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DATA_DIR ?= $(or $(INCLUSION_DATA_DIR),../shared/data)
DEPARTEMENTS ?= all
# all: the whole of France from a data folder (--all); no folder (download): Cher, Rhône, Vaucluse only
SELECTION = $(if $(filter all,$(DEPARTEMENTS)),$(if $(wildcard $(DATA_DIR)),--all,--departements 18 69 84),--departements $(DEPARTEMENTS))
HOST ?= 127.0.0.1:8000

.PHONY: run test install migrate data demo lint format check bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON_BIN)" || (echo "Python ≥ 3.12 introuvable (python3.13 ou python3.12)." && exit 1)
	$(PYTHON_BIN) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=1 $(PY) manage.py migrate --noinput

data: migrate
	DEBUG=1 $(PY) manage.py load_open_data $(SELECTION) $(if $(wildcard $(DATA_DIR)),--data-dir $(DATA_DIR))

demo: data
	DEBUG=1 $(PY) manage.py seed_demo

run: demo
	@echo "Site : http://$(HOST)/  (données : $(if $(wildcard $(DATA_DIR)),$(DATA_DIR),téléchargées dans var/opendata))"
	DEBUG=1 $(PY) manage.py runserver $(HOST)

test: install
	INCLUSION_DATA_DIR=$${INCLUSION_DATA_DIR-$(if $(wildcard $(DATA_DIR)),$(abspath $(DATA_DIR)))} $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=diagnostic.example.org EMAIL_HOST=smtp.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
