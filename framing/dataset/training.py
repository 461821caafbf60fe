"""Assemble what training needs from labelled files: texts, labels, the groups
cross-validation holds out together, row weights, and the labelled documents."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing.codebook import LABEL_COLUMNS, RUNNING_TEXT_SOURCES
from framing.dataset.load import (
    Dataset,
    check_label_counts,
    load_dataset,
    load_documents,
)
from framing.errors import DataError, InputError
from framing.model.training import Documents

DOCUMENTS_FILE = "documents.csv"


def default_data_dir() -> Path:
    """The project's training data: inside the installed package, or data/ in a
    source checkout."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "default_data"
    return packaged if packaged.is_dir() else package.parent / "data"


@dataclass
class TrainingSet:
    texts: list[str]
    labels: dict[str, list[str]]
    groups: list[str]
    weights: np.ndarray
    documents: Documents | None
    summary: dict
    evaluable: list[bool]
    scored: np.ndarray


def _counts(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def _documents(datasets: list[Dataset], path: Path | None, own_labels: bool):
    """Labelled documents whose paragraphs are among the training rows, as row
    indices in paragraph order."""
    if path is None:
        return None, None
    labels = load_documents(path, codebook=not own_labels)
    if not labels.ids:
        return None, None
    by_document: dict[str, list[tuple[int, int]]] = {}
    source_of: dict[int, str] = {}
    offset = 0
    for dataset in datasets:
        for i, row in enumerate(dataset.rows):
            source_of[offset + i] = row.get("source", "")
            if row.get("article"):
                order = (
                    int(row["paragraph"]) if row.get("paragraph", "").isdigit() else i
                )
                by_document.setdefault(row["article"], []).append((order, offset + i))
        offset += len(dataset.rows)
    rows: list[list[int]] = []
    kept: dict[str, list[str]] = {column: [] for column in LABEL_COLUMNS}
    running: list[bool] = []
    for n, document in enumerate(labels.ids):
        members = sorted(by_document.get(document, []))
        if not members:
            continue
        rows.append([index for _order, index in members])
        running.append(source_of.get(members[0][1]) == "realistic")
        for column in LABEL_COLUMNS:
            kept[column].append(labels.labels[column][n])
    if not rows:
        raise DataError(
            f"none of the documents in {path} has paragraphs in the training data "
            "(their ids must match the paragraphs' article column)"
        )
    summary = {
        "path": Path(path).as_posix(),
        "sha256": labels.sha256,
        "documents": len(rows),
    }
    # Documents written blind and coded (like the dev set) decide, when there
    # are any: the project's authored documents over-represent theses that
    # differ from the paragraphs' majority, by design.
    scored = running if any(running) else None
    return Documents(rows=rows, labels=kept, scored=scored), summary


def training_set(
    data: Path,
    *,
    documents: Path | None = None,
    with_default_data: bool = False,
    weight: float = 1.0,
    own_labels: bool = False,
    realistic_weight: float | None = None,
) -> TrainingSet:
    """The user's (or the project's) labelled paragraphs, optionally joined by the
    project's own training data, with the documents file beside `data` unless
    another is named. Rows whose source is "realistic" weigh `realistic_weight`
    times as much (default: framing.model.choices.REALISTIC_WEIGHT)."""
    from framing.model.choices import REALISTIC_WEIGHT

    if realistic_weight is None:
        realistic_weight = REALISTIC_WEIGHT
    data = Path(data)
    if with_default_data and own_labels:
        raise InputError(
            "--with-default-data joins the project's data, labelled by the codebook; "
            "it cannot be combined with --own-labels"
        )
    # With the project's data joined, the user's rows need not hold every label
    # twice on their own: the checks apply to the rows trained on together.
    datasets = [
        load_dataset(data, codebook=not own_labels, training=not with_default_data)
    ]
    weights = [np.full(len(datasets[0].rows), float(weight))]
    if documents is None and (data.parent / DOCUMENTS_FILE).is_file():
        documents = data.parent / DOCUMENTS_FILE
    sources = [{"path": data.as_posix(), "sha256": datasets[0].sha256,
                "rows": len(datasets[0].rows), "weight": weight}]  # fmt: skip
    if with_default_data:
        default = default_data_dir()
        project = load_dataset(default / "paragraphs.csv")
        if project.sha256 != datasets[0].sha256:
            datasets.append(project)
            weights.append(np.ones(len(project.rows)))
            sources.append({"path": "default training data", "sha256": project.sha256,
                            "rows": len(project.rows), "weight": 1.0})  # fmt: skip
    rows = [row for d in datasets for row in d.rows]
    row_weights = np.concatenate(weights) * np.array(
        [realistic_weight if row.get("source") == "realistic" else 1.0 for row in rows]
    )
    if with_default_data:
        check_label_counts(data, rows)
    labelled_documents, documents_summary = _documents(datasets, documents, own_labels)
    if with_default_data and documents is None:
        labelled_documents, documents_summary = _documents(
            datasets, default_data_dir() / DOCUMENTS_FILE, own_labels
        )
    summary = {
        "path": data.as_posix(),
        "sha256": datasets[0].sha256,
        "rows": len(rows),
        "files": sources,
        "sources": _counts(row.get("source") or "" for row in rows),
        "label_counts": {c: _counts(row[c] for row in rows) for c in LABEL_COLUMNS},
        "documents": documents_summary,
    }
    return TrainingSet(
        texts=[row["text"] for row in rows],
        labels={c: [row[c] for row in rows] for c in LABEL_COLUMNS},
        groups=[g for d in datasets for g in d.groups],
        weights=row_weights,
        documents=labelled_documents,
        summary=summary,
        # Only the researcher's (or the seed) rows are ever held out and scored.
        evaluable=datasets[0].evaluable + [False] * (len(rows) - len(datasets[0].rows)),
        scored=_scored(rows, len(datasets[0].rows), with_default_data),
    )


def _scored(rows: list[dict], own: int, with_default_data: bool) -> np.ndarray:
    """The rows whose cross-validated macro-F1 decides C and offsets: the rows of
    running text (real articles, whole documents) if there are any, and a user's
    own rows when they join the project's data; else every row."""
    running = np.array([r.get("source") in RUNNING_TEXT_SOURCES for r in rows])
    if with_default_data:
        running |= np.arange(len(rows)) < own
    return running if running.any() else np.ones(len(rows), dtype=bool)
