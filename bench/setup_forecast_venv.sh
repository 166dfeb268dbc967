#!/usr/bin/env bash
# Adds the forecasting peer (statsforecast's AutoETS, with statsmodels for the bundled datasets)
# to .venv-bench for `ail-bench forecast`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-bench/bin/python ] || python3 -m venv .venv-bench
if ! .venv-bench/bin/python -c "import statsforecast, statsmodels, pandas" 2>/dev/null; then
  .venv-bench/bin/pip install -q --disable-pip-version-check "statsforecast==2.1.1" statsmodels pandas
fi
