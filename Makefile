# ail — two commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT      ?= swift
AIL_HOME   ?= $(CURDIR)/.ail
BENCH_HOME := $(CURDIR)/.bench/home
BENCH_DSN  := host=$(BENCH_HOME)/run port=5432 user=postgres dbname=ail

.PHONY: ai.analytics ai.learning.export all deps build release install test test-quick fuzz demo nab bench bench-copy bench-numerics bench-ingest bench-data bench-mine bench-models bench-forecast bench-insights anomaly-null db-stop clean help calibrate-insights

all: build

help:
	@echo "make demo   set up everything and run the pipeline on the embedded database"
	@echo "make test   install what is missing, build, and run every test on a throwaway PostgreSQL"
	@echo "make install PREFIX=DIR   install a release ail into DIR/bin (works from any folder)"
	@echo "make bench  benchmarks against peer tools (psql \\copy, statsmodels, scikit-learn)"

## System packages (LAPACK/BLAS, libpq, PostgreSQL server), installed when missing.
deps:
	@scripts/ensure-system-packages.sh

build: deps
	$(SWIFT) build --product ail

## `make install PREFIX=/opt/ail`: a release `ail` (Swift runtime linked in, migrations built in)
## that runs from any folder.
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build -c release --product ail --static-swift-stdlib
	install -d "$(PREFIX)/bin"
	install -m 755 .build/release/ail "$(PREFIX)/bin/ail"
	@echo "installed $(PREFIX)/bin/ail ($$("$(PREFIX)/bin/ail" --version))"

release: deps
	$(SWIFT) build -c release --product ail
	$(SWIFT) build -c release --product ail-bench

## Every test; the tests start and remove their own PostgreSQL cluster.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

## A longer run of the ingest fuzzer (the suite runs one round of 300 lines): FUZZ_ROUNDS seeds
## of FUZZ_LINES mutated lines, each ingested at chunk sizes 1, 37 and 20,000 and once more.
FUZZ_ROUNDS ?= 40
FUZZ_LINES  ?= 1000
fuzz: deps
	$(SWIFT) build --build-tests
	AIL_FUZZ_ROUNDS=$(FUZZ_ROUNDS) AIL_FUZZ_LINES=$(FUZZ_LINES) AIL_FUZZ_VERBOSE=1 $(SWIFT) test --skip-build --filter IngestFuzzTests

## Every test but the heavy suites (fuzzing, crash, concurrency, process tests), for a quick local
## check; CI runs `make test`.
test-quick: deps
	$(SWIFT) build --build-tests
	AIL_SKIP_HEAVY=1 $(SWIFT) test

