# One entry point for users and CI. The first target that needs Python builds .venv from the pinned
# requirements.lock, so on a fresh machine with python3 (3.11+) and make, `make test` is the only step.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
PORT   ?= 8080
DOCS_PORT ?= 8000
# Swagger UI for the docs, pinned in tools/docs/package-lock.json; --ignore-scripts: its only
# dependency's install script phones home.
DOCS_RENDERER := tools/docs/node_modules/swagger-ui-dist/package.json
# The OpenAPI linters of `make check` (Redocly CLI, Spectral), pinned in tools/lint/package-lock.json;
# npm writes node_modules/.package-lock.json on every install, so it marks the installed set.
LINTERS := tools/lint/node_modules/.package-lock.json
LINT_BIN := tools/lint/node_modules/.bin
# The contract's documents, one per vintage: the seed, written by hand, and the newer vintage (otc), which
# `make generate` writes from it and the overlay spec/overlays/otc.yaml.
SPECS := spec/openapi.yaml spec/openapi.otc.yaml

# Conformance options: each one given on make's command line (`make conform URL=... TOKEN=...`) reaches
# vj-conform as VJ_<NAME> through the environment, so it is never echoed. Names that only the environment
# sets (CI systems set URL, TOKEN... for their own purposes) are not passed on. The list is every option
# of conformance/config.py (tests/test_cli.py keeps them equal).
CONFORM_OPTIONS := URL PROJECT_ID TOKEN AK SK TRAIN_URL PROFILE SEED REPORT_DIR MAX_CREATES MAX_ALIVE MAX_EXAMPLES \
  REQUEST_TIMEOUT MAX_SECONDS SKEW_SECONDS CA_FILE SCOPE READ_ONLY POLL_SECONDS STRICT RATE CONCURRENCY VINTAGE \
  STATE_DIR MARKERS KEYWORD CONFIG
$(foreach name,$(CONFORM_OPTIONS),$(if $(filter command line,$(origin $(name))),$(eval export VJ_$(name) := $(value $(name)))))

.PHONY: help venv generate check typecheck serve proxy conform test docs docs-serve bench mutation clean

help:
	@echo "make conform [URL=...]   run the conformance suite (no URL: against the bundled reference server)"
	@echo "make test                the project's own tests (spec, models, server, suite against broken servers)"
	@echo "make generate            regenerate spec/openapi.otc.yaml (the overlay applied), generated/models and generated/contract"
	@echo "make check               validate and lint both vintages' specs (Redocly, Spectral), check the generated files for drift,"
	@echo "                         and make typecheck"
	@echo "make typecheck           mypy --strict over the package modelarts_vj (settings: [tool.mypy] in pyproject.toml)"
	@echo "make serve [PORT=8080]   run the reference server (SERVE_ARGS=\"--freedoms --seed N\": every freedom of the contract)"
	@echo "make proxy TARGET=URL [PORT=8081] [PROFILE=either] [VINTAGE=seed] [REPORT_DIR=reports/proxy]"
	@echo "                         forward a client's traffic to URL and judge it both ways"
	@echo "make bench               the suite beside plain schemathesis on every catalogue, across a WAN, behind a"
	@echo "                         throttling gateway, and its promises against wrong servers (long; tools/bench/results*.md;"
	@echo "                         BENCH_ARGS=\"--only catalogue,wan,gateway,promises,generate,load --targets NAME,..."
	@echo "                         --jobs N --before DIR\": some parts, some targets, another checkout's suite beside)"
	@echo "make mutation            mutants of the reference server against the suite and schemathesis (tools/mutation/results.md)"
	@echo "make docs                build the offline docs site into site/"
	@echo "make docs-serve          build it and serve it on http://127.0.0.1:DOCS_PORT/ (default 8000), printing"
	@echo "                         the make serve line that lets its \"Try it out\" call the reference server"

venv: $(READY)
$(READY): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

generate: $(READY)
	$(BIN)/python tools/generate.py

check: $(READY) $(LINTERS) typecheck
	$(BIN)/python -m openapi_spec_validator $(SPECS)
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  $(LINT_BIN)/redocly lint --config tools/lint/redocly.yaml --format stylish $(SPECS)
	$(LINT_BIN)/spectral lint --ruleset tools/lint/.spectral.yaml --fail-severity=warn $(SPECS)
	$(BIN)/python tools/generate.py --check

# The files and options are pyproject.toml's [tool.mypy].
typecheck: $(READY)
	$(BIN)/python -m mypy

$(LINTERS): tools/lint/package.json tools/lint/package-lock.json
	cd tools/lint && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

serve: $(READY)
	$(BIN)/vj-reference-server --port $(PORT) $(SERVE_ARGS)

# PORT, PROFILE, VINTAGE and REPORT_DIR as given on the command line, else the proxy's own defaults.
proxy: $(READY)
	$(BIN)/vj-proxy --target "$(TARGET)" --port $(if $(filter command line,$(origin PORT)),$(PORT),8081) \
	  $(if $(filter command line,$(origin PROFILE)),--profile $(PROFILE)) \
	  $(if $(filter command line,$(origin VINTAGE)),--vintage $(VINTAGE)) \
	  $(if $(filter command line,$(origin REPORT_DIR)),--report-dir "$(REPORT_DIR)") $(PROXY_ARGS)

conform: $(READY)
	$(BIN)/vj-conform

test: check $(DOCS_RENDERER)
	$(BIN)/python -m pytest

$(DOCS_RENDERER): tools/docs/package.json tools/docs/package-lock.json
	cd tools/docs && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

docs: $(READY) $(DOCS_RENDERER)
	$(BIN)/python tools/docs/build.py site

docs-serve: docs
	@echo "Docs: http://127.0.0.1:$(DOCS_PORT)/ . For \"Try it out\" against the reference server, run in another shell:"
	@echo "  make serve SERVE_ARGS=\"--cors-origin http://127.0.0.1:$(DOCS_PORT)\""
	$(BIN)/python -m http.server $(DOCS_PORT) --bind 127.0.0.1 --directory site

bench: $(READY)
	$(BIN)/python tools/bench/bench.py $(BENCH_ARGS)

# Slow (its default 60 mutants take about 10 minutes on 2 cores, 2 at once), so not part of `make test`;
# MUTATION_ARGS="--sample 0" runs every place (247 today) in about 40 minutes. (Estimates from single mutants:
# about 17 s each, 32 s for one inside the credential checks, which is judged twice.)
mutation: $(READY)
	$(BIN)/python tools/mutation/mutation.py $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) reports site .pytest_cache .mypy_cache tools/docs/node_modules tools/lint/node_modules
