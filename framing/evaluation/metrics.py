"""Classification metrics for a grouped evaluation (pure functions on label lists)."""

import warnings

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from framing.evaluation.results import Metrics

BOOTSTRAP_SAMPLES = 1000


def classification_metrics(y_true, y_pred, labels: list[str]) -> Metrics:
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    return {
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "macro_f1": round(macro_f1(y_true, y_pred, labels), 4),
        "accuracy": round(float(np.mean(np.asarray(y_true) == np.asarray(y_pred))), 4),
        "confusion": {"labels": labels, "matrix": _confusion(y_true, y_pred, labels)},
        "n": len(y_true),
    }


def _confusion(y_true, y_pred, labels: list[str]) -> list[list[int]]:
    with warnings.catch_warnings():
        # scikit-learn warns when the items hold one label only, asking for the
        # `labels` we pass: the matrix is right, and the warning reached stderr.
        warnings.filterwarnings("ignore", "A single label was found", UserWarning)
        return confusion_matrix(y_true, y_pred, labels=labels).tolist()


def macro_f1(y_true, y_pred, labels: list[str]) -> float:
    """Macro-F1 over the labels that occur in the truth (a label absent from the
    held-out data cannot be scored, and predicting it is already an error)."""
    present = [label for label in labels if label in set(y_true)]
    return float(
        f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)
    )


def _resample(n: int, groups, rng) -> np.ndarray:
    """Indices of a bootstrap resample: whole groups (documents) with
    replacement when `groups` is given, else single items."""
    if groups is None:
        return rng.integers(0, n, n)
    groups = np.asarray(groups, dtype=object)
    names, members = np.unique(groups, return_inverse=True)
    rows_of = [np.flatnonzero(members == g) for g in range(len(names))]
    chosen = rng.integers(0, len(names), len(names))
    return np.concatenate([rows_of[g] for g in chosen])


def bootstrap_interval(
    y_true, y_pred, labels, *, groups=None, samples=BOOTSTRAP_SAMPLES, seed=0
):
    """95% percentile interval of macro-F1. With `groups` (the document of each
    paragraph) whole documents are resampled, because paragraphs of one document
    are not independent; without, single items are."""
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(samples):
        pick = _resample(len(y_true), groups, rng)
        values.append(macro_f1(list(y_true[pick]), list(y_pred[pick]), labels))
    low, high = np.percentile(values, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def paired_difference(
    y_true, first, second, labels, *, groups=None, samples=BOOTSTRAP_SAMPLES, seed=0
) -> dict:
    """Macro-F1 of `second` minus that of `first` on the same items, with a 95%
    interval from resampling the items (or whole groups) once for both."""
    y_true = np.asarray(y_true, dtype=object)
    first, second = np.asarray(first, dtype=object), np.asarray(second, dtype=object)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(samples):
        pick = _resample(len(y_true), groups, rng)
        truth = list(y_true[pick])
        values.append(
            macro_f1(truth, list(second[pick]), labels)
            - macro_f1(truth, list(first[pick]), labels)
        )
    low, high = np.percentile(values, [2.5, 97.5])
    gain = macro_f1(list(y_true), list(second), labels) - macro_f1(
        list(y_true), list(first), labels
    )
    return {
        "gain": round(gain, 4),
        "ci95": [round(float(low), 4), round(float(high), 4)],
    }


def cohen_kappa(first: list[str], second: list[str]) -> float:
    """Agreement beyond chance between two labellings of the same items."""
    n = len(first)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in zip(first, second)) / n
    count_a: dict[str, int] = {}
    count_b: dict[str, int] = {}
    for a, b in zip(first, second):
        count_a[a] = count_a.get(a, 0) + 1
        count_b[b] = count_b.get(b, 0) + 1
    expected = sum(count_a[k] * count_b.get(k, 0) for k in count_a) / n**2
    return round((observed - expected) / (1 - expected), 4) if expected < 1 else 1.0


def calibration_bins(confidence, correct, bins: int = 10) -> list[dict]:
    """Reliability table: per confidence bin, mean confidence, accuracy, count."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, float)
    edges = np.linspace(0, 1, bins + 1)
    index = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    table = []
    for b in range(bins):
        members = index == b
        if members.any():
            table.append(
                {
                    "low": round(float(edges[b]), 2),
                    "high": round(float(edges[b + 1]), 2),
                    "confidence": round(float(confidence[members].mean()), 4),
                    "accuracy": round(float(correct[members].mean()), 4),
                    "count": int(members.sum()),
                }
            )
    return table


def expected_calibration_error(confidence, correct, bins: int = 10) -> float:
    """Count-weighted mean gap between confidence and accuracy over bins."""
    table = calibration_bins(confidence, correct, bins)
    total = sum(row["count"] for row in table)
    gap = sum(row["count"] * abs(row["confidence"] - row["accuracy"]) for row in table)
    return round(gap / total, 4) if total else 0.0
