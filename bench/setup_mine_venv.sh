#!/usr/bin/env bash
# Adds the FP-Growth peers (mlxtend, pyfim) to .venv-bench for `ail-bench mine`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-bench/bin/python ] || python3 -m venv .venv-bench
if ! .venv-bench/bin/python -c "import mlxtend, fim, pandas" 2>/dev/null; then
  .venv-bench/bin/pip install -q --disable-pip-version-check pandas mlxtend pyfim
fi
