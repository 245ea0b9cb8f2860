#!/usr/bin/env bash
# Command 1: set everything up and run Khiên Số with the shipped lessons and questions on
# embedded SQLite (./data/khien-so.db). Open http://localhost:3000 when it says "listening".
source "$(dirname "$0")/lib.sh"

ensure_rust
ensure_wasm_opt
build_site
say "Building the server"
export KHIEN_SO_DATABASE_URL="${KHIEN_SO_DATABASE_URL:-sqlite://data/khien-so.db?mode=rwc}"
cargo build -p server
say "Demo province (synthetic: 166 xã/phường, 2,000 schools, classes and pupils; skipped if present)"
cargo run -q -p server -- seed-demo
say "Starting the server"
exec cargo run -q -p server -- serve
