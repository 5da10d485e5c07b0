# Two commands set everything up: `make demo` and `make test`.
# Both create .venv from the pinned versions in requirements.lock when it is missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Two environments. .venv-student is what a student's kernel gets: the pinned packages and
# smiley_checks, not the grader. .venv is the teacher's (and the tests'): it reads the same packages
# from .venv-student's site-packages as a plain folder, adds smiley_checks and the grader package
# (grader/), and shares .venv-student's Jupyter data (the nbgrader extension). Autograding runs
# every student kernel with .venv-student's Python (grader/smiley_grader/student_kernel.py).
# The teacher's commands (nbgrader, jupyter, jupyter-lab, ...) are installed in .venv-student/bin
# with that Python; .venv/bin gets a copy of each that starts .venv's Python instead, so that
# `source .venv/bin/activate` gives the teacher nbgrader with the grader package (pip's own
# scripts excepted: .venv has no pip of its own).
STUDENT_VENV := $(VENV)-student
SPY  := $(STUDENT_VENV)/bin/python
SITE := lib/python$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')/site-packages
# Pytest exits with 5 when it collected nothing; make passes that code on to .ci/run.
PYTEST_ARGS ?=

.PHONY: demo test bench venv clean chromium bubblewrap proxy

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml grader/pyproject.toml
	@test -x $(SPY) || $(PYTHON) -m venv $(STUDENT_VENV)
	$(SPY) -m pip install --quiet --upgrade "pip>=24"
	$(SPY) -m pip install --quiet -r requirements.lock
	$(SPY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV)
	echo "$(abspath $(STUDENT_VENV))/$(SITE)" > $(VENV)/$(SITE)/_student_packages.pth
	ln -sfn "$(abspath $(STUDENT_VENV))/share" $(VENV)/share
	mkdir -p $(VENV)/etc && ln -sfn "$(abspath $(STUDENT_VENV))/etc/jupyter" $(VENV)/etc/jupyter
	$(PY) -m pip install --quiet --no-deps --no-build-isolation --ignore-installed -e . -e grader
	@for script in $(STUDENT_VENV)/bin/*; do \
	  name=$$(basename "$$script"); \
	  case "$$name" in pip*) continue ;; esac; \
	  test "$$(head -n 1 "$$script")" = "#!$(abspath $(SPY))" || continue; \
	  test "$(VENV)/bin/$$name" -nt "$$script" && continue; \
	  sed '1s|.*|#!$(abspath $(PY))|' "$$script" > "$(VENV)/bin/$$name" && chmod +x "$(VENV)/bin/$$name"; \
	done
	@touch $(STAMP)

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null || (apt-get install -y chromium || (apt-get update && apt-get install -y chromium))

# Students' notebooks are graded in a bubblewrap sandbox (docs/sandbox.md).
bubblewrap:
	@command -v bwrap >/dev/null || (apt-get install -y bubblewrap || (apt-get update && apt-get install -y bubblewrap))

# JupyterHub's proxy, from the npm registry (pinned in hub/package-lock.json), for the hub test.
proxy: hub/node_modules/.installed-stamp

hub/node_modules/.installed-stamp: hub/package.json hub/package-lock.json
	cd hub && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: $(STAMP) bubblewrap
	$(VENV)/bin/smiley-checks demo

test: $(STAMP) chromium bubblewrap proxy
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP) bubblewrap
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) $(STUDENT_VENV) out
