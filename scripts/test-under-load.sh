#!/usr/bin/env bash
# Runs the whole test suite (`pnpm test`, or the command given) while two busy-loop processes compete for
# the cores, to show that no test depends on how fast or how idle the machine is (tests wait for events,
# never for deadlines). Prints the time taken. Usage: scripts/test-under-load.sh [command …]
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

hogs=()
stop_hogs() { [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT INT TERM
for _ in 1 2; do
  ( trap - EXIT INT TERM; while :; do :; done ) &
  hogs+=($!)
done
echo "test-under-load: busy loops ${hogs[*]} on $(nproc) cores" >&2

start=$(date +%s)
status=0
if [ $# -gt 0 ]; then "$@" || status=$?; else pnpm test || status=$?; fi
echo "test-under-load: exit ${status} after $(( $(date +%s) - start )) s" >&2
exit "$status"
