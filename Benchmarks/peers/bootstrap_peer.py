"""The NumPy side of the speaker-bootstrap benchmark: the same kind of trials (1,000 speakers, one
trial in ten a target, N(2,1) against N(0,1)) and the same resampling (speakers drawn with
replacement; a trial weighs c_enrol * c_test, or c_s for a target), vectorised as a NumPy user
would write it: one sort, then per replicate a weighted cumulative sum and the EER at the crossing.
Prints seconds=V."""
import sys
import time

import numpy as np


def main():
    count, replicates = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(4)
    speakers = 1000
    test = rng.integers(0, speakers, count)
    target = np.arange(count) % 10 == 0
    offset = rng.integers(1, speakers, count)
    enrol = np.where(target, test, (test + offset) % speakers)
    scores = target * 2.0 + rng.normal(size=count)
    start = time.perf_counter()
    order = np.argsort(-scores, kind="stable")
    t_sorted, e_sorted, y_sorted = test[order], enrol[order], target[order]
    values = []
    for _ in range(replicates):
        counts = np.bincount(rng.integers(0, speakers, speakers), minlength=speakers)
        w = np.where(y_sorted, counts[t_sorted], counts[e_sorted] * counts[t_sorted]).astype(float)
        tp, fp = np.cumsum(w * y_sorted), np.cumsum(w * ~y_sorted)
        miss, fa = 1 - tp / tp[-1], fp / fp[-1]
        i = np.argmax(miss <= fa)
        values.append((miss[i] + fa[i]) / 2)
    lower, upper = np.percentile(values, [2.5, 97.5])
    print(f"seconds={time.perf_counter() - start:.3f} lower={lower:.5f} upper={upper:.5f}")


if __name__ == "__main__":
    main()
