"""Turn model probabilities into labelled results for paragraphs and documents.

A document's label is the length-weighted mean of its paragraphs' probabilities:
each paragraph counts in proportion to its number of words, so a one-line
headline does not outvote a long paragraph of argument.
"""

import numpy as np

from framing.errors import InputError
from framing.text.segment import split_paragraphs

UNCERTAIN = "uncertain"
DIGITS = 4


def label_result(
    classes: list[str], probabilities, min_confidence: float = 0.0
) -> dict:
    """{"label", "confidence", "scores"}; the label is "uncertain" when the top
    probability is below `min_confidence`."""
    best = int(np.argmax(probabilities))
    confidence = float(probabilities[best])
    return {
        "label": classes[best] if confidence >= min_confidence else UNCERTAIN,
        "confidence": round(confidence, DIGITS),
        "scores": {c: round(float(p), DIGITS) for c, p in zip(classes, probabilities)},
    }


def word_counts(paragraphs: list[str]) -> np.ndarray:
    return np.array([max(len(p.split()), 1) for p in paragraphs], dtype=float)


def document_probabilities(
    probabilities: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    return weights @ probabilities / weights.sum()


def classify_paragraphs(
    model, paragraphs: list[str], *, min_confidence: float = 0.0, explain: int = 0
) -> dict:
    """The documented classify result for a list of paragraphs of one document.

    With explain > 0, each paragraph gets the `explain` features that pushed it most
    toward its predicted stance and tone.
    """
    if not paragraphs:
        raise InputError("no paragraphs to classify: the text is empty or only junk")
    matrix = model.vectorize(paragraphs)
    probabilities = model.predict_proba(paragraphs, matrix=matrix)
    weights = word_counts(paragraphs)
    result = {
        column: label_result(
            model.classes(column),
            document_probabilities(probabilities[column], weights),
            min_confidence,
        )
        for column in model.heads
    }
    rows = []
    for index, text in enumerate(paragraphs):
        row = {"index": index, "text": text}
        for column in model.heads:
            row[column] = label_result(
                model.classes(column), probabilities[column][index], min_confidence
            )
        if explain:
            row["explanation"] = {
                column: [
                    {"feature": name, "weight": round(weight, DIGITS)}
                    for name, weight in model.contributions(
                        matrix[index],
                        column,
                        int(np.argmax(probabilities[column][index])),
                        explain,
                    )
                ]
                for column in model.heads
            }
        rows.append(row)
    result["paragraphs"] = rows
    return result


def classify_text(
    model, text: str, *, min_confidence: float = 0.0, explain: int = 0
) -> dict:
    """Split `text` into paragraphs and classify them and the whole."""
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise InputError(
            "no text to classify: give some words as an argument, with --file, or on "
            "standard input"
        )
    return classify_paragraphs(
        model, paragraphs, min_confidence=min_confidence, explain=explain
    )
