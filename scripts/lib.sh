# Shared set-up steps for demo.sh and test.sh. Each step is skipped when already done.
# Sourced, not run. Works as root or with sudo on Debian/Ubuntu.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Versions pinned here and in Cargo.toml; see README.md "Toolchain".
BINARYEN_VERSION="132.0.0"
# axe-core, the accessibility checker the browser tests run on every page (WCAG 2.2 AA).
AXE_VERSION="4.14.1"

say() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

ensure_rust() {
  if ! command -v cargo >/dev/null; then
    echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
    exit 1
  fi
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# wasm-opt from binaryen >= 116 (Debian's 108 breaks wasm-bindgen's reference types): the npm
# build, pinned, installed into .tools/. Needs Node.js and npm.
ensure_wasm_opt() {
  if [ -x .tools/node_modules/.bin/wasm-opt ] &&
     .tools/node_modules/.bin/wasm-opt --version | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    return
  fi
  npm_install_tool "binaryen@${BINARYEN_VERSION}" "wasm-opt (binaryen ${BINARYEN_VERSION})"
}

# Installs a pinned npm package into .tools/ (Node.js and npm from apt when missing).
npm_install_tool() {
  if ! command -v npm >/dev/null; then
    say "Installing Node.js and npm (for $2)"
    apt_install nodejs npm
  fi
  say "Installing $2 into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools "$1"
}

ensure_axe() {
  if [ -f .tools/node_modules/axe-core/axe.min.js ] &&
     grep -q "\"version\": \"${AXE_VERSION}\"" .tools/node_modules/axe-core/package.json; then
    return
  fi
  npm_install_tool "axe-core@${AXE_VERSION}" "axe-core ${AXE_VERSION} (accessibility checks in the browser tests)"
}

ensure_chromium() {
  if ! command -v chromedriver >/dev/null || ! [ -x "${CHROME_BIN:-/usr/bin/chromium}" ]; then
    say "Installing Chromium and ChromeDriver (browser tests)"
    apt_install chromium chromium-driver
  fi
}

# The browser bundle: target/site/pkg/khien-so{.js,_bg.wasm,.css} plus .gz/.br copies.
build_site() {
  say "Building the browser bundle (wasm)"
  cargo run -q -p xtask -- site
}
