#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ with cargo-fuzz (installed from crates.io when missing), each
# from its seeds in fuzz/seeds/ for a bounded time. Stops at the first target that finds a
# fault; libFuzzer prints the input, and cargo-fuzz keeps it in fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh                      # every target for 20 s: the smoke run of scripts/test.sh
#   scripts/fuzz.sh 3600 sdp             # one target for an hour
#   FUZZ_BUILD=--dev scripts/fuzz.sh 20  # a debug build: quicker to build, slower to run
#
# What a run learns grows fuzz/corpus/<target>/ (ignored by git); the next run starts from it.
# Works on stable Rust: no sanitizer (`-s none`), libFuzzer's coverage instrumentation only.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-20}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(signalling_message sdp canonical_json agreement_package bundle)
fi

tools="${CARGO_TARGET_DIR:-$PWD/target}/tools"
if [ ! -x "$tools/bin/cargo-fuzz" ]; then
    cargo install --quiet --locked cargo-fuzz --version 0.13.2 --root "$tools"
fi
export PATH="$tools/bin:$PATH"

cd fuzz
build=(-s none ${FUZZ_BUILD:-})
cargo fuzz build "${build[@]}"
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    echo "fuzzing $target for ${seconds}s"
    # -timeout: one input that takes this long is a fault (a parser that hangs) too.
    cargo fuzz run "${build[@]}" "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        2>&1 | grep -v -e '^#[0-9]' -e '# Uses: ' -e 'NEW_FUNC'
done
