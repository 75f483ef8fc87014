#!/usr/bin/env bash
# Fuzzing notelint with cargo-fuzz (libFuzzer), on the stable toolchain.
#
#   scripts/fuzz.sh build                 build every fuzz target
#   scripts/fuzz.sh seed                  fill fuzz/corpus/TARGET/ from fixtures/
#   scripts/fuzz.sh run [SECONDS] [TARGET…]
#                                         fuzz each target (default: all) for SECONDS (60),
#                                         one after another, and print executions and crashes
#   scripts/fuzz.sh tmin TARGET FILE      minimise a crashing input
#   scripts/fuzz.sh show TARGET FILE      run one input and show the panic
#   scripts/fuzz.sh triage [TARGET…]      one line per saved input: the panic's place and
#                                         message, to tell distinct bugs apart
#
# Needs `cargo install cargo-fuzz`. cargo-fuzz passes nightly-only flags to rustc;
# RUSTC_BOOTSTRAP=1 lets the stable compiler accept them. The sanitizer is off by default
# (FUZZ_SANITIZER=address to turn AddressSanitizer on): notelint is safe Rust, and the fuzzer
# runs several times faster without it; panics and overflow checks (cargo-fuzz builds with
# debug assertions) are what finds bugs here.
#
# `run` stops a target at its first crash. FUZZ_KEEP_GOING=1 runs libFuzzer in fork mode
# (one job at a time) and goes on after crashes, timeouts and out-of-memory inputs, saving
# each in fuzz/artifacts/TARGET/. Every run uses -max_len=65536, -timeout=10 (a hang is a bug
# too) and -rss_limit_mb=2048. corpus/, artifacts/ and the fuzz crate's target/ and
# Cargo.lock are ignored by git; a new checkout starts fuzz/Cargo.lock from the main one, so
# the fuzzers build against the dependency versions the project is tested with.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(parse_text parse_markdown parse_html urls citation config)
export RUSTC_BOOTSTRAP=1
SANITIZER=${FUZZ_SANITIZER:-none}
LIBFUZZER_FLAGS=(-max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
    -dict="$PWD/fuzz/notelint.dict")

fuzz() {
    [ -f fuzz/Cargo.lock ] || cp Cargo.lock fuzz/Cargo.lock
    (cd fuzz && cargo fuzz "$1" --sanitizer "$SANITIZER" "${@:2}")
}

# Saves stdin as a seed of TARGET, named by its hash as libFuzzer names corpus files.
save_seed() {
    local dir="fuzz/corpus/$1" tmp
    tmp=$(mktemp)
    cat >"$tmp"
    if [ -s "$tmp" ]; then
        mv "$tmp" "$dir/$(sha1sum "$tmp" | cut -c1-40)"
    else
        rm -f "$tmp"
    fi
}

seed() {
    for t in "${TARGETS[@]}"; do mkdir -p "fuzz/corpus/$t"; done
    local f
    while IFS= read -r -d '' f; do
        case "$f" in
            *.txt) save_seed parse_text <"$f" ;;
            *.md) save_seed parse_markdown <"$f" ;;
            *.html | *.htm) save_seed parse_html <"$f" ;;
            */notelint.toml) save_seed config <"$f" ;;
        esac
        case "$f" in
            *.txt | *.md | *.html | *.htm)
                # One seed per line: lines with a URL for `urls`, note lines (marker removed)
                # for `citation`.
                while IFS= read -r line; do
                    if [[ $line =~ (://|www\.|doi:) ]]; then
                        printf '%s' "$line" | save_seed urls
                    fi
                    if [[ $line =~ ^[[:space:]]*\[\^?[[:alnum:]]+\]:?[[:space:]]+(.+)$ ]]; then
                        printf '%s' "${BASH_REMATCH[1]}" | save_seed citation
                    fi
                done <"$f"
                ;;
        esac
    done < <(find fixtures -type f -print0 | sort -z)
    # The configuration examples of the README.
    awk '/^```toml/{on=1; next} /^```/{if(on){print "\x00"}; on=0} on' README.md |
        while IFS= read -r -d '' block; do printf '%s' "$block" | save_seed config; done
    for t in "${TARGETS[@]}"; do
        echo "$t: $(find "fuzz/corpus/$t" -type f | wc -l) seeds"
    done
}

run() {
    local seconds=${1:-60}
    shift || true
    local targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=("${TARGETS[@]}")
    [ -d fuzz/corpus ] || seed
    fuzz build -O >/dev/null
    local t log status execs crashes before
    for t in "${targets[@]}"; do
        mkdir -p "fuzz/artifacts/$t" "fuzz/corpus/$t"
        log="fuzz/artifacts/$t/last-run.log"
        before=$(mktemp)
        ls "fuzz/artifacts/$t" >"$before"
        local extra=()
        if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
            extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
        fi
        status=0
        fuzz run "$t" -O -- "${LIBFUZZER_FLAGS[@]}" "${extra[@]}" \
            -max_total_time="$seconds" >"$log" 2>&1 || status=$?
        execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
        if [ -z "$execs" ]; then
            # Fork mode reports progress lines (`#N: cov: … exec/s: …`) instead.
            execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
        fi
        # The inputs saved by this run: crash-*, timeout-*, oom-*, slow-unit-*.
        crashes=$(ls "fuzz/artifacts/$t" | grep -v '^last-run.log$' | grep -vxFf "$before" || true)
        rm -f "$before"
        if [ "$status" = 0 ] && [ -z "$crashes" ]; then
            echo "$t: ${execs:-?} executions in ${seconds}s, no crash"
        else
            echo "$t: ${execs:-?} executions, CRASHED (exit $status; log $log)"
            for f in $crashes; do echo "    fuzz/artifacts/$t/$f"; done
        fi
    done
}

triage() {
    local targets=("$@") t f out
    [ ${#targets[@]} -gt 0 ] || targets=("${TARGETS[@]}")
    for t in "${targets[@]}"; do
        for f in fuzz/artifacts/"$t"/{crash,timeout,oom,slow-unit,leak}-*; do
            [ -f "$f" ] || continue
            out=$(RUST_BACKTRACE=0 timeout 60 \
                fuzz/target/x86_64-unknown-linux-gnu/release/"$t" -timeout=10 "$f" 2>&1 || true)
            printf '%s %s: %s | %s\n' "$t" "${f##*/}" \
                "$(grep -o 'panicked at [^ ]*' <<<"$out" | head -1 | sed 's|.*/src/|src/|; s|.*/tests/|tests/|')" \
                "$(grep -A1 'panicked at' <<<"$out" | sed -n 2p | cut -c1-160)"
        done
    done
}

case "${1:-}" in
    build) fuzz build -O ;;
    seed) seed ;;
    run) shift; run "$@" ;;
    tmin) fuzz tmin -O "$2" "$3" -- -runs=20000 ;;
    show) fuzz run -O "$2" "$3" ;;
    triage) shift; triage "$@" ;;
    *) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
