#!/usr/bin/env bash
# Command 2: the whole test suite — unit, HTTP and browser tests — on SQLite, then the same
# suite on PostgreSQL (KHIEN_SO_TEST_POSTGRES, default postgres://postgres@127.0.0.1:5432).
source "$(dirname "$0")/lib.sh"

ensure_rust
ensure_wasm_opt
ensure_chromium
ensure_axe
build_site

export KHIEN_SO_TEST_POSTGRES="${KHIEN_SO_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
PG_HOST_PORT="${KHIEN_SO_TEST_POSTGRES#*@}"
PG_HOST="${PG_HOST_PORT%%:*}"
PG_PORT="${PG_HOST_PORT##*:}"
PG_PORT="${PG_PORT%%/*}"
PG_USER="${KHIEN_SO_TEST_POSTGRES#*://}"
PG_USER="${PG_USER%%@*}"

ensure_postgres() {
  if command -v pg_isready >/dev/null && ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    say "PostgreSQL is not answering; trying to start the local cluster"
    if command -v pg_ctlcluster >/dev/null; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
  fi
  if command -v psql >/dev/null; then
    # Drop databases left by earlier interrupted runs.
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atc \
      "SELECT datname FROM pg_database WHERE datname LIKE 'ks\_test\_%'" |
      while read -r db; do
        [ -n "$db" ] && psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" || true
      done
  fi
}

say "Test suite on SQLite"
KHIEN_SO_TEST_DB=sqlite cargo test --workspace --exclude frontend

ensure_postgres
say "Test suite on PostgreSQL"
KHIEN_SO_TEST_DB=postgres cargo test --workspace --exclude frontend
say "All tests passed on SQLite and PostgreSQL"
