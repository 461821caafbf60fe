"""The shapes of evaluation results: what `framing evaluate` returns and writes
as JSON, and what the report and the terminal tables read."""

from typing import Any, TypedDict


class ClassMetrics(TypedDict):
    precision: float
    recall: float
    f1: float
    support: int


class Confusion(TypedDict):
    labels: list[str]
    matrix: list[list[int]]  # rows: true label, columns: predicted


class Metrics(TypedDict):
    per_class: dict[str, ClassMetrics]
    macro_f1: float
    accuracy: float
    confusion: Confusion
    n: int


class Calibration(TypedDict):
    ece: float  # expected calibration error
    bins: list[dict[str, float]]


class HeadReport(TypedDict, total=False):
    """One label column's figures on held-out items."""

    model: Metrics
    macro_f1_ci95: list[float]
    kappa: float
    baselines: dict[str, Metrics]
    calibration: Calibration
    # Documents only: the subset whose label differs from their paragraphs'.
    label_differs_from_paragraph_majority: dict[str, Any]


class Section(TypedDict, total=False):
    """One evaluation: the items (paragraphs or documents) and each head's
    report; held-out procedures add their folds."""

    name: str
    unit: str
    n: int
    documents: int
    methods: dict[str, int]
    method: str
    heads: dict[str, HeadReport]
    folds: list[dict[str, Any]]
    left_out: int  # paragraphs of documents the evaluated model was trained on


class Evaluation(TypedDict, total=False):
    sections: list[Section]
    model: dict[str, Any]  # the evaluated model's card, in brief
    report: str  # where the Markdown report was written
