"""Turn model probabilities into labelled results for paragraphs and documents.

`label_documents` is the one labelling path: `classify` calls it with one
document, a batch chunk with many (one vectorisation for all their paragraphs).
How a document's label is made (a document model, or the length-weighted mean
of its paragraphs' probabilities) is the model's business
(framing.model.scorer); the result says which method made it.
"""

from itertools import repeat

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
    return label_results(classes, np.asarray(probabilities)[None, :], min_confidence)[0]


def label_results(
    classes: list[str], probabilities: np.ndarray, min_confidence: float = 0.0
) -> list[dict]:
    """label_result for each row of `probabilities` (rows x classes), made for
    the whole array at once: taken to Python floats in one tolist() and rounded
    by map(), not one numpy scalar at a time."""
    best = probabilities.argmax(axis=1).tolist()
    results = []
    for top, row in zip(best, probabilities.tolist()):
        confidence = row[top]
        results.append(
            {
                "label": classes[top] if confidence >= min_confidence else UNCERTAIN,
                "confidence": round(confidence, DIGITS),
                "scores": dict(zip(classes, map(round, row, repeat(DIGITS)))),
            }
        )
    return results


def label_documents(
    model,
    documents: list[list[str]],
    *,
    min_confidence: float = 0.0,
    explain: int = 0,
    paragraph_rows: bool = True,
    words: list[list[int]] | None = None,
) -> list[dict]:
    """For each document (a non-empty list of paragraphs), its labels per head,
    the method that made them, and each paragraph's labels.

    With explain > 0, each paragraph gets the `explain` features that pushed it
    most toward its predicted label in each head. With paragraph_rows=False the
    paragraphs' labels are left out and `paragraph_count` says how many there
    were: a batch that writes one row per document then holds no per-paragraph
    results (a 5 MB file of one-word paragraphs needed 900 MB for them).
    `words`, each paragraph's number of words when segmentation counted them
    (split_paragraphs_counted), spares counting them again.
    """
    if any(not paragraphs for paragraphs in documents):
        raise InputError("no paragraphs to classify: the text is empty or only junk")
    texts = [p for paragraphs in documents for p in paragraphs]
    if not texts:
        return []
    matrix = model.vectorize(texts)
    probabilities = model.predict_proba(texts, matrix=matrix)
    classes = {column: model.classes(column) for column in model.heads}
    counts = np.array([len(paragraphs) for paragraphs in documents])
    flat = None if words is None else [n for numbers in words for n in numbers]
    wholes, methods = model.documents_probabilities(probabilities, texts, counts, flat)
    whole_labels = {
        column: label_results(classes[column], wholes[column], min_confidence)
        for column in model.heads
    }
    paragraph_labels = (
        {
            column: label_results(classes[column], p, min_confidence)
            for column, p in probabilities.items()
        }
        if paragraph_rows
        else {}
    )
    results, start = [], 0
    for number, (paragraphs, method) in enumerate(zip(documents, methods)):
        stop = start + len(paragraphs)
        result: dict = {column: whole_labels[column][number] for column in model.heads}
        result["method"] = method
        if not paragraph_rows:
            result["paragraph_count"] = len(paragraphs)
            results.append(result)
            start = stop
            continue
        rows = []
        for index, text in enumerate(paragraphs):
            row: dict = {"index": index, "text": text}
            for column in model.heads:
                row[column] = paragraph_labels[column][start + index]
            if explain:
                row["explanation"] = {
                    column: [
                        {"feature": name, "weight": round(weight, DIGITS)}
                        for name, weight in model.contributions(
                            matrix,
                            start + index,
                            column,
                            int(np.argmax(probabilities[column][start + index])),
                            explain,
                        )
                    ]
                    for column in model.heads
                }
            rows.append(row)
        result["paragraphs"] = rows
        results.append(result)
        start = stop
    return results


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
    return label_documents(
        model, [paragraphs], min_confidence=min_confidence, explain=explain
    )[0]
