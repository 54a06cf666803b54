#!/usr/bin/env bash
# Builds regtab's libFuzzer targets (AddressSanitizer + libFuzzer) and runs them in parallel.
#
#   bash Benchmarks/fuzz/run.sh [SECONDS]        # default 600 s per target
#
# Not part of `swift build`/`swift test`/CI: this is a separate package that depends on the main one by
# path. Crashes are written to Benchmarks/fuzz/artifacts/; turn each into a regression test
# (Tests/RegtabTests/FuzzRegressionTests.swift) before fixing it. New corpus entries go to a scratch
# corpus under .build/, the committed seeds in corpus/ stay small.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
scratch="${FUZZ_SCRATCH:-.build}"
# toolset.json = `-Xswiftc -sanitize=fuzzer,address` for compiling *and* linking, with lld: SwiftPM does not
# pass -Xswiftc flags to the link step, and gold crashes on libFuzzer + ASan objects ("internal error in
# format_file_lineno"). The targets have their own `main` (see FuzzDriver): SwiftPM renames executables' main.
swift build -c release --scratch-path "$scratch" --toolset toolset.json
bin="$(swift build -c release --scratch-path "$scratch" --toolset toolset.json --show-bin-path)"
mkdir -p artifacts "$scratch/corpus/csv" "$scratch/corpus/rules"
pids=()
for target in csv rules; do
  "$bin/fuzz-$target" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=4096 -timeout=10 \
    -artifact_prefix="artifacts/$target-" -print_final_stats=1 \
    "$scratch/corpus/$target" "corpus/$target" >"artifacts/$target.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then status=1; fi
done
for target in csv rules; do
  echo "== fuzz-$target"; grep -E "^(#[0-9]+.*DONE|stat::|==[0-9]+==ERROR|SUMMARY|Done)" "artifacts/$target.log" | tail -12 || true
done
exit $status
