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
from framing.dataset.load import (
    Dataset,
    DocumentLabels,
    load_dataset,
    load_documents,
    read_rows,
)
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
    leave_out_trained: bool = True,
) -> list[Section]:
    """A model's figures on labelled paragraphs (and documents) it never saw:
    with `leave_out_trained`, documents the model was trained on are left out
    (DataError if that is all)."""
    dataset = load_dataset(data, codebook=not own_labels, training=False)
    left_out = 0
    if leave_out_trained:
        dataset, left_out = _unseen(dataset, card)
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
    if left_out:
        sections[0]["left_out"] = left_out
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


def _normal(text: str) -> str:
    return " ".join(text.split())


def _training_digests(card: ModelCard) -> set[str]:
    """The SHA-256 of each file the card says the model was trained on."""
    files = card.get("training_data", {}).get("files") or []
    return {f["sha256"] for f in files if isinstance(f.get("sha256"), str)}


def training_texts(card: ModelCard) -> set[str]:
    """The paragraphs (white space normalised) of the model's training files that
    are still at hand: a file the card names, found where it was or as the
    project's data, read as a dataset is and with the SHA-256 the card recorded."""
    from framing.dataset.training import default_data_dir
    from framing.errors import DataError

    recorded = _training_digests(card)
    files = card.get("training_data", {}).get("files") or []
    candidates = [Path(f["path"]) for f in files if isinstance(f.get("path"), str)]
    candidates.append(default_data_dir() / "paragraphs.csv")
    texts: set[str] = set()
    for path in dict.fromkeys(candidates):
        if not path.is_file():
            continue
        try:
            rows, _lines, _header, digest = read_rows(path)
        except DataError:
            continue  # a file we cannot read is one we cannot compare with
        if digest in recorded:
            texts.update(_normal(row.get("text") or "") for row in rows)
    texts.discard("")
    return texts


def _unseen(dataset: Dataset, card: ModelCard) -> tuple[Dataset, int]:
    """`dataset` without the documents the model was trained on (a document any
    of whose paragraphs it trained on: it saw the article), and how many
    paragraphs that left out. DataError when nothing is left."""
    from framing.errors import DataError

    if dataset.sha256 in _training_digests(card):
        seen = [True] * len(dataset.rows)
    else:
        trained = training_texts(card)
        seen = [_normal(text) in trained for text in dataset.texts]
    if not any(seen):
        return dataset, 0
    documents = dataset.documents
    trained_documents = {d for d, s in zip(documents, seen) if s and d}
    keep = [
        not s and not (d and d in trained_documents) for d, s in zip(documents, seen)
    ]
    if not any(keep):
        raise DataError(
            f"the model was trained on every document in {dataset.path}: an "
            "evaluation on its own training data says nothing; give coding it never "
            f"saw, or evaluate the training procedure: framing evaluate --data "
            f"{dataset.path}"
        )
    rows = [row for row, k in zip(dataset.rows, keep) if k]
    lines = [line for line, k in zip(dataset.lines, keep) if k]
    return Dataset(rows, lines, dataset.sha256, dataset.path), keep.count(False)
