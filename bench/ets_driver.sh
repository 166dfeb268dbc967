#!/bin/bash
# Times ail's ETS estimator (ETS.select + forecast) at a git revision, without a SwiftPM build:
# the Forecasting sources and their three helpers compiled with swiftc -O -wmo into one driver.
# Needs .bench/forecast/series.json (ail-bench forecast writes it).
# usage: bench/ets_driver.sh [REV]   (default HEAD; run from the repository root)
set -euo pipefail
REV=${1:-HEAD}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
git archive "$REV" Sources | tar -x -C "$T"
S=$T/Sources
mkdir "$T/src"
cp $S/Statistics/Forecasting/*.swift $S/Statistics/NumericsError.swift $S/Statistics/Distributions/*.swift \
   $S/Primitives/SeededGenerator.swift "$T/src/"
sed -i 's/^import Primitives$//' "$T"/src/*.swift
cp bench/ets_driver.swift "$T/src/main.swift"
swiftc -O -wmo -o "$T/ets_driver" "$T"/src/*.swift
"$T/ets_driver"
