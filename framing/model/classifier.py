"""The framing model: shared TF-IDF features and one logistic regression per label.

One vectoriser pass serves every head, so scoring pays for the text once.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression

from framing.model.features import FeatureConfig, Features

DEFAULT_C = 4.0


def make_classifier(c: float) -> LogisticRegression:
    # class_weight="balanced": the rarer stances and tones would otherwise be drowned
    # by the majority. lbfgs is deterministic, which the retrain test relies on.
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000)


@dataclass
class FramingModel:
    """Vectorisers plus a classifier per label column (`heads`)."""

    features: FeatureConfig = field(default_factory=FeatureConfig)
    c: dict[str, float] = field(default_factory=dict)
    heads: dict[str, LogisticRegression] = field(default_factory=dict)
    vectorizer: Features | None = field(default=None, repr=False, compare=False)

    def fit(self, texts: list[str], labels: dict[str, list[str]]) -> "FramingModel":
        self.vectorizer = Features(self.features)
        matrix = self.vectorizer.fit_transform(texts)
        self.heads = {
            column: make_classifier(self.c.get(column, DEFAULT_C)).fit(matrix, y)
            for column, y in labels.items()
        }
        return self

    def classes(self, column: str) -> list[str]:
        return self.heads[column].classes_.tolist()

    def vectorize(self, texts: list[str]):
        return self.vectorizer.transform(texts)

    def predict_proba(self, texts: list[str], matrix=None) -> dict[str, np.ndarray]:
        """Per head, an array (texts x classes) of probabilities."""
        if matrix is None:
            matrix = self.vectorize(texts)
        return {
            column: head.predict_proba(matrix) for column, head in self.heads.items()
        }

    def contributions(self, row, column: str, class_index: int, top: int):
        """The features of one vectorised row that pushed it most toward
        `class_index`: (name, coefficient x feature value), strongest first."""
        coef = self.heads[column].coef_
        if len(coef) == 1:  # a binary head has one row of coefficients, for classes_[1]
            weights = coef[0] if class_index == 1 else -coef[0]
        else:
            weights = coef[class_index]
        values = row.data * weights[row.indices]
        names = self.vectorizer.names()
        order = np.argsort(-values, kind="stable")[:top]
        return [
            (names[row.indices[i]], float(values[i])) for i in order if values[i] > 0
        ]
