"""Grouped (leave-one-article-out) evaluation with nested model selection.

Only evaluable rows (not source "authored") are ever held out and scored; every
figure is on paragraphs whose whole article the model did not see, and the
features and C used for each held-out article were chosen without it.
"""

import numpy as np

from framing.codebook import CODEBOOK_LABELS, LABEL_COLUMNS
from framing.errors import DataError
from framing.evaluation.baselines import majority_label, vader_tone
from framing.evaluation.metrics import (
    bootstrap_interval,
    calibration_bins,
    classification_metrics,
    expected_calibration_error,
    macro_f1,
)
from framing.model.classifier import DEFAULT_C, make_classifier
from framing.model.training import (
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


def _fold(texts, labels, groups, evaluable, train, test, select, candidates):
    """Fit on `train` (choosing the configuration on it alone when `select`) and
    return the held-out rows' probabilities, majority labels and the choice."""
    fold_labels = {c: [y[i] for i in train] for c, y in labels.items()}
    if select:
        selection = select_config(
            [texts[i] for i in train],
            fold_labels,
            [groups[i] for i in train],
            [evaluable[i] for i in train],
            candidates=candidates,
        )
        features, c = selection.features, selection.c
    else:
        features, c = candidates[0], {col: DEFAULT_C for col in labels}
    model = fit_model([texts[i] for i in train], fold_labels, features, c)
    probabilities = model.predict_proba([texts[i] for i in test])
    return {
        "classes": {col: model.classes(col) for col in labels},
        "probabilities": probabilities,
        "sigmoid": _sigmoid_calibrated(
            model, texts, groups, evaluable, train, test, fold_labels
        ),
        "majority": {col: majority_label(fold_labels[col]) for col in labels},
        "fold": {
            "article": str(groups[test[0]]),
            "n": len(test),
            "features": features.name,
            "C": c,
        },
    }


def _sigmoid_calibrated(model, texts, groups, evaluable, train, test, fold_labels):
    """Probabilities of the held-out rows after sigmoid (Platt) calibration: per
    class, a logistic curve on the decision value, fitted on the training fold's
    own out-of-article predictions, then renormalised (as scikit-learn's
    method="sigmoid" does). None when the fold has too few articles."""
    train_groups = [groups[i] for i in train]
    inner = list(leave_one_group_out(train_groups, [evaluable[i] for i in train]))
    if len(inner) < 2:
        return None
    x_train = model.vectorize([texts[i] for i in train])
    x_test = model.vectorize([texts[i] for i in test])
    calibrated = {}
    for column, y in fold_labels.items():
        y = np.asarray(y, dtype=object)
        classes = model.classes(column)
        held_out, decisions = [], []
        for inner_train, inner_test in inner:
            clf = make_classifier(model.c[column]).fit(
                x_train[inner_train], y[inner_train]
            )
            decisions.append(_decision_columns(clf, classes, x_train[inner_test]))
            held_out.extend(inner_test)
        decisions = np.vstack(decisions)
        test_decisions = _decision_columns(model.heads[column], classes, x_test)
        probabilities = np.column_stack(
            [
                _platt(decisions[:, k], y[held_out] == label, test_decisions[:, k])
                for k, label in enumerate(classes)
            ]
        )
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        calibrated[column] = probabilities
    return calibrated


def _decision_columns(classifier, classes, matrix) -> np.ndarray:
    """One decision value per class in `classes` order (a class the classifier
    never saw gets a very low value)."""
    scores = classifier.decision_function(matrix)
    known = classifier.classes_.tolist()
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    out = np.full((matrix.shape[0], len(classes)), -1e3)
    for k, label in enumerate(classes):
        if label in known:
            out[:, k] = scores[:, known.index(label)]
    return out


def _platt(decision, is_class, target) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    if is_class.all() or not is_class.any():
        return np.full(len(target), float(is_class.mean()))
    curve = LogisticRegression(C=1e4).fit(decision.reshape(-1, 1), is_class)
    return curve.predict_proba(target.reshape(-1, 1))[:, 1]


def cross_validate(
    texts,
    labels,
    groups,
    evaluable,
    *,
    select=True,
    candidates=CANDIDATE_FEATURES,
    jobs: int = 1,
) -> dict:
    """Out-of-fold predictions for every evaluable row, one article held out at a
    time, and the configuration chosen inside each training fold. Folds run in
    `jobs` processes; the result does not depend on it."""
    from joblib import Parallel, delayed

    n = len(texts)
    splits = list(leave_one_group_out(groups, evaluable))
    results = Parallel(n_jobs=min(jobs, len(splits)))(
        delayed(_fold)(
            texts, labels, groups, evaluable, train, test, select, candidates
        )
        for train, test in splits
    )
    out = {
        column: {
            "pred": np.empty(n, dtype=object),
            "proba": [None] * n,
            "sigmoid": [None] * n,
            "majority": np.empty(n, dtype=object),
        }
        for column in labels
    }
    for (_train, test), result in zip(splits, results):
        for column in labels:
            classes = result["classes"][column]
            proba = result["probabilities"][column]
            for row, i in enumerate(test):
                out[column]["pred"][i] = classes[int(np.argmax(proba[row]))]
                out[column]["proba"][i] = dict(zip(classes, proba[row].tolist()))
                out[column]["majority"][i] = result["majority"][column]
                if result["sigmoid"] is not None:
                    out[column]["sigmoid"][i] = result["sigmoid"][column][row].tolist()
    folds = []
    for (_train, test), result in zip(splits, results):
        fold = dict(result["fold"])
        fold["macro_f1"] = {
            column: round(
                macro_f1(
                    [labels[column][i] for i in test],
                    [out[column]["pred"][i] for i in test],
                    sorted(set(labels[column])),
                ),
                4,
            )
            for column in labels
        }
        folds.append(fold)
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
                "sigmoid": _sigmoid_summary(
                    result["predictions"][column], mask, y_true, names
                ),
            },
        }
        # VADER can only speak the codebook's tones; for a user's own labels it
        # would be a meaningless zero.
        if column == "tone" and set(y) <= set(CODEBOOK_LABELS["tone"]):
            texts_eval = np.asarray(texts, dtype=object)[mask].tolist()
            head["baselines"]["vader"] = classification_metrics(
                y_true, vader_tone(texts_eval), names
            )
        report["heads"][column] = head
    return report


