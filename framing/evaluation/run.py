"""The three evaluations `framing evaluate` runs, each a list of sections (the
training procedure's is framing.evaluation.grouped.held_out_section).

- The project's: the dev set (blind, double-coded, never trained on) scored by
  the model, paragraphs and whole documents; beside it, the seed articles held
  out one at a time from a training run without them.
- A model on a researcher's own coding (`--model M --data coded.csv`).
- The training procedure on a researcher's own data (`--data my.csv`), holding
  out whole documents.
"""

from pathlib import Path

from framing.codebook import LABEL_COLUMNS
from framing.dataset.load import Dataset, DocumentLabels, load_dataset, load_documents
from framing.evaluation.labelled import (
    check_known_labels,
    document_section,
    paragraph_section,
)
from framing.evaluation.results import Section
from framing.model.storage import ModelCard

DEV_SET = "dev set"
SEED_ARTICLES = "seed articles, one held out at a time"
YOUR_LABELS = "your labels"
YOUR_DATA = "your data, whole documents held out"


def _majority(card: ModelCard) -> dict[str, str]:
    counts = card.get("training_data", {}).get("label_counts", {})
    return {
        column: min(c, key=lambda label: (-c[label], label))
        for column, c in counts.items()
        if isinstance(c, dict) and c
    }


def labelled_documents(
    dataset: Dataset, documents: DocumentLabels
) -> tuple[list[list[str]], dict[str, list[str]], dict[str, list[list[str]]]]:
    """Paragraph texts per labelled document (in order), the documents' labels,
    and their paragraphs' own labels."""
    by_document: dict[str, list[tuple[int, int]]] = {}
    for i, (row, document) in enumerate(zip(dataset.rows, dataset.documents)):
        position = int(row["paragraph"]) if row.get("paragraph", "").isdigit() else i
        by_document.setdefault(document, []).append((position, i))
    texts: list[list[str]] = []
    truth: dict[str, list[str]] = {c: [] for c in LABEL_COLUMNS}
    paragraph_truth: dict[str, list[list[str]]] = {c: [] for c in LABEL_COLUMNS}
    for n, document in enumerate(documents.ids):
        members = [i for _p, i in sorted(by_document.get(document, []))]
        if not members:
            continue
        texts.append([dataset.rows[i]["text"] for i in members])
        for column in LABEL_COLUMNS:
            truth[column].append(documents.labels[column][n])
            paragraph_truth[column].append([dataset.rows[i][column] for i in members])
    return texts, truth, paragraph_truth


def score_on_labels(
    scorer,
    card: ModelCard,
    data: Path,
    *,
    documents: Path | None = None,
    own_labels: bool = False,
    name: str = YOUR_LABELS,
    bootstrap_samples: int = 1000,
) -> list[Section]:
    """A model's figures on labelled paragraphs (and documents) it never saw."""
    dataset = load_dataset(data, codebook=not own_labels, training=False)
    labels = {c: dataset.labels(c) for c in LABEL_COLUMNS if c in scorer.heads}
    check_known_labels(scorer, labels, str(data))
    sections = [
        paragraph_section(
            scorer,
            dataset.texts,
            labels,
            dataset.documents,
            name=name,
            majority=_majority(card),
            bootstrap_samples=bootstrap_samples,
        )
    ]
    if documents is not None:
        document_labels = load_documents(documents, codebook=not own_labels)
        texts, truth, paragraph_truth = labelled_documents(dataset, document_labels)
        if texts:
            sections.append(
                document_section(
                    scorer,
                    texts,
                    truth,
                    paragraph_truth,
                    name=name,
                    bootstrap_samples=bootstrap_samples,
                )
            )
    return sections
