#!/usr/bin/env bash
# `make test-slurm`: brings up a one-node Slurm cluster here, runs the quick start through it,
# kills the runner mid-way, cancels one queued job, restarts the runner (which must re-attach,
# refuse the lost job without --retry and resubmit it with --retry), then checks that every
# stage ran exactly once and that the metrics equal a local run's. A two-point sweep then runs
# as job arrays with a %1 cap and must match a local sweep.
set -euo pipefail
cd "$(dirname "$0")/../.."
BINARY=$PWD/.build/release/speakerlab
WORK=$(mktemp -d /var/tmp/speakerlab-slurm-test.XXXXXX)
trap 'scancel --user="$(id -un)" 2>/dev/null || true; rm -rf "$WORK"; bash scripts/slurm/test-cluster.sh stop' EXIT
# name=quickstart: a run given its name publishes to Results/quickstart/ (README, *where a run lands*).
TINY=(--set ~calibrate --set dataset.speakers=8 --set dataset.utterances=6 --set dataset.test_fraction=0.5 --set features.seconds=1.0
      --set pretrain.epochs=6 --set finetune.steps=4 --set finetune.evaluate_every=2 --set finetune.triplets=4
      --set finetune.validation_speakers=2 --set name=quickstart)
fail() { echo "test-slurm: FAILED: $*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

bash scripts/slurm/test-cluster.sh start

echo "== local reference run (every CPU of this machine; the Slurm jobs get one each)"
"$BINARY" run Experiments/quickstart.yaml "${TINY[@]}" --results "$WORK/local" >"$WORK/local.log" 2>&1 || { cat "$WORK/local.log"; fail "local run"; }

echo "== slurm run, killed once the pretraining job is running"
start=$(date +%s)
"$BINARY" run Experiments/quickstart.yaml "${TINY[@]}" --results "$WORK/slurm" --executor slurm --cpus 1 --poll 0.5 >"$WORK/first.log" 2>&1 &
runner=$!
for _ in $(seq 600); do
    squeue -h -o '%j %T' | grep -q '^speakerlab-pretrain RUNNING' && break
    kill -0 "$runner" 2>/dev/null || { cat "$WORK/first.log"; fail "the runner ended before pretraining started"; }
    sleep 0.2
done
kill -9 "$runner"
wait "$runner" 2>/dev/null || true
echo "runner killed after $(elapsed "$start"); queue:"
squeue -o '%.6i %.22j %.9T %.20E'
report_job=$(squeue -h -o '%i %j' | awk '$2 == "speakerlab-report" {print $1}')
[ -n "$report_job" ] || fail "the report job is not queued after the kill"
scancel "$report_job"
echo "cancelled the queued report job $report_job (as if Slurm had lost it)"
sleep 1

echo "== restart without --retry: re-attaches, and refuses the lost job"
if "$BINARY" run Experiments/quickstart.yaml "${TINY[@]}" --results "$WORK/slurm" --executor slurm --cpus 1 --poll 0.5 >"$WORK/second.log" 2>&1; then
    cat "$WORK/second.log"; fail "a lost job must fail the run without --retry"
fi
grep -q '^attached' "$WORK/second.log" || { cat "$WORK/second.log"; fail "the restarted runner did not re-attach to a queued job"; }
grep -q 'rerun with --retry' "$WORK/second.log" || { cat "$WORK/second.log"; fail "no --retry hint for the lost job"; }

echo "== restart with --retry"
"$BINARY" run Experiments/quickstart.yaml "${TINY[@]}" --results "$WORK/slurm" --executor slurm --cpus 1 --poll 0.5 --retry >"$WORK/third.log" 2>&1 || { cat "$WORK/third.log"; fail "the --retry run"; }
echo "finished after $(elapsed "$start") in all"
cat "$WORK/third.log"

echo "== checks"
jobs="$WORK/slurm/.cache/jobs"
cat "$jobs/submitted.log"
# Every stage computed exactly once: one job per key printed "ran".
outputs=$(find "$jobs" -name stdout -exec cat {} +)
ran=$(grep -c '^ran ' <<<"$outputs" || true)
keys=$(awk '/^ran / {print $2}' <<<"$outputs" | sort | uniq -d)
[ "$ran" -eq 6 ] || fail "expected 6 stage computations, found $ran"
[ -z "$keys" ] || fail "stages computed twice: $keys"
[ "$(wc -l <"$jobs/submitted.log")" -eq 7 ] || fail "expected 7 submissions (6 stages + the resubmitted report)"
for folder in "$jobs"/*/; do
    [ "$(cat "$folder/exit_code")" = 0 ] || fail "exit code in $folder"
done
# --cpus 1 reaches the engine: every job ran on one thread (the local run used $(nproc)), with the same numbers.
[ "$(grep -c '^ran .* (1 engine thread)$' <<<"$outputs")" -eq 6 ] || { echo "$outputs"; fail "a job given --cpus 1 did not run the engine on one thread"; }
echo "every job ran the engine on 1 thread (--cpus 1)"
diff "$WORK/local/quickstart/metrics.csv" "$WORK/slurm/quickstart/metrics.csv" || fail "Slurm metrics differ from the local run's"
echo "metrics equal the local run's ($(nproc) threads there, 1 in each job):"; cat "$WORK/slurm/quickstart/metrics.csv"
"$BINARY" status --results "$WORK/slurm"

echo "== sweep as job arrays (max 1 task at a time)"
SWEEP=(--set ~calibrate --set dataset.speakers=8 --set dataset.utterances=6 --set dataset.test_fraction=0.5 --set features.seconds=0.6
       --set pretrain.epochs=2 --set finetune.steps=4 --set finetune.evaluate_every=2 --set finetune.triplets=4 --set finetune.validation_speakers=2
       --set finetune.optimizer.lr=0.001,0.01)
start=$(date +%s)
"$BINARY" run Experiments/quickstart.yaml "${SWEEP[@]}" --results "$WORK/sweep-slurm" --executor slurm --max-parallel 1 --poll 0.5 >"$WORK/sweep.log" 2>&1 || { cat "$WORK/sweep.log"; fail "the Slurm sweep"; }
echo "sweep finished after $(elapsed "$start")"
grep -E '_[01] ' "$WORK/sweep-slurm/.cache/jobs/submitted.log" | head -n 6
[ "$(grep -cE ' [0-9]+_[01] ' "$WORK/sweep-slurm/.cache/jobs/submitted.log")" -eq 6 ] || fail "expected finetune, evaluate and report as 2-task arrays"
"$BINARY" run Experiments/quickstart.yaml "${SWEEP[@]}" --results "$WORK/sweep-local" >/dev/null 2>&1 || fail "the local sweep"
diff "$WORK/sweep-local/quickstart/summary.csv" "$WORK/sweep-slurm/quickstart/summary.csv" || fail "the Slurm sweep differs from the local one"
echo "test-slurm: passed"
