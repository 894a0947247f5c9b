# tflab: `make run` opens the app, `make test` runs the whole suite.
# Both set up .venv themselves on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.tflab-installed

.PHONY: run test lint system-deps bench clean package package-test translations wheelhouse wheelhouse-test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip >/dev/null
	$(PY) -m pip install -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m ui

# Debian packages the tests and screenshots need: a virtual X server and a CJK font.
# Installed only when missing, and only where apt-get can run (root).
system-deps:
	@bash packaging/system-deps.sh

test: $(STAMP) system-deps lint
	QT_QPA_PLATFORM=offscreen TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m pytest -q

# ruff (pyflakes, isort, pyupgrade, bugbear, no stale noqa), the import contracts in
# pyproject.toml (tflab/ never imports Qt or ui), and the installers' workflow checked by
# actionlint (syntax, expressions, runners) and zizmor (pinned actions, credentials,
# injection, cache poisoning), offline.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/actionlint .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline --quiet .github/workflows

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do TF_CPP_MIN_LOG_LEVEL=3 $(PY) $$b || exit 1; done

# Extract the interface's strings into resources/translations/tflab_zh_CN.ts (keeping the
# translations it has) and compile it into the .qm the app loads.
translations: $(STAMP)
	bash packaging/translations.sh

clean:
	rm -rf $(VENV) build dist *.egg-info

# The Linux installer: the PyInstaller bundle, then build/tflab_<version>_amd64.deb.
package: $(STAMP)
	bash packaging/build.sh
	bash packaging/linux/build-deb.sh

# Build the installer, unpack it into a temporary folder and run its self-test,
# offscreen, with the network cut off and on a virtual X server.
package-test: $(STAMP) system-deps
	bash packaging/package-test.sh

# Every wheel tflab needs for one platform and Python, with install scripts, to install
# with no network (docs/installing.md): make wheelhouse PLATFORM=windows PYVER=3.12
PLATFORM ?= linux
PYVER ?= $(shell $(PY) -c 'import sys; print(f"{sys.version_info.major}.{sys.version_info.minor}")' 2>/dev/null)
wheelhouse: $(STAMP)
	$(PY) packaging/wheelhouse.py build --platform $(PLATFORM) --python $(PYVER)

# Build the Linux wheelhouse, install and self-test it with the network cut off, and
# check that Windows and macOS resolve to wheels. Downloads: not part of `make test`.
wheelhouse-test: $(STAMP) system-deps
	bash packaging/wheelhouse-test.sh
