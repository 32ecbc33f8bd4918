# Practice Commons: `make run` serves the site, `make test` runs every test. `make help` lists the rest.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: help install postgres engine engine-stop test-engine-faults run serve migrate demo index worker test test-postgres test-sqlite lint format messages compilemessages check-deploy bench load pages-bench clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) ## Create .venv and install the project and its tools

postgres: ## Install Debian's PostgreSQL if missing and start it (trust on 127.0.0.1, user postgres)
	bash scripts/postgres.sh

ENGINE_PORT ?= 9200

engine: ## Fetch and start the search engine on 127.0.0.1 (Elasticsearch 9, port ENGINE_PORT, default 9200)
	mvn -q -f engine/pom.xml package
	ENGINE_PORT=$(ENGINE_PORT) bash engine/start.sh

engine-stop: ## Stop the search engine that `make engine` started on ENGINE_PORT
	ENGINE_PORT=$(ENGINE_PORT) bash engine/stop.sh

test-engine-faults: install ## SIGKILL Elasticsearch nodes of its own (ports 9251-9253) during rebuilds, drains and searches (after make engine)
	ELASTICSEARCH_URL=$${ELASTICSEARCH_URL:-http://127.0.0.1:$(ENGINE_PORT)} REQUIRE_COMPONENTS=elasticsearch \
		$(BIN)/pytest -m engine_faults tests/search/test_engine_faults.py $(PYTEST_ARGS)

migrate: install ## Apply database migrations (SQLite by default, DATABASE_URL otherwise)
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

compilemessages: install ## Compile the UI translations in site/locale
	$(MANAGE) compile_translations

demo: migrate ## Load the demo content when the database is empty
	$(MANAGE) load_demo --if-empty

index: install ## Build the public search index
	$(MANAGE) search_index rebuild

run: migrate compilemessages demo index ## Set everything up and serve on PORT (default 8000) with a task worker
	$(MANAGE) collectstatic --noinput --verbosity 0
	trap 'kill 0' EXIT; $(MANAGE) db_worker & $(MANAGE) runserver 0.0.0.0:$(PORT)

serve: install ## Serve on PORT without setting anything up
	$(MANAGE) runserver 0.0.0.0:$(PORT)

worker: install ## Run the background task worker (search indexing, email)
	$(MANAGE) db_worker

test: install compilemessages ## Run the whole test suite (DATABASE_URL picks the database)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install ## Extract UI strings into site/locale/*/LC_MESSAGES/django.po
	$(MANAGE) makemessages --all --ignore=.venv --ignore=static --ignore=media --no-obsolete

check-deploy: install ## Django's deployment checks under production settings
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$${SECRET_KEY:-check-deploy-$$RANDOM-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ} \
		$(MANAGE) check --deploy --fail-level WARNING

bench: install ## Search benchmark on PostgreSQL (see bench/search.py)
	$(BIN)/python bench/search.py

LOAD_SECONDS ?= 60

load: install ## Load test of the production setup on loopback, LOAD_SECONDS per page (see bench/load.py)
	command -v wrk >/dev/null || apt-get install -y wrk
	command -v redis-server >/dev/null || apt-get install -y redis-server
	LOAD_SECONDS=$(LOAD_SECONDS) $(BIN)/python bench/load.py

pages-bench: install ## Single-request timings and query counts of every page at 2,300 and 100,000 practices (bench/pages.py)
	$(BIN)/python bench/pages.py

clean: ## Remove the virtualenv, the SQLite database and collected files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* static media
