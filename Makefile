# One entry point for users and CI. The first target that needs Python builds .venv from the pinned
# requirements.lock, so on a fresh machine with python3 (3.11+) and make, `make test` is the only step.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
PORT   ?= 8080

# Conformance options, passed to vj-conform through the environment (empty means "default").
export URL PROJECT_ID TOKEN TRAIN_URL PROFILE SEED REPORT_DIR MAX_CREATES CONFIG

.PHONY: help venv generate check serve conform test clean

help:
	@echo "make conform [URL=...]   run the conformance suite (no URL: against the bundled reference server)"
	@echo "make test                the project's own tests (spec, models, server, suite against broken servers)"
	@echo "make generate            regenerate generated/vj_models from spec/openapi.yaml"
	@echo "make check               validate the spec and check the models for drift"
	@echo "make serve [PORT=8080]   run the reference server"

venv: $(READY)
$(READY): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

generate: $(READY)
	$(BIN)/python tools/generate.py

check: $(READY)
	$(BIN)/python -m openapi_spec_validator spec/openapi.yaml
	$(BIN)/python tools/generate.py --check

serve: $(READY)
	$(BIN)/vj-reference-server --port $(PORT) $(SERVE_ARGS)

conform: $(READY)
	$(BIN)/vj-conform

test: check
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) reports site .pytest_cache
