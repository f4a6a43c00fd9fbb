# Two commands: `make run` (the portal with demo data) and `make test` (every test).
# Both install what they need on a fresh Debian machine with Python 3.11.

VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := dispute_portal
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test test-postgres bench soak browser-deps deploy-deps lint translations

run: $(VENV)/.installed instance/config.py translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# Every test on SQLite (browser tests included), then the suite again on PostgreSQL.
test: $(VENV)/.installed browser-deps deploy-deps translations
	$(BIN)/pytest
	$(MAKE) test-postgres

# A throwaway PostgreSQL server (Debian's, installed if absent) for one run of the suite.
# The photo pipeline's own tests never touch the database, so they run once, above.
test-postgres: $(VENV)/.installed translations
	bash tests/with_postgres.sh $(BIN)/pytest -q --ignore=tests/browser \
		--ignore=tests/test_photos_formats.py --ignore=tests/test_photos_cleaning.py \
		--ignore=tests/test_photos_pixels.py --ignore=tests/test_photo_quality.py \
		--ignore=tests/test_photo_corpus.py

# Benchmarks print ratios against baselines measured in the same run; pyvips is a
# dev-only comparison, installed here and never needed by the portal. page_weight and
# slow_link drive Debian's chromium (installed here if it can be).
# Each script records its headline figures in $(BENCH_SUMMARY); one that fails is noted there
# and the next still runs. The closing table's exit status is the target's: 1 only when
# something could not be measured, never because a goal was missed.
bench: export BENCH_SUMMARY := $(CURDIR)/instance/bench-summary.jsonl
bench: $(VENV)/.installed translations
	rm -f $(BENCH_SUMMARY)
	@$(INSTALL_CHROMIUM) || echo "chromium unavailable: page weight and slow link will be reported as not measured"
	$(BIN)/pip install --quiet pyvips pyvips-binary || echo "pyvips unavailable: its column is skipped"
	$(BIN)/python bench/photo_pipeline.py || $(BIN)/python bench/summary.py --failed photo_pipeline.py
	$(BIN)/python bench/page_weight.py || $(BIN)/python bench/summary.py --failed page_weight.py
	$(BIN)/python bench/slow_link.py || $(BIN)/python bench/summary.py --failed slow_link.py
	@command -v wrk >/dev/null || { apt-get update && apt-get install -y --no-install-recommends wrk; } \
		|| echo "wrk unavailable: bench/server.py and bench/scale.py load with Python threads"
	$(BIN)/python bench/server.py || $(BIN)/python bench/summary.py --failed server.py
	$(BIN)/python bench/scale.py || $(BIN)/python bench/summary.py --failed scale.py
	$(BIN)/python bench/summary.py $(BENCH_SUMMARY)

# The long live checks (about 2 min): an upload storm and slow uploads against gunicorn on
# 127.0.0.1 (soak/soak.py). Prints a table; fails only when a check fails.
soak: $(VENV)/.installed translations
	$(BIN)/python soak/soak.py

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && python3 -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The compiled catalogues (.mo) are build output, not committed: made from the .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d dispute_portal/translations

# A secret key made once per install: sessions stay valid across restarts.
instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@

# Debian's nginx, so that tests/test_deploy.py can check the sample site with `nginx -t`.
deploy-deps:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update && apt-get install -y --no-install-recommends nginx; } || echo "nginx unavailable: its test is skipped"

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser),
# and axe-core from the npm registry for the accessibility checks (tests/browser/.axe/).
AXE := tests/browser/.axe/node_modules/axe-core/axe.min.js
INSTALL_CHROMIUM := command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium; }
browser-deps:
	@$(INSTALL_CHROMIUM)
	@test -f $(AXE) || { command -v npm >/dev/null || { apt-get update && apt-get install -y --no-install-recommends npm; }; \
		npm install --no-save --no-audit --no-fund --prefix tests/browser/.axe axe-core@4.14.1; }
