# The two commands a fresh machine needs:  make demo   and   make test
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo app test wheel-check check-arm64 lint peers bench-char bench-plate bench-handwriting bench-page bench-app clean

# Runtime only (numpy, OpenCV, LiteRT): what a Pi or phone installs.
$(VENV)/.runtime: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e .
	touch $@

# Everything for training and tests: TensorFlow, Kivy, Pillow, pytest, ruff, the Debian fonts, and
# Xvfb + Mesa for the app's window tests.
$(VENV)/.dev: pyproject.toml scripts/install_fonts.sh scripts/install_app_deps.sh scripts/apt_install.sh
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e ".[train,app,test]"
	bash scripts/install_fonts.sh
	bash scripts/install_app_deps.sh
	touch $(VENV)/.runtime $@

# The benches' peers, Tesseract and RapidOCR (bench time only).
$(VENV)/.peers: $(VENV)/.dev scripts/install_peers.sh
	PIP=$(BIN)/pip bash scripts/install_peers.sh
	touch $@

peers: $(VENV)/.peers

demo: $(VENV)/.runtime
	$(BIN)/edgeocr demo --out demo_out

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# The whole suite (slow tests included), then the built wheel checked in a fresh venv outside the checkout.
test: lint
	$(BIN)/python -m pytest
	PY=$(PY) bash scripts/check_wheel.sh

wheel-check:
	PY=$(PY) bash scripts/check_wheel.sh

# Not part of `make test`: the runtime in an emulated arm64 Debian bookworm (qemu), compared with this
# machine's reads. Needs root and network; minutes. Output: docs/reports/arm64/check_arm64.txt.
check-arm64:
	mkdir -p docs/reports/arm64
	HOST_PYTHON=$${HOST_PYTHON:-$(BIN)/python} bash -o pipefail -c \
	  'bash scripts/check_arm64.sh 2>&1 | tee docs/reports/arm64/check_arm64.txt'

bench-char: $(VENV)/.peers
	$(BIN)/edgeocr bench char --mnist ../shared/data/mnist --real ../shared/data/handwritten-chars --publish

bench-plate: $(VENV)/.peers
	$(BIN)/edgeocr bench plate --plates ../shared/data/plates-us --photos ../shared/data/plate-photos --publish

bench-handwriting: $(VENV)/.peers
	$(BIN)/edgeocr bench handwriting --mnist ../shared/data/mnist --real ../shared/data/handwritten-chars --scenes ../shared/data/plate-photos --publish

bench-page: $(VENV)/.peers
	$(BIN)/edgeocr bench page --scenes ../shared/data/plate-photos --publish

bench-app: $(VENV)/.dev
	$(BIN)/edgeocr bench app --publish

clean:
	rm -rf $(VENV) demo_out .pytest_cache .ruff_cache
