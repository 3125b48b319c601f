# The two commands a learner or a teacher needs: `make lab` and `make test`.
# Both build the same environment in .venv once and reuse it afterwards.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest

.PHONY: lab app test unit notebooks browser bench bench-browser bench-load sheets setup execute clean

# JupyterLab's defaults: localhost only, with a token. It refuses to run as root
# unless told, and root is common in containers, so tell it there.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

# App mode: the tools in apps/ served by Voila, with no code shown. The same Jupyter
# server as `make lab` (localhost, a token, --allow-root under root), opening on the list of apps.
app: setup
	cd apps && ../$(BIN)/jupyter server $(ROOT_FLAG) --ServerApp.ip=127.0.0.1 --ServerApp.default_url=/voila/tree

test: setup
	$(PYTEST) portrait_lessons tests notebooks --doctest-modules --nbval \
	    --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

unit: setup
	$(PYTEST) portrait_lessons tests --doctest-modules -m "not browser"

notebooks: setup
	$(PYTEST) notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

browser: setup
	$(PYTEST) tests -m browser

bench: setup
	$(BIN)/python benchmarks/run.py

# Key press to new pixels in JupyterLab and Chromium, per tool, against a floor (needs chromium).
bench-browser: setup
	$(BIN)/python benchmarks/browser_latency.py

# Many learners on one machine: step times and memory per kernel against the number of kernels.
bench-load: setup
	$(BIN)/python benchmarks/load.py

# Review sheets: every edit and look at min, mid, neutral and max on every bundled photo,
# into sheets/ (git-ignored). Look at them after touching an image function.
sheets: setup
	$(BIN)/python tools/sheets.py

# Re-run every notebook in place, keeping widget state, after changing one.
execute: setup
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace notebooks/*.ipynb

setup: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes; the package itself is editable.
# "faces" brings the face detector (large); without it the picker starts from a template.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test,faces]'
	# mediapipe brings OpenCV's GUI build, whose cv2 files overwrite the headless build's and need
	# libGL, which server images lack: put the headless files back (same version, nothing else).
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps \
	    "opencv-python-headless==$$($(BIN)/python -c 'from importlib.metadata import version; print(version("opencv-python-headless"))')"
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
