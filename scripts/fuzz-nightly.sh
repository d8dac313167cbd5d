#!/bin/sh
# The syscall fuzzer over many seeds (the nightly run; CI runs 10 seeds in
# test/security/fuzz.test.ts). Each seed is one `tsix run` of
# /usr/lib/tsix/bin/fuzz CALLS SEED followed by dmesg; a seed fails when the
# fuzzer does not print "fuzz: ok", reports a hung call, the kernel log has an
# oops, the host watchdog reports a hung syscall, or tsix does not finish in
# TIMEOUT seconds. The output of every failed seed is kept in OUT.
#
# Usage: scripts/fuzz-nightly.sh [FIRST_SEED [LAST_SEED [CALLS]]]
#   defaults: seeds 1..100, 200000 calls each
# Environment: JOBS (parallel runs, default: the number of CPUs),
#   OUT (default build/fuzz-nightly), TIMEOUT (seconds per seed, default 600).
# Build first (npm run build). Exits 0 when every seed passed, 1 otherwise.
# Reproduce one failure: node bin/tsix.js run -- /usr/lib/tsix/bin/fuzz CALLS SEED
set -u
cd "$(dirname "$0")/.." || exit 2
first=${1:-1}
last=${2:-100}
calls=${3:-200000}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
out=${OUT:-build/fuzz-nightly}
timeout=${TIMEOUT:-600}
case "$first$last$calls$jobs$timeout" in
  *[!0-9]*) echo "fuzz-nightly: seeds, calls, JOBS and TIMEOUT must be whole numbers" >&2; exit 2 ;;
esac
if [ ! -f dist/cli/main.js ]; then echo "fuzz-nightly: build first: npm run build" >&2; exit 2; fi
mkdir -p "$out" || exit 2
rm -f "$out"/seed-*.log "$out"/FAILED

one() {
  seed=$1
  log="$out/seed-$seed.log"
  timeout -s KILL "$timeout" node bin/tsix.js run -- sh -c "/usr/lib/tsix/bin/fuzz $calls $seed && dmesg" > "$log" 2>&1
  status=$?
  why=""
  if [ $status -ne 0 ]; then why="exit status $status"
  elif ! grep -q '^fuzz: ok$' "$log"; then why="no 'fuzz: ok'"
  elif ! grep -q 'hung calls: 0$' "$log"; then why="a call hung"
  elif grep -qi 'oops' "$log"; then why="oops in the kernel log"
  fi
  if grep -q 'watchdog' "$log"; then why="${why:+$why; }$(grep -m1 watchdog "$log")"; fi
  if [ -n "$why" ]; then
    echo "seed $seed: FAILED ($why), log in $log"
    echo "$seed" >> "$out/FAILED"
  else
    echo "seed $seed: ok ($(grep -m1 'calls made' "$log" | sed 's/^fuzz: //'))"
    rm -f "$log"
  fi
}

echo "fuzz-nightly: seeds $first..$last, $calls calls each, $jobs at a time"
start=$(date +%s)
seed=$first
while [ "$seed" -le "$last" ]; do
  n=0
  while [ $n -lt "$jobs" ] && [ "$seed" -le "$last" ]; do
    one "$seed" &
    seed=$((seed + 1))
    n=$((n + 1))
  done
  wait
done
secs=$(( $(date +%s) - start ))
if [ -f "$out/FAILED" ]; then
  echo "fuzz-nightly: $(wc -l < "$out/FAILED") of $((last - first + 1)) seeds FAILED in ${secs} s: $(tr '\n' ' ' < "$out/FAILED")"
  exit 1
fi
echo "fuzz-nightly: all $((last - first + 1)) seeds ok in ${secs} s"
