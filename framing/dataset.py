"""Read, validate and (re)build the labelled-paragraph dataset (a CSV file)."""

import csv
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from framing.codebook import CODEBOOK_LABELS, LABEL_COLUMNS, TRAINING_ONLY_SOURCE
from framing.errors import DataError
from framing.output import write_atomic
from framing.segment import split_paragraphs
from framing.textio import read_text

COLUMNS = (
    "id",
    "article",
    "paragraph",
    "text",
    "stance",
    "tone",
    "source",
    "register",
    "topic",
)
REQUIRED_FOR_TRAINING = ("text", *LABEL_COLUMNS)
MIN_EXAMPLES_PER_LABEL = 2
AUTHORED_TOPICS = "v2-topics.csv"


@dataclass(frozen=True)
class Dataset:
    """Validated rows; `lines` are the spreadsheet row numbers (header is row 1)."""

    rows: list[dict]
    lines: list[int]
    sha256: str
    path: str

    @property
    def texts(self) -> list[str]:
        return [row["text"] for row in self.rows]

    def labels(self, column: str) -> list[str]:
        return [row[column] for row in self.rows]

    @property
    def groups(self) -> list[str]:
        return [row.get("article") or "" for row in self.rows]

    @property
    def evaluable(self) -> list[bool]:
        """Rows a grouped evaluation may hold out (authored rows only ever train)."""
        return [row.get("source") != TRAINING_ONLY_SOURCE for row in self.rows]


def _rows_phrase(lines: list[int], limit: int = 8) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"row{'s' if len(lines) > 1 else ''} {shown}{more}"


def _verb(lines: list[int]) -> str:
    return "have" if len(lines) > 1 else "has"


