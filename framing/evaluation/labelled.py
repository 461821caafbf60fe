"""Score a fitted model on labelled paragraphs and documents it never saw: the dev
set, or a researcher's own hand coding."""

from collections import Counter

import numpy as np

from framing.codebook import CODEBOOK_LABELS
from framing.errors import DataError
from framing.evaluation.heads import head_report, top_labels
from framing.evaluation.results import HeadReport, Section
from framing.model.scorer import LENGTH_WEIGHTED_MEAN, Scorer, word_counts


def _vader_applies(column: str, truth: list[str]) -> bool:
    # VADER can only speak the codebook's tones.
    return column == "tone" and set(truth) <= set(CODEBOOK_LABELS["tone"])


def check_known_labels(scorer: Scorer, labels: dict[str, list[str]], where: str):
    for column, truth in labels.items():
        if column not in scorer.heads:
            continue
        unknown = sorted(set(truth) - set(scorer.classes(column)))
        if unknown:
            raise DataError(
                f"{where}: {column} label {unknown[0]!r} is not one the model knows "
                f"({', '.join(scorer.classes(column))})"
            )


def paragraph_heads(
    texts: list[str],
    labels: dict[str, list[str]],
    classes: dict[str, list[str]],
    probabilities: dict[str, np.ndarray],
    groups: list[str],
    *,
    majority: dict[str, list[str]] | None = None,
    bootstrap_samples: int = 1000,
) -> dict[str, HeadReport]:
    """Each head's report on labelled paragraphs from their predicted
    probabilities (columns in `classes` order), with the majority baseline when
    given (one label per paragraph) and VADER for the codebook's tones."""
    from framing.evaluation.baselines import vader_tone

    heads: dict[str, HeadReport] = {}
    for column, truth in labels.items():
        predicted, confidence = top_labels(classes[column], probabilities[column])
        baselines = {}
        if majority and column in majority:
            baselines["majority"] = majority[column]
        if _vader_applies(column, truth):
            baselines["VADER"] = vader_tone(texts)
        heads[column] = head_report(
            truth,
            predicted,
            confidence=confidence,
            groups=groups,
            baselines=baselines,
            bootstrap_samples=bootstrap_samples,
        )
    return heads


def paragraph_section(
    scorer: Scorer,
    texts: list[str],
    labels: dict[str, list[str]],
    groups: list[str],
    *,
    name: str,
    majority: dict[str, str] | None = None,
    bootstrap_samples: int = 1000,
) -> Section:
    """Paragraph-level figures of `scorer` on labelled texts."""
    heads = paragraph_heads(
        texts,
        labels,
        {column: scorer.classes(column) for column in labels},
        scorer.predict_proba(texts),
        groups,
        majority={c: [label] * len(texts) for c, label in (majority or {}).items()},
        bootstrap_samples=bootstrap_samples,
    )
    return {
        "name": name,
        "unit": "paragraphs",
        "n": len(texts),
        "documents": len(set(groups)),
        "heads": heads,
    }


def _winner(labels: list[str]) -> str:
    counts = Counter(labels)
    return min(counts, key=lambda label: (-counts[label], label))


def document_section(
    scorer: Scorer,
    documents: list[list[str]],
    truth: dict[str, list[str]],
    paragraph_truth: dict[str, list[list[str]]] | None = None,
    *,
    name: str,
    bootstrap_samples: int = 1000,
) -> Section:
    """Document-level figures: the model's own document labels beside the
    length-weighted mean of paragraph probabilities and the paragraphs' majority
    vote; and, when the paragraphs' gold labels are known, the same on the
    documents whose label differs from their paragraphs' majority (the case the
    document rule is for)."""
    texts = [p for paragraphs in documents for p in paragraphs]
    probabilities = scorer.predict_proba(texts)
    predicted: dict[str, list[str]] = {c: [] for c in truth}
    mean: dict[str, list[str]] = {c: [] for c in truth}
    vote: dict[str, list[str]] = {c: [] for c in truth}
    methods: Counter[str] = Counter()
    start = 0
    for paragraphs in documents:
        stop = start + len(paragraphs)
        block = {c: p[start:stop] for c, p in probabilities.items()}
        whole, method = scorer.document_probabilities(block, paragraphs)
        methods[method] += 1
        weights = word_counts(paragraphs)
        for column in truth:
            classes = scorer.classes(column)
            predicted[column].append(classes[int(np.argmax(whole[column]))])
            averaged = weights @ block[column] / weights.sum()
            mean[column].append(classes[int(np.argmax(averaged))])
            vote[column].append(
                _winner([classes[i] for i in block[column].argmax(axis=1)])
            )
        start = stop
    heads: dict[str, HeadReport] = {}
    for column, gold in truth.items():
        report = head_report(
            gold,
            predicted[column],
            baselines={
                LENGTH_WEIGHTED_MEAN: mean[column],
                "paragraph majority": vote[column],
            },
            bootstrap_samples=bootstrap_samples,
        )
        if paragraph_truth is not None:
            differs = [
                i
                for i, labels in enumerate(paragraph_truth[column])
                if gold[i] not in _ties(labels)
            ]
            if differs:
                pick = [gold[i] for i in differs]
                report["label_differs_from_paragraph_majority"] = {
                    "documents": len(differs),
                    "model": head_report(
                        pick,
                        [predicted[column][i] for i in differs],
                        baselines={
                            LENGTH_WEIGHTED_MEAN: [mean[column][i] for i in differs]
                        },
                        bootstrap_samples=bootstrap_samples,
                    ),
                }
        heads[column] = report
    return {
        "name": name,
        "unit": "documents",
        "n": len(documents),
        "methods": dict(methods),
        "heads": heads,
    }


def _ties(labels: list[str]) -> set[str]:
    counts = Counter(labels)
    top = max(counts.values())
    return {label for label, n in counts.items() if n == top}
