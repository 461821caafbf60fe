"""Read, validate and (re)build the labelled-paragraph dataset (a CSV file)."""

import csv
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from framing.codebook import CODEBOOK_LABELS, LABEL_COLUMNS, TRAINING_ONLY_SOURCE
from framing.errors import DataError

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
