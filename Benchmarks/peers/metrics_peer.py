"""The scikit-learn side of the metrics benchmark: EER (from roc_curve), AUC, AP and two minDCFs
on the same kind of trials (1% targets, N(2,1) against N(0,1)). Prints seconds=V."""
import sys
import time

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve


def main():
    count = int(sys.argv[1])
    rng = np.random.default_rng(3)
    labels = (np.arange(count) % 100 == 0).astype(int)
    scores = labels * 2.0 + rng.normal(size=count)
    start = time.perf_counter()
    fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
    fnr = 1 - tpr
    i = np.nanargmin(np.abs(fnr - fpr))
    eer = (fpr[i] + fnr[i]) / 2
    auc = roc_auc_score(labels, scores)
    ap = average_precision_score(labels, scores)
    for p in (0.01, 0.001):
        np.min(fnr * p + fpr * (1 - p)) / min(p, 1 - p)
    print(f"seconds={time.perf_counter() - start:.3f} eer={eer:.5f}")


if __name__ == "__main__":
    main()
