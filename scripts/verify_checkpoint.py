"""Checks that a checkpoint written by SpeakerLab opens in Python's safetensors with the same
tensors: `speakerlab-benchmarks write-checkpoint FILE` writes a small network's parameters and
optimizer state plus a JSON sidecar of their sums; this script loads FILE with
safetensors.numpy.load_file and compares every tensor's shape and sum.

Run: pip install safetensors numpy && python3 scripts/verify_checkpoint.py FILE
"""
import json
import sys

import numpy as np
from safetensors.numpy import load_file


def main():
    path = sys.argv[1]
    tensors = load_file(path)
    with open(path + ".json") as handle:
        expected = json.load(handle)
    assert set(tensors) == set(expected), f"names differ: {sorted(set(tensors) ^ set(expected))}"
    for name, (shape, total) in expected.items():
        assert list(tensors[name].shape) == shape, f"{name}: shape {tensors[name].shape} != {shape}"
        assert tensors[name].dtype == np.float32, f"{name}: dtype {tensors[name].dtype}"
        assert abs(float(tensors[name].astype(np.float64).sum()) - total) <= 1e-3 * max(1, abs(total)), f"{name}: sum differs"
    print(f"ok: {len(tensors)} tensors match ({path})")


if __name__ == "__main__":
    main()
