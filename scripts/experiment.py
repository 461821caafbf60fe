"""What scripts/ablation.py and scripts/source_weight.py share: train as `framing
train` does, measure grouped CV and the dev set, and decide by the project's rule.

The rule: a change is kept if it raises the grouped-CV macro-F1 (mean of stance
and tone, pooled out-of-fold on the running text) and its paired-bootstrap 95%
interval of the dev-set difference (whole dev documents resampled) is above zero
for at least one head.
"""

import numpy as np

from framing.codebook import LABEL_COLUMNS
from framing.evaluation.metrics import macro_f1, paired_difference
from framing.model.training import train_scorer


def measure(training, features, dev_set, *, documents: bool, jobs: int):
    """(figures, dev predictions) of a model trained on `training` with
    `features`: figures holds the CV and dev macro-F1 per head."""
    scorer, selection = train_scorer(
        training.texts,
        training.labels,
        training.groups,
        features=features,
        documents=training.documents if documents else None,
        weights=training.weights,
        scored=training.scored,
        jobs=jobs,
    )
    probabilities = scorer.predict_proba(dev_set.texts)
    predictions = {
        c: [scorer.classes(c)[i] for i in probabilities[c].argmax(axis=1)]
        for c in LABEL_COLUMNS
    }
    truth = {c: dev_set.labels(c) for c in LABEL_COLUMNS}
    figures = {
        "cv": {c: selection.cv[c]["macro_f1_with_offsets"] for c in LABEL_COLUMNS},
        "dev": {
            c: round(macro_f1(truth[c], predictions[c], sorted(set(truth[c]))), 4)
            for c in LABEL_COLUMNS
        },
    }
    return figures, predictions


def decide(base: tuple, other: tuple, dev_set) -> dict:
    """The rule applied to two measured models, (figures, predictions) each:
    whether `other` is kept over `base`, with the CV gain and the dev gains."""
    (base_figures, base_predictions), (figures, predictions) = base, other
    cv_gain = float(
        np.mean([figures["cv"][c] - base_figures["cv"][c] for c in LABEL_COLUMNS])
    )
    dev = {
        c: paired_difference(
            dev_set.labels(c),
            base_predictions[c],
            predictions[c],
            sorted(set(dev_set.labels(c))),
            groups=dev_set.documents,
        )
        for c in LABEL_COLUMNS
    }
    keep = cv_gain > 0 and any(d["ci95"][0] > 0 for d in dev.values())
    return {"kept": keep, "cv_gain": round(cv_gain, 4), "dev_gain": dev}
