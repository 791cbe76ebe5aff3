#!/usr/bin/env bash
# Every SpeakerLab benchmark, side by side with its peer in one run. Each comparison ends with
#   BENCH <name> speakerlab=<value> <peer>=<value> ratio=<speakerlab/peer>
# The peers are Python packages installed on demand (pip); they are never test dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install -q python_speech_features==0.6 librosa scipy numpy 2>/dev/null || {
    echo "error: cannot install the Python peers (pip install python_speech_features==0.6 librosa)"; exit 1; }

swift build -c release --product speakerlab-benchmarks >/dev/null
bench=.build/release/speakerlab-benchmarks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)

value() { sed -n 's/.*=\([0-9.]*\)$/\1/p'; }
report() {  # name speakerlab-value peer-name peer-value
    ratio=$(python3 -c "print(f'{$2/$4:.2f}')")
    echo "BENCH $1 speakerlab=$2 $3=$4 ratio=$ratio"
}

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
