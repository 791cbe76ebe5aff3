#!/usr/bin/env bash
# Runs one phase of a make target with a header and how long it took, so a newcomer can follow
# `make run` (installing packages, building, then the stages): phase.sh "NAME" COMMAND [ARGS...]
set -uo pipefail
name=$1; shift
echo "==> $name"
start=$(date +%s.%N)
"$@"
status=$?
seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
if [ "$status" -eq 0 ]; then echo "==> $name: done in $seconds s"; else echo "==> $name: failed after $seconds s (exit $status)" >&2; fi
exit "$status"
