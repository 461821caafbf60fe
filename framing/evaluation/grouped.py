"""Evaluate the training procedure by holding out whole documents.

Each outer fold trains a fresh model without the held-out documents, choosing C
and class offsets again inside its own training rows (nested), and predicts the
held-out paragraphs. Only evaluable rows (a user's or the seed articles', not the
authored training-only rows) are ever held out and scored; with few documents
(the five seed articles) each fold holds out one.
"""

import numpy as np

from framing.errors import DataError
from framing.evaluation.labelled import paragraph_heads
from framing.evaluation.metrics import macro_f1
from framing.evaluation.results import Section
from framing.model.training import (
    CANDIDATE_C,
    FOLDS,
    Progress,
    _quiet,
    group_folds,
    train_scorer,
)

MIN_DOCUMENTS = 2


def outer_splits(groups: list[str], evaluable: list[bool], folds: int = FOLDS):
    """(name, train rows, test rows) per outer fold: whole evaluable documents are
    held out; other rows always train."""
    evaluable_arr = np.asarray(evaluable, dtype=bool)
    held = sorted({g for g, e in zip(groups, evaluable) if e})
    if len(held) < MIN_DOCUMENTS:
        raise DataError(
            f"evaluation holds out whole documents, and needs evaluable rows from "
            f"at least {MIN_DOCUMENTS}, got {len(held)}; name each row's document "
            "in an 'article' column (authored rows are never held out)"
        )
    k = min(folds, len(held))
    fold_of_group = dict(zip(held, group_folds(held, k)))
    fold = np.array([fold_of_group.get(g, -1) for g in groups])
    splits = []
    for f in range(k):
        test = np.flatnonzero((fold == f) & evaluable_arr)
        held_groups = {groups[i] for i in test}
        train = np.flatnonzero([g not in held_groups for g in groups])
        name = ", ".join(sorted(g.split(":", 1)[-1] for g in held_groups))
        splits.append((name, train, test))
    return splits


def held_out_section(
    training,
    *,
    features,
    evaluable: list[bool],
    name: str,
    select: bool = True,
    c_grid=CANDIDATE_C,
    folds: int = FOLDS,
    bootstrap_samples: int = 1000,
    jobs: int = 1,
    progress: Progress = _quiet,
) -> Section:
    """Paragraph figures for the training procedure on `training` (a
    TrainingSet), every evaluable paragraph predicted by a model that never saw
    its document."""
    from framing.evaluation.baselines import majority_label

    splits = outer_splits(training.groups, evaluable, folds)
    n = len(training.texts)
    classes = {c: sorted(set(y)) for c, y in training.labels.items()}
    probabilities = {c: np.zeros((n, len(k))) for c, k in classes.items()}
    majority = {c: [""] * n for c in classes}
    fold_reports = []
    scored = []
    progress("held-out folds", 0, len(splits))
    for done, (held, train, test) in enumerate(splits, start=1):
        scorer, selection = train_scorer(
            [training.texts[i] for i in train],
            {c: [y[i] for i in train] for c, y in training.labels.items()},
            [training.groups[i] for i in train],
            features=features,
            weights=training.weights[train],
            scored=training.scored[train],
            select=select,
            c_grid=c_grid,
            folds=folds,
            jobs=jobs,
        )
        fold_probabilities = scorer.predict_proba([training.texts[i] for i in test])
        report = {"held_out": held, "n": len(test), "C": selection.c, "macro_f1": {}}
        for column, y in training.labels.items():
            order = [scorer.classes(column).index(label) for label in classes[column]]
            probabilities[column][test] = fold_probabilities[column][:, order]
            winner = majority_label([y[i] for i in train])
            for i in test:
                majority[column][i] = winner
            report["macro_f1"][column] = round(
                macro_f1(
                    [y[i] for i in test],
                    [classes[column][j] for j in probabilities[column][test].argmax(1)],
                    classes[column],
                ),
                4,
            )
        fold_reports.append(report)
        scored.extend(test.tolist())
        progress("held-out folds", done, len(splits))
    scored.sort()
    texts = [training.texts[i] for i in scored]
    groups = [training.groups[i] for i in scored]
    heads = paragraph_heads(
        texts,
        {c: [y[i] for i in scored] for c, y in training.labels.items()},
        classes,
        {c: p[scored] for c, p in probabilities.items()},
        groups,
        majority={c: [m[i] for i in scored] for c, m in majority.items()},
        bootstrap_samples=bootstrap_samples,
    )
    return {
        "name": name,
        "unit": "paragraphs",
        "n": len(scored),
        "documents": len(set(groups)),
        "heads": heads,
        "folds": fold_reports,
        "method": (
            "whole documents held out; C and class offsets chosen again inside "
            "each training fold by grouped cross-validation"
            if select
            else "whole documents held out; default C, no offsets"
        ),
    }
