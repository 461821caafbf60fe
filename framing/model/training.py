"""Fit a Scorer: choose each head's C and class offsets by grouped cross-validation,
fit the heads on every row, and fit the document model on out-of-fold paragraph
probabilities.

Cross-validation holds out whole groups (an article, a document, or an authored
topic with all its contrast twins), so the choice rewards what carries over to
text the model has not seen rather than what memorises a source's wording. The
same out-of-fold predictions serve three choices: C, the per-class offsets that
maximise macro-F1 (the balanced class weights alone over-predict the rarer tones),
and the document model, whose inputs must be paragraph probabilities from models
that did not see those paragraphs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from framing.evaluation.metrics import macro_f1
from framing.model.extractor import FeatureConfig, FeatureExtractor
from framing.model.lexicon import boosters, lexicon
from framing.model.scorer import (
    DocumentHead,
    Scorer,
    document_summaries,
    softmax,
    word_counts,
)

CANDIDATE_C = (2.0, 8.0, 32.0, 128.0)
DOCUMENT_C = (0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5
OFFSET_STEPS = np.arange(-1.5, 1.51, 0.25)
OFFSET_PASSES = 2
# An offset or a document model must beat the simpler choice by this much in
# pooled out-of-fold macro-F1; smaller differences are noise.
MIN_GAIN = 0.005

Progress = Callable[[str, int, int], None]


def _quiet(_stage: str, _done: int, _total: int) -> None:
    pass


@dataclass
class Documents:
    """Labelled documents: for each, the row indices of its paragraphs (in order)
    and its labels per head."""

    rows: list[list[int]]
    labels: dict[str, list[str]]
    # The documents whose cross-validated macro-F1 decides (default: all).
    scored: list[bool] | None = None


@dataclass
class Selection:
    """What grouped cross-validation chose, with the figures behind each choice."""

    features: FeatureConfig
    c: dict[str, float]
    offsets: dict[str, list[float]]
    document: dict[str, dict] = field(default_factory=dict)
    cv: dict[str, dict] = field(default_factory=dict)
    folds: int = 0
    reason: str = ""

    def to_dict(self) -> dict:
        return {
            "features": self.features.to_dict(),
            "features_name": self.features.name,
            "C": self.c,
            "offsets": self.offsets,
            "document": self.document,
            "cross_validation": self.cv,
            "folds": self.folds,
            "reason": self.reason,
        }


def group_folds(groups: list[str], folds: int = FOLDS) -> np.ndarray:
    """A fold number per row: whole groups to a fold, largest groups first, each
    to the fold with the fewest rows so far (ties by fold number). Deterministic."""
    sizes: dict[str, int] = {}
    for group in groups:
        sizes[group] = sizes.get(group, 0) + 1
    load = np.zeros(folds, dtype=np.int64)
    fold_of = {}
    for group in sorted(sizes, key=lambda g: (-sizes[g], g)):
        target = int(np.argmin(load))
        fold_of[group] = target
        load[target] += sizes[group]
    return np.array([fold_of[g] for g in groups], dtype=np.int64)


def make_classifier(c: float):
    from sklearn.linear_model import LogisticRegression

    # class_weight="balanced": rare stances and tones would otherwise drown.
    # newton-cg is deterministic (the retrain test relies on it) and ten times
    # faster than lbfgs on these sparse matrices.
    return LogisticRegression(
        C=c, class_weight="balanced", solver="newton-cg", max_iter=1000, tol=1e-6
    )


def _head_logits(classifier, classes: list[str], matrix) -> np.ndarray:
    """Decision values in `classes` order; a binary head becomes [0, z] so that a
    softmax gives the classifier's own probabilities."""
    scores = classifier.decision_function(matrix)
    if scores.ndim == 1:
        scores = np.column_stack([np.zeros_like(scores), scores])
    known = classifier.classes_.tolist()
    out = np.full((matrix.shape[0], len(classes)), -1e3)
    for k, label in enumerate(classes):
        if label in known:
            out[:, k] = scores[:, known.index(label)]
    return out


