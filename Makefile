# Two commands on a fresh machine:
#   make run    install into .venv, initialise the SQLite database, start the helpdesk
#   make test   install test dependencies and servers, run the whole suite (SQLite and PostgreSQL)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev test-servers clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pybabel compile --statistics -d helpdesk/translations

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pybabel compile --statistics -d helpdesk/translations

run: install
	$(BIN)/flask --app wsgi init-db
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test-servers:
	@bash .ci/test-servers

test: install-dev test-servers
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
