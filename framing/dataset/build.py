"""Regenerate data/paragraphs.csv from the seed articles and the authored rows."""

import csv
import hashlib
from pathlib import Path

from framing.codebook import DOCUMENT_SOURCES, TRAINING_ONLY_SOURCE
from framing.dataset.load import COLUMNS, read_rows
from framing.dataset.registers import genre, region
from framing.errors import DataError
from framing.files import write_atomic
from framing.text.read import read_text
from framing.text.segment import split_paragraphs

AUTHORED_TOPICS = "v2-topics.csv"
DOCUMENT_SOURCE = "document"
DOCUMENTS_FILE = "documents.csv"
DOCUMENT_COLUMNS = (
    "id",
    "source",
    "genre",
    "region",
    "topic",
    "stance",
    "tone",
    "paragraphs",
)


def paragraph_id(article: str, text: str) -> str:
    """An id that survives re-segmentation as long as the paragraph's text does."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{Path(article).stem}-{digest}"


def build_rows(articles_dir: Path, existing: list[dict]) -> list[dict]:
    """Paragraph rows for every article, keeping labels (and other sources' rows)."""
    labelled = {row["id"]: row for row in existing if row.get("id")}
    paths = sorted(p for p in Path(articles_dir).iterdir() if p.suffix == ".txt")
    if not paths:
        raise DataError(f"no .txt articles in {articles_dir}")
    rows = []
    for path in paths:
        text, _warning = read_text(path)
        for index, paragraph in enumerate(split_paragraphs(text)):
            row_id = paragraph_id(path.name, paragraph)
            old = labelled.get(row_id, {})
            rows.append(
                {
                    "id": row_id,
                    "article": path.name,
                    "paragraph": str(index),
                    "text": paragraph,
                    "stance": old.get("stance", ""),
                    "tone": old.get("tone", ""),
                    "source": "seed",
                    "register": genre(old.get("register", "")),
                    "topic": old.get("topic", ""),
                    "region": old.get("region", ""),
                    "pair": "",
                }
            )
    others = [row for row in existing if row.get("source") not in ("seed", "", None)]
    return rows + others


def safe_text(value: str) -> str:
    """Guard a cell a spreadsheet would run as a formula (undone on reading)."""
    return "'" + value if value.startswith(("=", "+", "-", "@")) else value


def write_rows(path: Path, rows: list[dict], columns=COLUMNS) -> None:
    """Write dataset rows as UTF-8 CSV (with a BOM so spreadsheets detect UTF-8)."""

    def fill(handle):
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(
            {k: safe_text(v) if isinstance(v, str) else v for k, v in row.items()}
            for row in rows
        )

    write_atomic(Path(path), fill, encoding="utf-8-sig")


def build_dataset(
    articles_dir: Path,
    out: Path,
    authored_dir: Path | None = None,
    *,
    documents_dir: Path | list[Path] | None = None,
    force: bool = False,
) -> dict:
    """Regenerate `out`: seed rows from the articles (labels kept by id from the
    existing `out`), authored rows from the CSV files in `authored_dir`, the
    paragraphs of the labelled documents in `documents_dir` (whose document
    labels go to documents.csv beside `out`), and rows of any other source kept.
    Refuses to drop labelled seed rows unless `force`."""
    out = Path(out)
    existing = read_rows(out)[0] if out.exists() else []
    folders = (
        []
        if documents_dir is None
        else [documents_dir]
        if isinstance(documents_dir, str | Path)
        else list(documents_dir)
    )
    rebuilt = {TRAINING_ONLY_SOURCE} if authored_dir is not None else set()
    if folders:
        rebuilt.update(DOCUMENT_SOURCES)
    existing = [r for r in existing if r.get("source") not in rebuilt]
    rows = build_rows(articles_dir, existing)
    kept = {row["id"] for row in rows}
    dropped = [
        row["id"]
        for row in existing
        if row.get("source") == "seed" and row.get("stance") and row["id"] not in kept
    ]
    if dropped and not force:
        raise DataError(
            f"rebuilding {out} would drop {len(dropped)} labelled seed rows (their "
            f"paragraphs are no longer in {articles_dir}, e.g. {dropped[0]}); pass "
            "--force to drop them, or --out NEW.csv to keep this file"
        )
    if authored_dir is not None:
        for path in sorted(Path(authored_dir).glob("*.csv")):
            if path.name != AUTHORED_TOPICS:  # the writers' topic plan, not rows
                rows.extend(authored_rows(path))
    documents: list[dict] = []
    for folder in folders:
        document_rows, labels = document_paragraph_rows(Path(folder))
        rows.extend(document_rows)
        documents.extend(labels)
    if folders:
        write_rows(out.parent / DOCUMENTS_FILE, documents, DOCUMENT_COLUMNS)
    write_rows(out, rows)
    seed = [r for r in rows if r["source"] == "seed"]
    return {
        "rows": len(rows),
        "seed_rows": len(seed),
        "authored_rows": sum(1 for r in rows if r["source"] == TRAINING_ONLY_SOURCE),
        "document_rows": sum(1 for r in rows if r["source"] in DOCUMENT_SOURCES),
        "documents": len(documents),
        "unlabelled": sum(1 for r in seed if not (r["stance"] and r["tone"])),
        "path": str(out),
    }


def authored_rows(path: Path) -> list[dict]:
    """Rows of an authored-paragraph CSV as dataset rows: source "authored", no
    article (they are never held out as articles; cross-validation holds out their
    topic, with its contrast twins)."""
    rows, _lines, header, _digest = read_rows(Path(path))
    missing = [c for c in ("text", "stance", "tone", "register") if c not in header]
    if missing:
        raise DataError(f"{path} has no column {', '.join(missing)}")
    out = []
    for row in rows:
        register = genre(row["register"])
        pair = row.get("pair", "")
        out.append(
            {
                "id": paragraph_id(f"authored-{register}", row["text"]),
                "article": "",
                "paragraph": "",
                "text": row["text"],
                "stance": row["stance"],
                "tone": row["tone"],
                "source": TRAINING_ONLY_SOURCE,
                "register": register,
                "topic": row.get("topic", ""),
                "region": region(row["register"], row.get("region", "")),
                "pair": f"{Path(path).stem}:{pair}" if pair else "",
            }
        )
    return out


def document_paragraph_rows(folder: Path) -> tuple[list[dict], list[dict]]:
    """The paragraphs of every labelled document in `folder` (as dataset rows,
    article = the document id; source "realistic" for the blind-written folder,
    "document" otherwise) and the documents' own rows."""
    source = "realistic" if folder.name == "realistic" else DOCUMENT_SOURCE
    paragraphs, documents = [], []
    for path in sorted(folder.glob("*-documents.csv")):
        batch = path.name[: -len("-documents.csv")]
        docs, _lines, _header, _digest = read_rows(path, what="documents file")
        texts, _lines, _header, _digest = read_rows(
            folder / f"{batch}-paragraphs.csv", what="documents file"
        )
        by_document: dict[str, list[dict]] = {}
        for row in texts:
            by_document.setdefault(row["document"], []).append(row)
        for doc in docs:
            members = sorted(
                by_document.get(doc["document"], []), key=lambda r: int(r["paragraph"])
            )
            documents.append(
                {
                    "id": doc["document"],
                    "source": source,
                    "genre": genre(doc.get("genre", "")),
                    "region": doc.get("region", ""),
                    "topic": doc.get("topic", ""),
                    "stance": doc["stance"],
                    "tone": doc["tone"],
                    "paragraphs": len(members),
                }
            )
            for row in members:
                paragraphs.append(
                    {
                        "id": paragraph_id(doc["document"], row["text"]),
                        "article": doc["document"],
                        "paragraph": row["paragraph"],
                        "text": row["text"],
                        "stance": row["stance"],
                        "tone": row["tone"],
                        "source": source,
                        "register": genre(doc.get("genre", "")),
                        "topic": doc.get("topic", ""),
                        "region": doc.get("region", ""),
                        "pair": "",
                    }
                )
    return paragraphs, documents