def _head_weights(classifier, classes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    coef, intercept = classifier.coef_, classifier.intercept_
    if coef.shape[0] == 1:  # binary: one row of coefficients, for classes_[1]
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
    order = [classifier.classes_.tolist().index(label) for label in classes]
    return coef[order].T, intercept[order]


def _fit_fold(texts, labels, classes, features, c_grid, weights, train, test):
    """Out-of-fold logits on `test` for every head and C, from a model whose
    vocabulary and classifiers saw only `train`."""
    extractor = FeatureExtractor.fit(
        [texts[i] for i in train], features, lexicon(), boosters()
    )
    x_train = extractor.transform([texts[i] for i in train]).to_scipy()
    x_test = extractor.transform([texts[i] for i in test]).to_scipy()
    out = {}
    for column, y in labels.items():
        y_train = np.asarray(y, dtype=object)[train]
        for c in c_grid:
            classifier = make_classifier(c).fit(
                x_train, y_train, sample_weight=weights[train]
            )
            out[(column, c)] = _head_logits(classifier, classes[column], x_test)
    return out


def cross_validated_logits(
    texts: list[str],
    labels: dict[str, list[str]],
    groups: list[str],
    features: FeatureConfig,
    *,
    c_grid=CANDIDATE_C,
    weights: np.ndarray | None = None,
    folds: int = FOLDS,
    jobs: int = 1,
    progress: Progress = _quiet,
) -> dict[tuple[str, float], np.ndarray]:
    """Pooled out-of-fold logits (rows x classes) for every (head, C). Folds run in
    `jobs` processes; the result does not depend on it."""
    from joblib import Parallel, delayed

    classes = {column: sorted(set(y)) for column, y in labels.items()}
    weights = np.ones(len(texts)) if weights is None else np.asarray(weights, float)
    fold = group_folds(groups, folds)
    splits = [
        (np.flatnonzero(fold != k), np.flatnonzero(fold == k))
        for k in range(folds)
        if (fold == k).any()
    ]
    progress("cross-validation folds", 0, len(splits))
    results = []
    parallel = Parallel(n_jobs=min(jobs, len(splits)), return_as="generator")
    for done, result in enumerate(
        parallel(
            delayed(_fit_fold)(texts, labels, classes, features, c_grid, weights, *s)
            for s in splits
        ),
        start=1,
    ):
        results.append(result)
        progress("cross-validation folds", done, len(splits))
    pooled = {}
    for key in results[0]:
        column = key[0]
        logits = np.zeros((len(texts), len(classes[column])))
        for (_train, test), result in zip(splits, results):
            logits[test] = result[key]
        pooled[key] = logits
    return pooled


def choose_offsets(
    logits: np.ndarray, truth: list[str], classes: list[str]
) -> tuple[np.ndarray, float, float]:
    """Per-class additive offsets to the logits that maximise macro-F1 on these
    out-of-fold predictions (coordinate ascent on a grid); returns the offsets and
    macro-F1 before and after. Offsets that gain less than MIN_GAIN are zero."""
    offsets = np.zeros(len(classes))
    labels = np.asarray(classes, dtype=object)

    def score(candidate: np.ndarray) -> float:
        predicted = labels[np.argmax(logits + candidate, axis=1)]
        return macro_f1(truth, list(predicted), classes)

    base = best = score(offsets)
    for _ in range(OFFSET_PASSES):
        for k in range(len(classes)):
            for step in OFFSET_STEPS:
                candidate = offsets.copy()
                candidate[k] = step
                value = score(candidate)
                if value > best + 1e-9:
                    best, offsets = value, candidate
    if best < base + MIN_GAIN:
        return np.zeros(len(classes)), base, base
    return offsets, base, best


def _document_inputs(probabilities: np.ndarray, texts, documents: Documents):
    return np.array(
        [
            document_summaries(
                probabilities[rows], word_counts([texts[i] for i in rows])
            )
            for rows in documents.rows
        ]
    )


def fit_document_heads(
    probabilities: dict[str, np.ndarray],
    texts: list[str],
    documents: Documents,
    classes: dict[str, list[str]],
    *,
    folds: int = FOLDS,
) -> tuple[dict[str, DocumentHead], dict[str, dict]]:
    """A document head per label column, kept only where it beats the
    length-weighted mean of paragraph probabilities in cross-validation over the
    documents. Returns the heads and the figures."""
    heads, report = {}, {}
    fold = np.arange(len(documents.rows)) % folds
    scored = np.asarray(
        documents.scored if documents.scored else [True] * len(documents.rows)
    )
    for column, p in probabilities.items():
        truth = documents.labels[column]
        judged = [t for t, s in zip(truth, scored) if s]
        x = _document_inputs(p, texts, documents)
        k = len(classes[column])
        mean_prediction = [classes[column][i] for i in x[:, :k].argmax(axis=1)]
        mean_f1 = macro_f1(
            judged, [m for m, s in zip(mean_prediction, scored) if s], classes[column]
        )
        best_c, best_f1 = None, -1.0
        for c in DOCUMENT_C:
            predicted = np.empty(len(truth), dtype=object)
            for f in range(folds):
                train, test = fold != f, fold == f
                if len(set(np.asarray(truth)[train])) < 2:
                    continue
                model = make_classifier(c).fit(x[train], np.asarray(truth)[train])
                predicted[test] = model.predict(x[test])
            value = macro_f1(judged, list(predicted[scored]), classes[column])
            if value > best_f1 + 1e-9:
                best_c, best_f1 = c, value
        used = best_c is not None and best_f1 >= mean_f1 + MIN_GAIN
        report[column] = {
            "documents": len(truth),
            "scored_documents": int(scored.sum()),
            "macro_f1_document_model": round(best_f1, 4),
            "macro_f1_length_weighted_mean": round(mean_f1, 4),
            "C": best_c,
            "used": bool(used),
        }
        if best_c is not None and used:
            model = make_classifier(best_c).fit(x, truth)
            weights, bias = _head_weights(model, classes[column])
            heads[column] = DocumentHead(weights=weights, bias=bias)
    return heads, report


def train_scorer(
    texts: list[str],
    labels: dict[str, list[str]],
    groups: list[str],
    *,
    features: FeatureConfig,
    documents: Documents | None = None,
    weights: np.ndarray | None = None,
    c_grid=CANDIDATE_C,
    folds: int = FOLDS,
    select: bool = True,
    scored: np.ndarray | None = None,
    jobs: int = 1,
    progress: Progress = _quiet,
) -> tuple[Scorer, Selection]:
    """Choose C, offsets and the document model by grouped cross-validation (when
    `select` and there are enough groups), then fit everything on all rows.

    Every row is held out once, but only the `scored` rows (default: all) count
    in the macro-F1 that decides: training can include paragraphs written to
    exemplify the labels while the choice is judged on running text."""
    classes = {column: sorted(set(y)) for column, y in labels.items()}
    weights = np.ones(len(texts)) if weights is None else np.asarray(weights, float)
    selection = Selection(
        features=features,
        c={column: c_grid[len(c_grid) // 2] for column in labels},
        offsets={column: [0.0] * len(classes[column]) for column in labels},
    )
    enough = len(set(groups)) >= folds
    scored = np.ones(len(texts), dtype=bool) if scored is None else np.asarray(scored)
    if select and enough:
        pooled = cross_validated_logits(
            texts,
            labels,
            groups,
            features,
            c_grid=c_grid,
            weights=weights,
            folds=folds,
            jobs=jobs,
            progress=progress,
        )
        selection.folds = folds
        oof = {}
        for column, all_truth in labels.items():
            truth = [y for y, s in zip(all_truth, scored) if s]
            scores = {
                c: macro_f1(
                    truth,
                    [
                        classes[column][i]
                        for i in pooled[(column, c)][scored].argmax(axis=1)
                    ],
                    classes[column],
                )
                for c in c_grid
            }
            best = max(c_grid, key=lambda c: (scores[c], -c))
            offsets, before, after = choose_offsets(
                pooled[(column, best)][scored], truth, classes[column]
            )
            selection.c[column] = best
            selection.offsets[column] = [round(float(o), 4) for o in offsets]
            selection.cv[column] = {
                "scored_rows": int(scored.sum()),
                "macro_f1_by_C": {str(c): round(v, 4) for c, v in scores.items()},
                "macro_f1": round(before, 4),
                "macro_f1_with_offsets": round(after, 4),
            }
            oof[column] = softmax(pooled[(column, best)] + offsets)
        selection.reason = (
            f"C and per-class offsets by {folds}-fold grouped cross-validation "
            "(whole articles, documents and authored topics held out), maximising "
            "pooled out-of-fold macro-F1"
        )
    else:
        oof = {}
        selection.reason = "defaults, not selected: " + (
            "selection switched off" if not select else f"fewer than {folds} groups"
        )
    progress("fitting the model on every row", 0, 1)
    extractor = FeatureExtractor.fit(texts, features, lexicon(), boosters())
    matrix = extractor.transform(texts).to_scipy()
    head_weights, head_bias = [], []
    for column, y in labels.items():
        classifier = make_classifier(selection.c[column]).fit(
            matrix, y, sample_weight=weights
        )
        w, b = _head_weights(classifier, classes[column])
        head_weights.append(w)
        head_bias.append(b + np.asarray(selection.offsets[column]))
    scorer = Scorer(
        extractor=extractor,
        heads=classes,
        weights=np.hstack(head_weights),
        bias=np.concatenate(head_bias),
    )
    progress("fitting the model on every row", 1, 1)
    if documents is not None and documents.rows and oof:
        progress("document model", 0, 1)
        scorer.document_heads, selection.document = fit_document_heads(
            oof, texts, documents, classes, folds=folds
        )
        scorer.document_heads = scorer.document_heads or None
        progress("document model", 1, 1)
    return scorer, selection
