# Two commands set everything up: `make demo` and `make test`.
# Both create .venv from the pinned versions in requirements.lock when it is missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# The students' environment: the same pinned packages (read from .venv's site-packages as a
# plain folder, so .venv's .pth files are not run) and smiley_checks, but not the grader.
# Autograding runs every student kernel with this Python (smiley_grader/student_kernel.py).
STUDENT_VENV := $(VENV)-student
SITE := lib/python$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')/site-packages
# Pytest exits with 5 when it collected nothing; make passes that code on to .ci/run.
PYTEST_ARGS ?=

.PHONY: demo test bench venv clean chromium

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml grader/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . -e grader
	rm -rf $(STUDENT_VENV) && $(PYTHON) -m venv --without-pip $(STUDENT_VENV)
	echo "$(abspath $(VENV))/$(SITE)" > $(STUDENT_VENV)/$(SITE)/_pinned_packages.pth
	$(STUDENT_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null || (apt-get install -y chromium || (apt-get update && apt-get install -y chromium))

demo: $(STAMP)
	$(VENV)/bin/smiley-checks demo

test: $(STAMP) chromium
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) $(STUDENT_VENV) out
