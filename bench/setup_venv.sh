#!/usr/bin/env bash
# Creates .venv-bench with numpy, statsmodels and scikit-learn (the numerics benchmark's peers).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-bench/bin/python ] || ! .venv-bench/bin/python -c "import statsmodels, sklearn" 2>/dev/null; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install -q --disable-pip-version-check numpy statsmodels scikit-learn
fi
