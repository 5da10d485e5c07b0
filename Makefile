# Two commands set everything up: `make demo` and `make test`.
# Both create .venv from the pinned versions in requirements.lock when it is missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Pytest exits with 5 when it collected nothing; make passes that code on to .ci/run.
PYTEST_ARGS ?=

.PHONY: demo test bench venv clean chromium bubblewrap

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null || (apt-get install -y chromium || (apt-get update && apt-get install -y chromium))

# Students' notebooks are graded in a bubblewrap sandbox (docs/sandbox.md).
bubblewrap:
	@command -v bwrap >/dev/null || (apt-get install -y bubblewrap || (apt-get update && apt-get install -y bubblewrap))

demo: $(STAMP) bubblewrap
	$(VENV)/bin/smiley-checks demo

test: $(STAMP) chromium bubblewrap
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP) bubblewrap
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) out
