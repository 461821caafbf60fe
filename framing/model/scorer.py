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
from framing.model.tokens import distinct_sorted

DOCUMENT_MODEL = "document model"
SINGLE_PARAGRAPH = "single paragraph"
LENGTH_WEIGHTED_MEAN = "length-weighted mean"
SUMMARIES = ("mean", "max", "first", "last", "share")
_LOGIT_CELLS = 4096


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def word_counts(paragraphs: list[str], words: list[int] | None = None) -> np.ndarray:
    """Each paragraph's weight in its document: its number of words, at least 1.
    `words`, the counts when segmentation already made them, spares splitting
    every paragraph again."""
    if words is None:
        words = [len(p.split()) for p in paragraphs]
    return np.maximum(np.array(words, dtype=float), 1.0)


def batch_summaries(
    probabilities: np.ndarray, weights: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """The document model's inputs for consecutive documents of one head, with
    `counts` paragraphs each (all > 0): per label, the length-weighted mean, max,
    first, last and winning share of its paragraphs' probabilities, one row of
    5 x labels values per document. Computed for a whole batch at once, in numpy:
    per document in Python it was a tenth of a batch run's time."""
    labels = probabilities.shape[1]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
    stops = starts + counts - 1
    sums = np.add.reduceat(weights[:, None] * probabilities, starts, axis=0)
    mean = sums / np.add.reduceat(weights, starts)[:, None]
    document = np.repeat(np.arange(len(counts)), counts)
    wins = (
        np.bincount(
            document * labels + probabilities.argmax(axis=1),
            minlength=len(counts) * labels,
        ).reshape(len(counts), labels)
        / counts[:, None]
    )
    return np.concatenate(
        [
            mean,
            np.maximum.reduceat(probabilities, starts, axis=0),
            probabilities[starts],
            probabilities[stops],
            wins,
        ],
        axis=1,
    )


def document_summaries(probabilities: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """batch_summaries of one document (5 x labels values)."""
    return batch_summaries(probabilities, weights, np.array([len(probabilities)]))[0]


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
        indptr = rows.indptr
        # A few thousand cells at a time, whole rows only: the cells x outputs
        # products then stay in the processor's cache (a third faster than one
        # product for the whole batch), and each row's sum is the same.
        marks = np.arange(0, len(rows.data), _LOGIT_CELLS)
        cuts = distinct_sorted(
            np.append(np.searchsorted(indptr, marks, side="right") - 1, rows.rows)
        )
        for first, last in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
            start, stop = indptr[first], indptr[last]
            # take() gathers whole rows several times faster than [] indexing.
            contributions = np.take(self.weights, rows.indices[start:stop], axis=0)
            contributions *= rows.data[start:stop, None]
            filled = np.flatnonzero(np.diff(indptr[first : last + 1]) > 0)
            logits[first + filled] = np.add.reduceat(
                contributions, indptr[first:last][filled] - start, axis=0
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
        whole, methods = self.documents_probabilities(
            probabilities, paragraphs, np.array([len(paragraphs)])
        )
        return {column: p[0] for column, p in whole.items()}, methods[0]

    def documents_probabilities(
        self,
        probabilities: dict[str, np.ndarray],
        paragraphs: list[str],
        counts: np.ndarray,
        words: list[int] | None = None,
    ) -> tuple[dict[str, np.ndarray], list[str]]:
        """Each head's probabilities (documents x classes) for consecutive
        documents of `counts` paragraphs each, and the method that made each
        document's labels. A one-paragraph document keeps its paragraph's.
        `words`: the paragraphs' numbers of words, when the caller knows them."""
        weights = word_counts(paragraphs, words)
        documents = self.document_heads or {}
        single = counts == 1
        first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        out, methods = {}, {}
        for column, p in probabilities.items():
            if column in documents:
                summaries = batch_summaries(p, weights, counts)
                whole = documents[column].probabilities(summaries)
                methods[column] = DOCUMENT_MODEL
            else:
                sums = np.add.reduceat(weights[:, None] * p, first, axis=0)
                whole = sums / np.add.reduceat(weights, first)[:, None]
                methods[column] = LENGTH_WEIGHTED_MEAN
            whole[single] = p[first[single]]
            out[column] = whole
        if len(set(methods.values())) == 1:
            method = next(iter(methods.values()))
        else:
            method = "; ".join(f"{c}: {m}" for c, m in methods.items())
        return out, [SINGLE_PARAGRAPH if one else method for one in single]

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