## The main job end to end on the embedded default database.
demo: build
	AIL_HOME=$(AIL_HOME) .build/debug/ail db start
	AIL_HOME=$(AIL_HOME) .build/debug/ail simulate --developers 40 --days 90 --seed 7 --load
	@# Scheduled jobs for the commands that exist today (later issues add train/score/insight jobs);
	@# re-adding an identical job changes nothing, so the demo can be re-run.
	@mkdir -p $(AIL_HOME)/spool && touch $(AIL_HOME)/spool/events.ndjson
	AIL_HOME=$(AIL_HOME) .build/debug/ail jobs add nightly-ingest --schedule "0 3 * * *" -- ingest $(AIL_HOME)/spool/events.ndjson
	AIL_HOME=$(AIL_HOME) .build/debug/ail jobs add morning-status --schedule "0 7 * * mon-fri" --timezone Europe/Berlin -- db status --format json
	AIL_HOME=$(AIL_HOME) .build/debug/ail jobs add satisfaction-forecast --schedule "30 2 * * *" -- forecast satisfaction --days 14 --format json
	AIL_HOME=$(AIL_HOME) .build/debug/ail jobs list
	AIL_HOME=$(AIL_HOME) .build/debug/ail db status
	@echo; echo "Tools ranked by the lower 95% bound of their success rate (view tool_effectiveness_ranking):"
	@psql "$$(AIL_HOME=$(AIL_HOME) .build/debug/ail db status | sed -n 's/^dsn: *//p')" -X -q -c \
	  "SELECT effectiveness_rank AS rank, tool_name, usage_count, round(success_rate::numeric, 3) AS success_rate, round(success_rate_lower_95::numeric, 3) AS lower_95, round(avg_time::numeric) AS avg_ms FROM tool_effectiveness_ranking ORDER BY effectiveness_rank"
	@echo; echo "Why do run_tests and edit_file fail? A logistic fit straight from PostgreSQL (examples/tool-failure-features.sql),"
	@echo "errors clustered by developer. Planted: run_tests fails 45% with diagnostics context vs 20%; edit_file 8% with open_files vs 25%."
	AIL_HOME=$(AIL_HOME) .build/debug/ail fit logistic --sql "$$(cat examples/tool-failure-features.sql)" \
	  --formula "failed ~ C(tool_name) * (diagnostics + open_files)" --cluster developer_id
	@echo; echo "Prediction models trained from PostgreSQL (earliest 80% train, latest 20% held out; versions in the registry and models/):"
	AIL_HOME=$(AIL_HOME) .build/debug/ail train --all --models-dir $(AIL_HOME)/models
	AIL_HOME=$(AIL_HOME) .build/debug/ail models list
	@echo; echo "Which tool for a bugfix when diagnostics are present? (tool_failure champion, partially pooled)"
	AIL_HOME=$(AIL_HOME) .build/debug/ail recommend-tool --task bugfix --context '{"ctx_diagnostics": 1}' --top 4
	@echo; echo "Patterns that go with success and failure (contrasts, tool-call sequences, error templates; BH q-values over every test):"
	AIL_HOME=$(AIL_HOME) .build/debug/ail learning analyze-patterns --top 8
	@echo; echo "Does the assistant serve the two cohorts alike? Raw and task-mix-adjusted differences, classifier error rates by cohort:"
	AIL_HOME=$(AIL_HOME) .build/debug/ail fairness report --group cohort --resamples 1000
	@echo; echo "The same audit of the registry's success champion (scored on the rows it was not fitted on):"
	AIL_HOME=$(AIL_HOME) .build/debug/ail fairness report --group cohort --model success --resamples 1000 | tail -n 12
	@echo; echo "Satisfaction forecast for the next 14 days (planted trend: -0.2 stars per 30 days):"
	AIL_HOME=$(AIL_HOME) .build/debug/ail forecast satisfaction --days 14
	@echo; echo "Anomalies in the daily and hourly series (planted: web_search latency x2 from day 60), recorded in ai_anomalies:"
	AIL_HOME=$(AIL_HOME) .build/debug/ail detect anomalies | head -12
	@echo; echo "Insights: every hypothesis in one Benjamini-Hochberg family (adjusted effects, stored patterns and anomalies, fairness, satisfaction forecast, model drift), confidence = 1 - local FDR, ranked by impact x confidence:"
	AIL_HOME=$(AIL_HOME) .build/debug/ail learning generate-insights --show 0
	AIL_HOME=$(AIL_HOME) .build/debug/ail insights --limit 5
	@echo; echo "Alerts: thresholds of examples/alerts.yaml (whole 95% interval past the threshold) and recent anomalies, recorded in ai_alerts:"
	AIL_HOME=$(AIL_HOME) .build/debug/ail alerts --config examples/alerts.yaml | head -12
	@# Keep these last: the dashboard, then the HTML report (with the forecast and fairness sections) and its path.
	AIL_HOME=$(AIL_HOME) .build/debug/ail dashboard --days 7
	AIL_HOME=$(AIL_HOME) .build/debug/ail report --days 30 --out $(REPORT)
	@grep -q 'id="chart-satisfaction-forecast"' $(REPORT) && grep -q 'id="chart-fairness-acceptance"' $(REPORT) || { echo "the report lacks the forecast or fairness chart"; exit 1; }
	@echo; echo "HTML report (self-contained, open it in any browser): $(REPORT)"

