#!/usr/bin/env bash
# Creates .venv-bench with the benchmarks' peers: numpy, statsmodels, scikit-learn (numerics);
# pandas, polars, psycopg2 (data).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-bench/bin/python ] || ! .venv-bench/bin/python -c "import statsmodels, sklearn, pandas, polars, psycopg2" 2>/dev/null; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install -q --disable-pip-version-check numpy statsmodels scikit-learn pandas polars psycopg2-binary
fi
