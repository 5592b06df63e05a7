# The two commands of the README's quick start:
#   make run    set up, load the demo district (first run only), serve the API at http://127.0.0.1:8000
#   make test   set up, run the whole test suite (SQLite and PostgreSQL)
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test lint

run: $(STAMP)
	$(VENV)/bin/hazard-ledger serve --demo

test: $(STAMP)
	$(VENV)/bin/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check domain projections audit adapters app demo web api cli bench tests

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	@# The browser tests (tests/browser) drive Debian's Chromium; CJK fonts make their screenshots legible.
	@# Not fatal: without it `make run` still works and the browser tests skip (they fail where CI is set).
	command -v chromium >/dev/null 2>&1 || ( \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk \
	) || echo "warning: could not install chromium: the browser tests will be skipped" >&2
	@# tests/integration/test_printed_forms.py prints the annex XLSX to PDF with LibreOffice and counts the pages (poppler).
	command -v soffice >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 || ( \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    libreoffice-calc-nogui poppler-utils \
	) || echo "warning: could not install LibreOffice: the printed-form tests will be skipped" >&2
	@# Official documents' PDFs embed a TrueType CJK font (reportlab cannot embed Noto CJK's CFF outlines).
	test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || ( \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-wqy-zenhei \
	) || echo "warning: could not install fonts-wqy-zenhei: documents cannot be rendered" >&2
	touch $(STAMP)
