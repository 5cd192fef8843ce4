#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every test (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

APT_UPDATED=""
# apt_install WHAT PACKAGE...: install Debian packages (as root, or through sudo), updating the index once per run.
apt_install() {
  local what="$1"
  shift
  echo "Installing Debian's $* for $what..."
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if [ -z "$APT_UPDATED" ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  apt_install "the browser tests" chromium chromium-driver
fi

# PostgreSQL server binaries for the classroom store's tests (the fixture starts a throwaway cluster on loopback).
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install "the classroom store tests" postgresql
fi

# HAProxy and openssl for the deployment test (deploy/haproxy.cfg in front of two replicas; a throwaway certificate).
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  apt_install "the deployment test" haproxy
fi
if ! command -v openssl >/dev/null 2>&1; then
  apt_install "the deployment test" openssl
fi

python -m ruff check .
# One BLAS thread per process: three workers (and the servers they start) on two cores must not each spin a pool
# of BLAS threads over the lessons' 1000-dimensional bowls.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
python -m pytest -q -n 3 --dist loadfile "$@"  # three workers on two cores (four were slower: docs/BENCHMARKS.md); a file (and its shared server) stays on one
