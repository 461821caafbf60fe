"""Classification metrics for a grouped evaluation (pure functions on label lists)."""

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

BOOTSTRAP_SAMPLES = 1000


def classification_metrics(y_true, y_pred, labels: list[str]) -> dict:
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
        "confusion": {
            "labels": labels,
            "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        },
        "n": len(y_true),
    }


def macro_f1(y_true, y_pred, labels: list[str]) -> float:
    """Macro-F1 over the labels that occur in the truth (a label absent from the
    held-out data cannot be scored, and predicting it is already an error)."""
    present = [label for label in labels if label in set(y_true)]
    return float(
        f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)
    )


def bootstrap_interval(y_true, y_pred, labels, *, samples=BOOTSTRAP_SAMPLES, seed=0):
    """95% percentile interval of macro-F1 over paragraphs resampled with
    replacement. Paragraphs of one article are not independent, so this interval
    is, if anything, too narrow."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(samples):
        pick = rng.integers(0, len(y_true), len(y_true))
        values.append(macro_f1(y_true[pick], y_pred[pick], labels))
    low, high = np.percentile(values, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


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
