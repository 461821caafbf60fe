"""One head's report on held-out items: metrics, interval, baselines, calibration.

Every evaluation in framing (the dev set, held-out seed articles, a user's own
coding, whole documents) ends here, so they all report the same figures the same
way.
"""

import numpy as np

from framing.evaluation.metrics import (
    bootstrap_interval,
    calibration_bins,
    classification_metrics,
    cohen_kappa,
    expected_calibration_error,
)
from framing.evaluation.results import HeadReport


def head_report(
    truth: list[str],
    predicted: list[str],
    *,
    confidence: list[float] | None = None,
    groups: list[str] | None = None,
    baselines: dict[str, list[str]] | None = None,
    bootstrap_samples: int = 1000,
) -> HeadReport:
    """Per-class precision/recall/F1, macro-F1 with a 95% bootstrap interval
    (resampling whole `groups` when given), Cohen's kappa between truth and
    model, baselines' macro-F1 on the same items, and calibration when the
    model's confidence is given."""
    labels = sorted(set(truth) | set(predicted))
    report: HeadReport = {
        "model": classification_metrics(truth, predicted, labels),
        "macro_f1_ci95": bootstrap_interval(
            truth, predicted, labels, groups=groups, samples=bootstrap_samples
        ),
        "kappa": cohen_kappa(truth, predicted),
        "baselines": {
            name: classification_metrics(truth, values, labels)
            for name, values in (baselines or {}).items()
        },
    }
    if confidence is not None:
        correct = [t == p for t, p in zip(truth, predicted)]
        report["calibration"] = {
            "ece": expected_calibration_error(confidence, correct),
            "bins": calibration_bins(confidence, correct),
        }
    return report


def top_labels(
    classes: list[str], probabilities: np.ndarray
) -> tuple[list[str], list[float]]:
    best = probabilities.argmax(axis=1)
    return [classes[i] for i in best], probabilities.max(axis=1).tolist()
