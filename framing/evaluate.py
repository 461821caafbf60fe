"""Grouped (leave-one-article-out) evaluation with nested model selection.

Only evaluable rows (not source "authored") are ever held out and scored; every
figure is on paragraphs whose whole article the model did not see, and the
features and C used for each held-out article were chosen without it.
"""

import numpy as np

from framing.baselines import majority_label, vader_tone
from framing.codebook import LABEL_COLUMNS
from framing.errors import DataError
from framing.metrics import (
    bootstrap_interval,
    calibration_bins,
    classification_metrics,
    expected_calibration_error,
)
from framing.model import DEFAULT_C
from framing.training import (
    CANDIDATE_FEATURES,
    count_groups,
    fit_model,
    leave_one_group_out,
    select_config,
)

MIN_GROUPS = 2


def check_evaluable(dataset) -> None:
    if "article" not in dataset.rows[0]:
        raise DataError(
            "evaluation holds out whole articles, but the dataset has no 'article' "
            "column; add one naming each row's source document"
        )
    groups = count_groups(dataset.groups, dataset.evaluable)
    if groups < MIN_GROUPS:
        raise DataError(
            f"evaluation needs evaluable rows from at least {MIN_GROUPS} articles, got "
            f"{groups}; add rows from more articles"
        )


def cross_validate(
    texts, labels, groups, evaluable, *, select=True, candidates=CANDIDATE_FEATURES
) -> dict:
    """Out-of-fold predictions for every evaluable row, one article held out at a
    time, and the configuration chosen inside each training fold."""
    n = len(texts)
    texts_arr = np.asarray(texts, dtype=object)
    groups_arr = np.asarray(groups, dtype=object)
    evaluable_arr = np.asarray(evaluable, dtype=bool)
    out = {
        column: {
            "pred": np.empty(n, dtype=object),
            "proba": [None] * n,
            "majority": np.empty(n, dtype=object),
        }
        for column in labels
    }
    folds = []
    for train, test in leave_one_group_out(groups, evaluable):
        fold_labels = {c: [y[i] for i in train] for c, y in labels.items()}
        if select:
            selection = select_config(
                texts_arr[train].tolist(),
                fold_labels,
                groups_arr[train].tolist(),
                evaluable_arr[train].tolist(),
                candidates=candidates,
            )
            features, c = selection.features, selection.c
        else:
            features, c = candidates[0], {col: DEFAULT_C for col in labels}
        model = fit_model(texts_arr[train].tolist(), fold_labels, features, c)
        probabilities = model.predict_proba(texts_arr[test].tolist())
        for column in labels:
            classes = model.classes(column)
            proba = probabilities[column]
            for row, i in enumerate(test):
                out[column]["pred"][i] = classes[int(np.argmax(proba[row]))]
                out[column]["proba"][i] = dict(zip(classes, proba[row].tolist()))
                out[column]["majority"][i] = majority_label(fold_labels[column])
        folds.append(
            {
                "article": str(groups_arr[test[0]]),
                "n": len(test),
                "features": features.name,
                "C": c,
            }
        )
    return {"predictions": out, "folds": folds}


def summarise(labels, evaluable, texts, result, *, bootstrap_samples=1000) -> dict:
    """Metrics, baselines and calibration for one cross-validation run."""
    mask = np.asarray(evaluable, dtype=bool)
    report = {"folds": result["folds"], "heads": {}}
    for column, y in labels.items():
        y_true = np.asarray(y, dtype=object)[mask].tolist()
        pred = result["predictions"][column]["pred"][mask].tolist()
        probas = [p for p, m in zip(result["predictions"][column]["proba"], mask) if m]
        names = sorted(set(y) | set(pred))
        confidence = [max(p.values()) for p in probas]
        correct = [t == p for t, p in zip(y_true, pred)]
        head = {
            "model": classification_metrics(y_true, pred, names),
            "macro_f1_ci95": bootstrap_interval(
                y_true, pred, names, samples=bootstrap_samples
            ),
            "baselines": {
                "majority": classification_metrics(
                    y_true,
                    result["predictions"][column]["majority"][mask].tolist(),
                    names,
                )
            },
            "calibration": {
                "ece": expected_calibration_error(confidence, correct),
                "bins": calibration_bins(confidence, correct),
            },
        }
        if column == "tone":
            texts_eval = np.asarray(texts, dtype=object)[mask].tolist()
            head["baselines"]["vader"] = classification_metrics(
                y_true, vader_tone(texts_eval), names
            )
        report["heads"][column] = head
    return report


def evaluate_dataset(dataset, *, select=True, bootstrap_samples=1000) -> dict:
    """The full grouped evaluation: with every row in training, and, when the data
    has training-only (authored) rows, without them too."""
    check_evaluable(dataset)
    labels = {column: dataset.labels(column) for column in LABEL_COLUMNS}
    conditions = {}
    variants = [("all_rows", [True] * len(dataset.rows))]
    if not all(dataset.evaluable):
        variants.append(("without_authored", dataset.evaluable))
    for name, keep in variants:
        idx = [i for i, k in enumerate(keep) if k]
        texts = [dataset.texts[i] for i in idx]
        sub_labels = {c: [y[i] for i in idx] for c, y in labels.items()}
        groups = [dataset.groups[i] for i in idx]
        evaluable = [dataset.evaluable[i] for i in idx]
        result = cross_validate(texts, sub_labels, groups, evaluable, select=select)
        conditions[name] = summarise(
            sub_labels, evaluable, texts, result, bootstrap_samples=bootstrap_samples
        )
        conditions[name]["training_rows"] = len(idx)
    return {
        "data": {
            "path": dataset.path,
            "sha256": dataset.sha256,
            "rows": len(dataset.rows),
            "evaluated_rows": sum(dataset.evaluable),
            "articles": count_groups(dataset.groups, dataset.evaluable),
        },
        "method": (
            "leave-one-article-out over the evaluable rows; authored rows only ever "
            "train; features and C chosen inside each training fold by an inner "
            "leave-one-article-out search"
            if select
            else "leave-one-article-out over the evaluable rows, default configuration"
        ),
        "conditions": conditions,
    }
