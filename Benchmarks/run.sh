#!/usr/bin/env bash
# Every SpeakerLab benchmark, side by side with its peer in one run. Each comparison ends with
#   BENCH <name> speakerlab=<value> <peer>=<value> ratio=<speakerlab/peer>
# The peers are Python packages installed on demand (pip); they are never test dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install -q python_speech_features==0.6 librosa scipy numpy scikit-learn 2>/dev/null || {
    echo "error: cannot install the Python peers (pip install python_speech_features==0.6 librosa)"; exit 1; }

# The one build configuration every make target shares (Makefile): nothing new is built here.
make --no-print-directory build >/dev/null
bench=.build/release/speakerlab-benchmarks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)

value() { sed -n 's/.*=\([0-9.]*\)$/\1/p'; }
report() {  # name speakerlab-value peer-name peer-value
    ratio=$(python3 -c "print(f'{$2/$4:.2f}')")
    echo "BENCH $1 speakerlab=$2 $3=$4 ratio=$ratio"
}

# `Benchmarks/run.sh engine` runs the engine comparison alone.
if [ "${1:-all}" != engine ]; then
echo "== feature extraction: 200 utterances of 3 s, 40 bands, read + features (utterances/s)"
$bench generate-utterances "$work/utterances" 200
for threads in 1 "$cores"; do
    ours=$($bench features "$work/utterances" "$threads" logfbank | value)
    peer=$(python3 Benchmarks/peers/features_peer.py "$work/utterances" psf "$threads" | value)
    report "logfbank-${threads}thread" "$ours" python_speech_features "$peer"
    ours=$($bench features "$work/utterances" "$threads" logmel | value)
    peer=$(python3 Benchmarks/peers/features_peer.py "$work/utterances" librosa "$threads" | value)
    report "logmel-${threads}thread" "$ours" librosa "$peer"
done

echo "== metrics on 10 million trials (EER, AUC, AP, two minDCFs; seconds, lower is better)"
ours=$($bench metrics 10000000 | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
peer=$(python3 Benchmarks/peers/metrics_peer.py 10000000 | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
report "metrics-10M-seconds" "$ours" scikit-learn "$peer"

echo "== speaker bootstrap: 1,000 resamples of the EER on 1 M trials (seconds, lower is better)"
ours=$($bench bootstrap 1000000 1000 | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
peer=$(python3 Benchmarks/peers/bootstrap_peer.py 1000000 1000 | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
report "bootstrap-1000x1M-seconds" "$ours" numpy "$peer"

echo "== speakerlab plan on a 100-point sweep (seconds; the target is under 1)"
lrs=$(python3 -c "print(','.join(str(10 ** -(2 + i / 3)) for i in range(10)))")
margins=$(python3 -c "print(','.join(str(0.05 * (i + 1)) for i in range(10)))")
start=$(date +%s.%N)
.build/release/speakerlab plan Experiments/quickstart.yaml --results "$work/results" --set "finetune.optimizer.lr=$lrs" --set "finetune.margin=$margins" > "$work/plan.txt"
seconds=$(python3 -c "print(f'{$(date +%s.%N) - $start:.3f}')")
points=$(grep -c '^\[' "$work/plan.txt")
echo "BENCH plan-$points-point-sweep speakerlab=$seconds target=1.0 ratio=$(python3 -c "print(f'{$seconds / 1.0:.2f}')")"

fi

echo "== engine: one softmax training step (forward, backward, SGD) and one inference pass, 299×40×1, batch 32, $cores threads"
if ! python3 -c "import torch" 2>/dev/null; then
    wheel=$(find / -name 'torch-*cpu*.whl' 2>/dev/null | head -1 || true)
    python3 -m pip install -q "${wheel:-torch}" || { echo "error: cannot install PyTorch for the engine benchmark"; exit 1; }
fi
# SpeakerLab with its default, reproducible numerics (Haswell kernels, fixed chunks) against the
# peer, then against its own opt-in fast numerics (OpenBLAS's kernels for this CPU). The machine
# is shared and one run can be 15 % off, so the three sides alternate for three rounds and each
# value is the median of its rounds (each round itself the median of 5 steps).
median() { python3 -c "import sys, statistics; print(statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
for model in deepspeaker se-resnet; do
    train=(); infer=(); peak=(); peer_train=(); peer_infer=(); peer_peak=(); fast_train=()
    for round in 1 2 3; do
        ours=$($bench train-step "$model" 32 5 reproducible)
        peer=$(python3 Benchmarks/peers/engine_peer.py "$model" 32 5 "$cores")
        fast=$($bench train-step "$model" 32 5 fast)
        echo "round $round speakerlab: $ours"
        echo "round $round fast:       $fast"
        echo "round $round pytorch:    $peer"
        train+=("$(field "$ours" train_samples_per_second)"); infer+=("$(field "$ours" infer_samples_per_second)"); peak+=("$(field "$ours" peak_mib)")
        peer_train+=("$(field "$peer" train_samples_per_second)"); peer_infer+=("$(field "$peer" infer_samples_per_second)"); peer_peak+=("$(field "$peer" peak_mib)")
        fast_train+=("$(field "$fast" train_samples_per_second)"); kernel=$(field "$fast" blas_kernel)
    done
    report "$model-train-samples-per-second" "$(median "${train[@]}")" pytorch "$(median "${peer_train[@]}")"
    report "$model-infer-samples-per-second" "$(median "${infer[@]}")" pytorch "$(median "${peer_infer[@]}")"
    report "$model-peak-mib" "$(median "${peak[@]}")" pytorch "$(median "${peer_peak[@]}")"
    report "$model-train-reproducible-vs-fast" "$(median "${train[@]}")" "fast($kernel)" "$(median "${fast_train[@]}")"
done
