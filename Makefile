# ail — two commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT      ?= swift
AIL_HOME   ?= $(CURDIR)/.ail
BENCH_HOME := $(CURDIR)/.bench/home
BENCH_DSN  := host=$(BENCH_HOME)/run port=5432 user=postgres dbname=ail

.PHONY: all deps build release test demo bench bench-copy bench-numerics bench-ingest bench-data db-stop clean help

all: build

help:
	@echo "make demo   set up everything and run the pipeline on the embedded database"
	@echo "make test   install what is missing, build, and run every test on a throwaway PostgreSQL"
	@echo "make bench  benchmarks against peer tools (psql \\copy, statsmodels, scikit-learn)"

## System packages (LAPACK/BLAS, libpq, PostgreSQL server), installed when missing.
deps:
	@scripts/ensure-system-packages.sh

build: deps
	$(SWIFT) build --product ail

release: deps
	$(SWIFT) build -c release --product ail
	$(SWIFT) build -c release --product ail-bench

## Every test; the tests start and remove their own PostgreSQL cluster.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

## The main job end to end on the embedded default database.
demo: build
	AIL_HOME=$(AIL_HOME) .build/debug/ail db start
	AIL_HOME=$(AIL_HOME) .build/debug/ail simulate --developers 40 --days 90 --seed 7 --load
	AIL_HOME=$(AIL_HOME) .build/debug/ail db status
	@echo; echo "Tools ranked by the lower 95% bound of their success rate (view tool_effectiveness_ranking):"
	@psql "$$(AIL_HOME=$(AIL_HOME) .build/debug/ail db status | sed -n 's/^dsn: *//p')" -X -q -c \
	  "SELECT effectiveness_rank AS rank, tool_name, usage_count, round(success_rate::numeric, 3) AS success_rate, round(success_rate_lower_95::numeric, 3) AS lower_95, round(avg_time::numeric) AS avg_ms FROM tool_effectiveness_ranking ORDER BY effectiveness_rank"

## Benchmarks (not part of `make test`): a throwaway server under .bench/, peers in the same run.
bench: bench-copy bench-ingest bench-numerics bench-data

bench-copy bench-ingest bench-data: release
	AIL_HOME=$(BENCH_HOME) .build/release/ail db start
	AIL_BENCH_DSN="$(BENCH_DSN)" .build/release/ail-bench $(@:bench-%=%); rc=$$?; \
	  AIL_HOME=$(BENCH_HOME) .build/release/ail db stop; exit $$rc

## statsmodels and scikit-learn are installed by the benchmark into .venv-bench.
bench-numerics: release
	.build/release/ail-bench numerics

db-stop:
	AIL_HOME=$(AIL_HOME) .build/debug/ail db stop

clean:
	-AIL_HOME=$(AIL_HOME) .build/debug/ail db stop 2>/dev/null
	rm -rf .build .bench
