"""The ONNX export check: for DeepSpeaker, SE-ResNet and the thin ResNet-34, train a small run,
export it with `speakerlab export`, run the model in onnxruntime on the features `speakerlab
embed --features` wrote, and compare with the embeddings `speakerlab embed` computed for the same
files (whole utterances of several lengths, batch of one). Fails when any value differs by more
than 1e-4. onnxruntime and numpy are installed by this script into a temporary folder; no test
needs them. CI runs it after `make test`:

    python3 scripts/check_onnx_export.py [--speakerlab .build/release/speakerlab]
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = [("deepspeaker", "Experiments/synthetic/deepspeaker.yaml"),
          ("se-resnet", "Experiments/synthetic/se-resnet.yaml"),
          ("thin-resnet34", "Experiments/synthetic/modern.yaml")]
TOLERANCE = 1e-4


def speakerlab(binary, *arguments):
    """Runs speakerlab; its output is shown only when it fails."""
    done = subprocess.run([binary, *arguments], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"speakerlab {' '.join(arguments)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--speakerlab", default=os.path.join(ROOT, ".build/release/speakerlab"))
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="speakerlab-onnx-") as work:
        check(arguments.speakerlab, work)


def check(binary, work):
    packages = os.path.join(work, "python")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", packages,
                    "onnxruntime==1.23.2", "numpy<2.4"], check=True)
    sys.path.insert(0, packages)
    import numpy as np
    import onnxruntime

    results = os.path.join(work, "Results")
    worst_overall = 0.0
    for name, spec in MODELS:
        run = f"onnx-check-{name}"
        # A small corpus and one epoch: the check is of the export, not of the training.
        speakerlab(binary, "run", spec, "--results", results, "--set", f"name={run}", "--set", "dataset.speakers=12",
                   "--set", "dataset.utterances=4", "--set", "pretrain.epochs=1", "--set", "~finetune")
        folder = os.path.join(results, run)
        model = os.path.join(work, f"{name}.onnx")
        speakerlab(binary, "export", folder, "--onnx", model)
        files = sorted(glob.glob(os.path.join(results, ".cache", "*", "*", "corpus", "test", "*", "*.wav")))[:6]
        assert files, "no test audio in the run's cache"
        for length in ["whole", "run"]:
            out = os.path.join(work, f"{name}-{length}")
            speakerlab(binary, "embed", folder, *files, "--out", out, "--features", "--length", length)
            expected = np.load(os.path.join(out, "embeddings.npy"))
            session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
            worst = 0.0
            frames = []
            for row in range(len(files)):
                features = np.load(os.path.join(out, "features", f"{row:06d}.npy")).astype(np.float32)
                frames.append(features.shape[0])
                (embedding,) = session.run(["embedding"], {"features": features[None, :, :]})
                worst = max(worst, float(np.abs(embedding[0] - expected[row]).max()))
            print(f"{name:14s} {length:5s} {len(files)} files, {min(frames)}–{max(frames)} frames: max |onnxruntime − speakerlab embed| = {worst:.3g}")
            worst_overall = max(worst_overall, worst)
            if worst > TOLERANCE:
                sys.exit(f"{name}: the ONNX model differs from speakerlab embed by {worst} (> {TOLERANCE})")
    print(f"ONNX export check passed: every embedding within {TOLERANCE} (worst {worst_overall:.3g})")


if __name__ == "__main__":
    main()