def _sigmoid_summary(predictions, mask, y_true, names) -> dict | None:
    """ECE and macro-F1 of the sigmoid-calibrated probabilities, for comparison."""
    rows = [p for p, m in zip(predictions["sigmoid"], mask) if m]
    if any(p is None for p in rows):
        return None
    classes = sorted(predictions["proba"][int(np.flatnonzero(mask)[0])])
    best = [int(np.argmax(p)) for p in rows]
    pred = [classes[b] for b in best]
    confidence = [p[b] for p, b in zip(rows, best)]
    correct = [t == p for t, p in zip(y_true, pred)]
    return {
        "ece": expected_calibration_error(confidence, correct),
        "macro_f1": classification_metrics(y_true, pred, names)["macro_f1"],
        "bins": calibration_bins(confidence, correct),
    }


def evaluate_dataset(
    dataset, *, select=True, bootstrap_samples=1000, jobs: int = 1
) -> dict:
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
        result = cross_validate(
            texts, sub_labels, groups, evaluable, select=select, jobs=jobs
        )
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


def evaluation_summary(result: dict) -> dict:
    """The headline figures of an evaluation, for the model card."""
    summary = {}
    for condition, report in result["conditions"].items():
        summary[condition] = {}
        for column, head in report["heads"].items():
            summary[condition][column] = {
                "macro_f1": head["model"]["macro_f1"],
                "ci95": head["macro_f1_ci95"],
                "accuracy": head["model"]["accuracy"],
                "ece": head["calibration"]["ece"],
                "majority": head["baselines"]["majority"]["macro_f1"],
                "vader": head["baselines"].get("vader", {}).get("macro_f1"),
                "n": head["model"]["n"],
            }
    return summary
