# Two commands do all set-up on a fresh machine:
#   make run    install the runtime into .venv and start the app
#   make test   install everything (Python packages and a browser) and run lint + every test
#   make test-fast   lint + the tests that need no browser (the inner loop)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# make serve: app replicas behind nginx on PORT; STORE: class mode's store (default: SQLite)
REPLICAS ?= 2
PORT ?= 8501
STORE ?=

.PHONY: help run serve test test-fast lint bench browser nginx redis clean

help:  ## the default: say what the targets do
	@echo "EM Playground"
	@echo "  make run    install the runtime into .venv and start the app (http://localhost:8501)"
	@echo "  make serve  REPLICAS=2 PORT=8501 [STORE=redis://host:6379/0]: app replicas behind"
	@echo "             nginx (a class; the class store is SQLite unless STORE says); Ctrl-C stops"
	@echo "  make test   install everything (Python packages and a browser) and run lint + every test"
	@echo "  make test-fast  lint + every test but the browser ones (the inner loop, ~2 min)"
	@echo "  make lint   ruff only"
	@echo "  make bench  the benchmarks (figures in README.md)"
	@echo "  make clean  remove .venv and caches"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.stamp-run: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt requirements-dask.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt -r requirements-dask.txt
	touch $@ $(VENV)/.stamp-run

run: $(VENV)/.stamp-run
	$(PY) -m streamlit run app.py

serve: $(VENV)/.stamp-run nginx
	$(PY) deploy/serve.py --replicas $(REPLICAS) --port $(PORT) $(if $(STORE),--store $(STORE))

browser: $(VENV)/.stamp-dev
	bash scripts/ensure_browser.sh $(PY)

nginx:  ## for make serve and tests/browser/test_proxy.py
	bash scripts/ensure_nginx.sh

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .

redis:  ## class mode's Redis store and its tests
	bash scripts/ensure_redis.sh

test: lint browser nginx redis
	$(PY) -m pytest

test-fast: lint  ## no browser, no nginx: unit, property and AppTest tests
	$(PY) -m pytest -m "not browser"

bench: $(VENV)/.stamp-dev nginx
	$(PY) bench/bench_fit.py
	$(PY) bench/bench_clicks.py
	$(PY) bench/bench_chart_floor.py
	$(PY) bench/bench_restarts.py
	$(PY) bench/bench_dask.py
	$(PY) bench/bench_exports.py
	$(PY) bench/bench_class.py --students 1,10,30 --configs single,proxy2
	$(PY) bench/bench_class_answers.py --students 100 --configs proxy2

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis tests/browser/screenshots
