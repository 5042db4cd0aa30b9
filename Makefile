# The two commands a newcomer needs: `make run` and `make test`. Everything else is for them.
VENV := .venv
PY := $(VENV)/bin/python
DB ?= $(or $(PLAN_EXPLORER_DB),data/plan.duckdb)
INSTALLED := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
PORT ?= 8501

.PHONY: install run test lint bench db clean

$(INSTALLED): requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(INSTALLED)

$(DB): $(INSTALLED) $(wildcard data/raw/*.txt data/reference/*.csv data/reference/*.json) $(wildcard etl/*.py etl/*.sql)
	$(PY) -m etl build --db $(DB)

db: $(DB)

run: $(DB)
	PLAN_EXPLORER_DB=$(DB) $(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

test: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

bench: $(DB)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .ruff_cache