def read_rows(path: Path) -> tuple[list[dict], list[int], list[str], str]:
    """Rows of a CSV file as dicts, their spreadsheet row numbers, header, digest."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"dataset {path} does not exist; pass --data PATH") from None
    except OSError as exc:
        raise DataError(f"cannot read dataset {path}: {exc.strerror}") from None
    if raw.startswith(b"PK\x03\x04"):
        raise DataError(
            f"{path} looks like an Excel workbook; save it as 'CSV UTF-8 (Comma "
            "delimited)'"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"dataset {path} is not UTF-8; save it as CSV UTF-8") from None
    reader = csv.reader(text.splitlines(keepends=True))
    header = [name.strip() for name in next(reader, [])]
    rows, lines = [], []
    previous_end = reader.line_num
    for record in reader:
        start = previous_end + 1  # a record may span lines; number it where it starts
        previous_end = reader.line_num
        if not record:
            continue  # a blank line; a row of empty cells is kept and rejected below
        padded = record + [""] * (len(header) - len(record))
        rows.append({name: padded[i].strip() for i, name in enumerate(header)})
        lines.append(start)
    return rows, lines, header, hashlib.sha256(raw).hexdigest()


def load_dataset(path: Path, *, codebook: bool = True) -> Dataset:
    """Load a labelled dataset and reject what training cannot use.

    With codebook=True, labels must come from the codebook's label sets; with False,
    the label sets are whatever the data holds (a user's own scheme).
    """
    path = Path(path)
    rows, lines, header, digest = read_rows(path)
    missing = [name for name in REQUIRED_FOR_TRAINING if name not in header]
    if missing and len(header) == 1 and ";" in header[0]:
        raise DataError(
            f"dataset {path} seems to use ';' between columns; save it as "
            "comma-separated CSV (in Excel: 'CSV UTF-8 (Comma delimited)')"
        )
    if missing:
        raise DataError(
            f"dataset {path} has no column {', '.join(missing)}; it needs "
            f"{', '.join(REQUIRED_FOR_TRAINING)} (got: {', '.join(header) or 'none'})"
        )
    if not rows:
        raise DataError(f"dataset {path} has no rows")
    for column in REQUIRED_FOR_TRAINING:
        empty = [n for row, n in zip(rows, lines) if not row[column]]
        if empty:
            raise DataError(
                f"dataset {path}: {_rows_phrase(empty)} {_verb(empty)} an empty "
                f"{column}; "
                "fill them in or delete those rows"
            )
    if codebook:
        for column in LABEL_COLUMNS:
            allowed = CODEBOOK_LABELS[column]
            bad = [n for row, n in zip(rows, lines) if row[column] not in allowed]
            if bad:
                value = rows[lines.index(bad[0])][column]
                raise DataError(
                    f"dataset {path}: {_rows_phrase(bad)} {_verb(bad)} a {column} "
                    "outside the "
                    f"codebook ({value!r}; expected one of {', '.join(allowed)}); "
                    "fix them, or pass --own-labels to train on your own label set"
                )
    _reject_conflicting_duplicates(path, rows, lines)
    for column in LABEL_COLUMNS:
        counts = Counter(row[column] for row in rows)
        if len(counts) < 2:
            raise DataError(
                f"dataset {path}: {column} has only one label ({next(iter(counts))}); "
                "a classifier needs at least two"
            )
        rare = sorted(k for k, v in counts.items() if v < MIN_EXAMPLES_PER_LABEL)
        if rare:
            raise DataError(
                f"dataset {path}: {column} label {', '.join(rare)} has fewer than "
                f"{MIN_EXAMPLES_PER_LABEL} examples; add examples or merge the label"
            )
    return Dataset(rows=rows, lines=lines, sha256=digest, path=str(path))


def _reject_conflicting_duplicates(path: Path, rows: list[dict], lines: list[int]):
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_text[" ".join(row["text"].casefold().split())].append(i)
    for indices in by_text.values():
        labels = {tuple(rows[i][c] for c in LABEL_COLUMNS) for i in indices}
        if len(labels) > 1:
            where = " and ".join(str(lines[i]) for i in indices[:4])
            raise DataError(
                f"dataset {path}: rows {where} have the same text with different "
                "labels; keep one label per text"
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
                    "register": old.get("register", ""),
                    "topic": old.get("topic", ""),
                }
            )
    others = [row for row in existing if row.get("source") not in ("seed", "", None)]
    return rows + others


def write_rows(path: Path, rows: list[dict]) -> None:
    """Write dataset rows as UTF-8 CSV (with a BOM so spreadsheets detect UTF-8)."""

    def fill(handle):
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)

    write_atomic(Path(path), fill, encoding="utf-8-sig")


def build_dataset(
    articles_dir: Path,
    out: Path,
    authored_dir: Path | None = None,
    *,
    force: bool = False,
) -> dict:
    """Regenerate `out`: seed rows from the articles (labels kept by id from the
    existing `out`), authored rows from the CSV files in `authored_dir`, and rows
    of any other source kept. Refuses to drop labelled seed rows unless `force`."""
    out = Path(out)
    existing = read_rows(out)[0] if out.exists() else []
    if authored_dir is not None:
        existing = [r for r in existing if r.get("source") != TRAINING_ONLY_SOURCE]
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
    write_rows(out, rows)
    seed = [r for r in rows if r["source"] == "seed"]
    return {
        "rows": len(rows),
        "seed_rows": len(seed),
        "authored_rows": sum(1 for r in rows if r["source"] == TRAINING_ONLY_SOURCE),
        "unlabelled": sum(1 for r in seed if not (r["stance"] and r["tone"])),
        "path": str(out),
    }


def authored_rows(path: Path) -> list[dict]:
    """Rows of an authored-paragraph CSV (text, stance, tone, register, topic) as
    dataset rows: source "authored", no article (they are never held out)."""
    rows, _lines, header, _digest = read_rows(Path(path))
    missing = [c for c in ("text", "stance", "tone", "register") if c not in header]
    if missing:
        raise DataError(f"{path} has no column {', '.join(missing)}")
    return [
        {
            "id": paragraph_id(f"authored-{row['register']}", row["text"]),
            "article": "",
            "paragraph": "",
            "text": row["text"],
            "stance": row["stance"],
            "tone": row["tone"],
            "source": "authored",
            "register": row["register"],
            "topic": row.get("topic", ""),
        }
        for row in rows
    ]