## The seed's names: the dashboard, and the notebook export (CSV per table, data dictionary, manifest).
REPORT ?= $(AIL_HOME)/report.html
ai.analytics: build
	AIL_HOME=$(AIL_HOME) .build/debug/ail dashboard

NOTEBOOKS ?= notebooks-data
ai.learning.export: build
	AIL_HOME=$(AIL_HOME) .build/debug/ail learning export --out $(NOTEBOOKS)

## Benchmarks (not part of `make test`): a throwaway server under .bench/, peers in the same run.
bench: bench-copy bench-ingest bench-numerics bench-data bench-mine bench-models bench-forecast bench-insights

## bench-models: BENCH_ROWS interactions (default 1,000,000) for `ail train success` and bulk scoring.
BENCH_ROWS ?= 1000000
bench-copy bench-ingest bench-data bench-models: release
	AIL_HOME=$(BENCH_HOME) .build/release/ail db start
	AIL_BENCH_DSN="$(BENCH_DSN)" .build/release/ail-bench $(@:bench-%=%) $(if $(filter bench-models,$@),--rows $(BENCH_ROWS)); rc=$$?; \
	  AIL_HOME=$(BENCH_HOME) .build/release/ail db stop; exit $$rc

## bench-insights: `ail learning generate-insights` on ~1,000,000 simulated events (BENCH_DEVELOPERS
## developers × 90 days, default 450), time per stage and peak memory; BENCH_KEEP=1 reuses the loaded data.
BENCH_DEVELOPERS ?= 450
bench-insights: release
	AIL_HOME=$(BENCH_HOME) .build/release/ail db start
	AIL_BENCH_DSN="$(BENCH_DSN)" .build/release/ail-bench insights --developers $(BENCH_DEVELOPERS) $(if $(BENCH_KEEP),--keep-data); rc=$$?; \
	  AIL_HOME=$(BENCH_HOME) .build/release/ail db stop; exit $$rc

## statsmodels and scikit-learn are installed by the benchmark into .venv-bench.
bench-numerics: release
	.build/release/ail-bench numerics

## FP-Growth against mlxtend and pyfim (installed into .venv-bench by the benchmark).
bench-mine: release
	.build/release/ail-bench mine

## ETS (`ail forecast`, auto model) against statsforecast's AutoETS (installed into .venv-bench) on
## statsmodels' bundled monthly and quarterly series: holdout MASE, interval coverage, time.
bench-forecast: release
	.build/release/ail-bench forecast

## The anomaly detector on every series of ../shared/refdata/nab, batch and --online, scored with NAB's
## standard profile (per series: windows detected, false alarms, normalised score; then the corpus).
NAB_DIR ?= $(CURDIR)/../shared/refdata/nab
nab: deps
	$(SWIFT) build --product ail-bench
	.build/debug/ail-bench nab "$(NAB_DIR)"

## The no-regression scenario on more seeds than `make test` runs (seed 7): nothing at medium or
## high severity may be reported (issue 13). AIL_NULL_SEEDS="7 11 23 31 42" by default.
AIL_NULL_SEEDS ?= 7 11 23 31 42
anomaly-null: deps
	$(SWIFT) build --build-tests
	AIL_NULL_SEEDS="$(AIL_NULL_SEEDS)" $(SWIFT) test --skip-build --filter AnomalyDatabaseTests/noRegressionNothingHigh

db-stop:
	AIL_HOME=$(AIL_HOME) .build/debug/ail db stop

clean:
	-AIL_HOME=$(AIL_HOME) .build/debug/ail db stop 2>/dev/null
	rm -rf .build .bench

## Calibration of insight confidence (not part of `make test`): 24 seeded random scenarios with
## known truth, a reliability table (share of real insights per confidence band), and the default
## scenario's recall, null scenario's false discoveries and the confounding check at the demo's size.
INSIGHT_SCENARIOS ?= 24
calibrate-insights: deps
	$(SWIFT) build --build-tests
	AIL_INSIGHT_FULL=1 AIL_INSIGHT_SCENARIOS=$(INSIGHT_SCENARIOS) $(SWIFT) test --skip-build --filter InsightEngineTests
