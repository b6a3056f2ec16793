#!/usr/bin/env bash
# Services the web tests use when they are available: a PostgreSQL server on loopback and Debian's
# Chromium with its driver for the headless-browser test. CI calls this before `make test`; on a
# developer machine the tests that need them are skipped with a reason when they are missing.
# Prints `export ...` lines for the test environment on stdout.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "skipping service set-up: not root and missing ${need[*]}" >&2
    exit 0
  fi
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  version=$(ls /etc/postgresql | sort -n | tail -n1)
  pg_ctlcluster "$version" main start >&2 2>/dev/null || true
  for _ in $(seq 1 30); do
    su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='assess'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"create role assess login password 'assess'\"" >&2
  su postgres -c "psql -qtAc \"select 1 from pg_database where datname='assess_test'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'create database assess_test owner assess'" >&2
  echo "export ASSESS_TEST_POSTGRES_URL=postgresql+psycopg://assess:assess@127.0.0.1:5432/assess_test"
fi
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  echo "export ASSESS_TEST_CHROMIUM=$(command -v chromium)"
  echo "export ASSESS_TEST_CHROMEDRIVER=$(command -v chromedriver)"
fi
