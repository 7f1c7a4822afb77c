# Jahesh: `make run` to try it, `make test` to prove it. See README.md.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed
TEST_DEPS := $(VENV)/.test-deps-installed
ASSETS := node_modules/.assets-installed
CATALOGUES := var/.catalogues-compiled

.PHONY: run test bench install assets messages clean

run: install
	$(BIN)/jahesh migrate --noinput -v0
	$(BIN)/jahesh demo
	@PORT=$(PORT) bash scripts/serve.sh

install: $(DEPS) $(ASSETS) $(CATALOGUES)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(DEPS): requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/base.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(TEST_DEPS): requirements/test.txt $(DEPS)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/test.txt
	@touch $@

# Front-end packages (fonts, htmx, the date picker) come from npm, pinned by package-lock.json.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

$(CATALOGUES): $(DEPS) $(wildcard jahesh/locale/*/LC_MESSAGES/*.po)
	@mkdir -p var
	$(BIN)/jahesh compile_catalogues
	@touch $@

test: install $(TEST_DEPS)
	bash scripts/run_tests.sh

bench: install $(TEST_DEPS)
	$(BIN)/python -m jahesh.bench

# Refresh the catalogues from the source (needs GNU gettext's xgettext).
messages: $(DEPS)
	$(BIN)/jahesh makemessages -l fa -l en --no-obsolete --no-location --ignore=node_modules --ignore=.venv --ignore=var
	$(BIN)/jahesh compile_catalogues --fill-english

clean:
	rm -rf $(VENV) node_modules var/static $(CATALOGUES)
