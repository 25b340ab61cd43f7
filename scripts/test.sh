#!/usr/bin/env bash
# Runs every test of Accord: formatting, lints, unit and integration tests on SQLite and
# PostgreSQL, WebRTC media tests, browser tests in headless Chromium, and the web client's
# checks. Installs or starts what the tests need on a Debian or Ubuntu machine: a C compiler,
# Node.js, Chromium with its WebDriver, and a PostgreSQL server when none is reachable.
#
#   scripts/test.sh            # everything
#   ACCORD_TEST_POSTGRES_URL=postgres://user:pw@host:5432/postgres scripts/test.sh
#
# The PostgreSQL URL names a role that may create databases; each test creates its own and drops
# it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root (or sudo) to run: $*" >&2; return 1
    fi
}

apt_updated=""
apt_install() {
    command -v apt-get >/dev/null || { echo "install these first: $*" >&2; return 1; }
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v cargo >/dev/null || { echo "Rust is needed: https://rustup.rs" >&2; exit 1; }
command -v cc >/dev/null || { say "installing a C compiler (for SQLite)"; apt_install build-essential; }
command -v node >/dev/null || { say "installing Node.js (web client checks)"; apt_install nodejs; }
if [ ! -x /usr/lib/chromium/chromium ] || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and its driver (browser tests)"
    apt_install chromium chromium-driver
fi
# The browser tests' screenshots show Chinese pages: without a CJK font they show boxes.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    say "installing a Chinese font (readable screenshots)"
    apt_install fonts-wqy-microhei
fi

# PostgreSQL: use the one at ACCORD_TEST_POSTGRES_URL, or 127.0.0.1:5432; else install and
# start Debian's, with a password for the postgres role so that TCP logins work.
pg_url="${ACCORD_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_reachable() {
    local hostport="${pg_url#*@}"; hostport="${hostport%%/*}"
    local host="${hostport%%:*}" port="${hostport##*:}"
    [ "$port" = "$hostport" ] && port=5432
    timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}
if ! pg_reachable; then
    if [ -n "${ACCORD_TEST_POSTGRES_URL:-}" ]; then
        echo "PostgreSQL is not reachable at $ACCORD_TEST_POSTGRES_URL" >&2; exit 1
    fi
    say "no PostgreSQL on 127.0.0.1:5432: installing and starting one"
    command -v pg_ctlcluster >/dev/null || apt_install postgresql
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main start
    for _ in $(seq 1 50); do pg_reachable && break; sleep 0.2; done
    as_root runuser -u postgres -- psql -q -c "ALTER ROLE postgres PASSWORD 'accord-test'"
    pg_url="postgres://postgres:accord-test@127.0.0.1:5432/postgres"
fi
export ACCORD_TEST_POSTGRES_URL="$pg_url"

say "formatting"
cargo fmt --all -- --check

say "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "web client: every string in both languages"
node web-client/js/i18n-check.mjs

say "tests (Rust; SQLite and PostgreSQL)"
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --no-fail-fast
else
    cargo test --workspace --locked --no-fail-fast
fi

say "fuzzing: each target 20 s from its seeds (cargo-fuzz, stable Rust, no sanitizer)"
command -v c++ >/dev/null || apt_install build-essential  # libFuzzer is C++
# A debug build: it takes a fraction of a release build's time, and runs fast enough for a
# smoke run. Longer runs: see the README.
FUZZ_BUILD=--dev scripts/fuzz.sh 20

say "schemathesis: the API against its OpenAPI document, anonymous and as each kind of user"
# In a venv inside the build folder, so that nothing is installed on the machine's Python.
command -v python3 >/dev/null || apt_install python3
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
venv="${CARGO_TARGET_DIR:-$PWD/target}/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi
# Every target of the workspace, as the tests built them: with fewer targets (`-p accord`, or
# `--bins` without the dev-dependencies) cargo unifies other features and rebuilds half the
# dependencies.
cargo build --locked --workspace --all-targets
reports="${CARGO_TARGET_DIR:-$PWD/target}/schemathesis"
mkdir -p "$reports"
accord_bin="${CARGO_TARGET_DIR:-$PWD/target}/debug/accord"
python3 scripts/schemathesis.py "$accord_bin" "$venv/bin/schemathesis" --report-dir "$reports"
command -v psql >/dev/null || apt_install postgresql-client  # makes and drops its database
python3 scripts/schemathesis.py "$accord_bin" "$venv/bin/schemathesis" --report-dir "$reports" \
    --postgres "$ACCORD_TEST_POSTGRES_URL"

say "all tests passed"
