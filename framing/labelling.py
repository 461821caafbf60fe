"""Turn model probabilities into labelled results for paragraphs and documents.

`label_documents` is the one labelling path: `classify` calls it with one
document, a batch chunk with many (one vectorisation for all their paragraphs).
How a document's label is made (a document model, or the length-weighted mean
of its paragraphs' probabilities) is the model's business
(framing.model.scorer); the result says which method made it.
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
    weights = None
    if words is not None:
        flat = [n for numbers in words for n in numbers]
        weights = np.maximum(np.array(flat, dtype=float), 1.0)
    wholes, methods = model.documents_probabilities(
        probabilities, texts, counts, weights
    )
    results, start = [], 0
    for number, (paragraphs, method) in enumerate(zip(documents, methods)):
        stop = start + len(paragraphs)
        result: dict = {
            column: label_result(
                classes[column], wholes[column][number], min_confidence
            )
            for column in model.heads
        }
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
                probability = probabilities[column][start + index]
                row[column] = label_result(classes[column], probability, min_confidence)
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
