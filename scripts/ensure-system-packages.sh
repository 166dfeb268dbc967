#!/usr/bin/env bash
# Installs the Debian packages ail needs when they are missing: LAPACK/BLAS (OpenBLAS), libpq,
# pkg-config and the PostgreSQL server, and Debian's chromium (the HTML report test renders the
# report in it headless; without it that one test records an issue and the rest still run). As root it runs apt-get and says what it installs; as
# another user it prints the exact command and fails.
set -euo pipefail

needed=(libopenblas-dev liblapack-dev libpq-dev pkg-config postgresql)
missing=()
for pkg in "${needed[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# The server binaries may come from another PostgreSQL major version: accept any.
if [[ " ${missing[*]} " == *" postgresql "* ]] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing=("${missing[@]/postgresql}")
fi
read -r -a missing <<< "${missing[*]}"
# The schema agreement test validates with python's jsonschema (a JSON Schema 2020-12 validator).
if command -v python3 >/dev/null && ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "installing python package: jsonschema (for the ingest schema agreement test)"
  python3 -m pip install -q jsonschema >/dev/null 2>&1 || python3 -m pip install -q --user jsonschema >/dev/null 2>&1 \
    || echo "could not install jsonschema: the schema agreement test will say so" >&2
fi
# Chromium is optional: when it cannot be installed the report test says so and the build goes on.
if [ "$(id -u)" -eq 0 ] && ! command -v chromium >/dev/null 2>&1; then
  echo "installing system package: chromium (headless rendering test of the HTML report)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
    || echo "could not install chromium: the HTML report rendering test will say so" >&2
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
command="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "ail needs these system packages: ${missing[*]}" >&2
  echo "install them as root with:  sudo sh -c '$command'" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
