"""The fitted model as plain arrays: features in, probabilities out, numpy only.

Both heads (and any others a user trains) are one weight matrix: the features of
a batch times `weights` gives every head's logits in one product, and each head's
softmax turns its slice into probabilities. Nothing here imports scikit-learn or
scipy, so `framing classify` and `framing score` start in about the time numpy
takes to import.

A document is labelled by a small document model when the model has one: a
logistic regression per head over summaries of its paragraphs' probabilities
(the length-weighted mean, the maximum, the first paragraph, the last paragraph,
and the share of paragraphs where each label wins), trained on documents
labelled by the codebook's document rule. Readers judge a document by its thesis,
usually in its headline, lead and conclusion, not by the average of its
paragraphs.
"""

from dataclasses import dataclass

import numpy as np

from framing.model.extractor import FeatureExtractor, FeatureRows

DOCUMENT_MODEL = "document model"
SINGLE_PARAGRAPH = "single paragraph"
LENGTH_WEIGHTED_MEAN = "length-weighted mean"
SUMMARIES = ("mean", "max", "first", "last", "share")


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def word_counts(paragraphs: list[str]) -> np.ndarray:
    return np.array([max(len(p.split()), 1) for p in paragraphs], dtype=float)


def document_summaries(probabilities: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The document model's inputs for one document and one head: per label, the
    length-weighted mean, max, first, last and winning share of its paragraphs'
    probabilities (5 x labels values)."""
    mean = weights @ probabilities / weights.sum()
    wins = np.bincount(
        probabilities.argmax(axis=1), minlength=probabilities.shape[1]
    ) / len(probabilities)
    return np.concatenate(
        [mean, probabilities.max(axis=0), probabilities[0], probabilities[-1], wins]
    )


@dataclass
class DocumentHead:
    """Logistic regression of one head's document label on document_summaries."""

    weights: np.ndarray  # (5 x labels) x labels
    bias: np.ndarray

    def probabilities(self, summaries: np.ndarray) -> np.ndarray:
        return softmax(summaries @ self.weights + self.bias)


@dataclass
class Scorer:
    """A fitted framing model: the extractor, one weight matrix for all heads,
    and optionally a document model per head."""

    extractor: FeatureExtractor
    heads: dict[str, list[str]]  # label column -> its classes, in column order
    weights: np.ndarray  # features x (sum of classes over heads)
    bias: np.ndarray
    document_heads: dict[str, DocumentHead] | None = None

    def classes(self, column: str) -> list[str]:
        return self.heads[column]

    def _slices(self) -> dict[str, slice]:
        slices, start = {}, 0
        for column, classes in self.heads.items():
            slices[column] = slice(start, start + len(classes))
            start += len(classes)
        return slices

    def vectorize(self, texts: list[str]) -> FeatureRows:
        return self.extractor.transform(texts)

    def logits(self, rows: FeatureRows) -> np.ndarray:
        """Every head's logits for every row. Each row's sum runs over its own
        features in a fixed order, so a paragraph gets the same numbers whatever
        else is in the batch."""
        outputs = self.weights.shape[1]
        logits = np.zeros((rows.rows, outputs))
        if len(rows.data):
            contributions = rows.data[:, None] * self.weights[rows.indices]
            filled = np.flatnonzero(np.diff(rows.indptr) > 0)
            logits[filled] = np.add.reduceat(
                contributions, rows.indptr[:-1][filled], axis=0
            )
        if rows.dense.shape[1]:
            logits += rows.dense @ self.weights[rows.width :]
        return logits + self.bias

    def predict_proba(
        self, texts: list[str], matrix: FeatureRows | None = None
    ) -> dict[str, np.ndarray]:
        """Per head, an array (texts x classes) of probabilities."""
        rows = self.vectorize(texts) if matrix is None else matrix
        logits = self.logits(rows)
        return {
            column: softmax(logits[:, part]) for column, part in self._slices().items()
        }

    def document_probabilities(
        self, probabilities: dict[str, np.ndarray], paragraphs: list[str]
    ) -> tuple[dict[str, np.ndarray], str]:
        """Each head's probabilities for a whole document from its paragraphs'
        probabilities, and the method that made them."""
        if len(paragraphs) == 1:
            return {c: p[0] for c, p in probabilities.items()}, SINGLE_PARAGRAPH
        weights = word_counts(paragraphs)
        documents = self.document_heads or {}
        out, methods = {}, {}
        for column, p in probabilities.items():
            if column in documents:
                summaries = document_summaries(p, weights)
                out[column] = documents[column].probabilities(summaries[None])[0]
                methods[column] = DOCUMENT_MODEL
            else:
                out[column] = weights @ p / weights.sum()
                methods[column] = LENGTH_WEIGHTED_MEAN
        if len(set(methods.values())) == 1:
            return out, next(iter(methods.values()))
        return out, "; ".join(f"{c}: {m}" for c, m in methods.items())

    def contributions(
        self, rows: FeatureRows, i: int, column: str, class_index: int, top: int
    ) -> list[tuple[str, float]]:
        """The features of row i that pushed it most toward `class_index` of
        `column`: (name, weight x feature value), strongest first. The weight is
        relative to the head's mean weight, so what counts is what favours this
        class over the others."""
        part = self._slices()[column]
        head = self.weights[:, part]
        relative = head[:, class_index] - head.mean(axis=1)
        indices, values = rows.row(i)
        pushed = values * relative[indices]
        order = np.argsort(-pushed, kind="stable")[:top]
        names = self.extractor.names()
        return [(names[indices[j]], float(pushed[j])) for j in order if pushed[j] > 0]
