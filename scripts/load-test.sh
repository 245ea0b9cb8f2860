#!/usr/bin/env bash
# Load test: builds the server and the harness (release), then runs tests/load with the arguments
# given (default: 10,000 pupils on embedded SQLite, about 20 minutes). Examples:
#   scripts/load-test.sh
#   scripts/load-test.sh --pupils 200 --sign-in-minutes 1 --start-window-seconds 10 --think 1..3
#   scripts/load-test.sh --database postgres            # two app servers sharing PostgreSQL
#   scripts/load-test.sh --help
# The harness exits 0 when the target was met (no errors, no lost answers, p99 < 300 ms for each
# request type), 1 when it was missed, 2 when the run could not be carried out.
source "$(dirname "$0")/lib.sh"

ensure_rust

# A target directory of its own by default, so a load test does not wait on another build's lock.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/khien-so/target-load}"

started=$(date +%s)
say "Building khien-so and the load harness (release) in $CARGO_TARGET_DIR"
cargo build --release -p server -p khien-so-load
built=$(date +%s)
echo "Build took $((built - started)) s."

# One connection per simulated pupil on each side: raise the open-files limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 65536 ]; then
  ulimit -Hn 65536 2>/dev/null && ulimit -n 65536 2>/dev/null || true
fi
echo "Open files limit: $(ulimit -n)"

say "Running the load test: khien-so-load $*"
set +e
KHIEN_SO_BIN="${KHIEN_SO_BIN:-$CARGO_TARGET_DIR/release/khien-so}" \
  "$CARGO_TARGET_DIR/release/khien-so-load" "$@"
status=$?
set -e
finished=$(date +%s)
echo "Load test took $((finished - built)) s (exit status $status); build and test $((finished - started)) s in all."
exit "$status"
