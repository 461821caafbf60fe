"""Read and validate labelled data: paragraphs (a CSV file) and, optionally,
whole documents with their own labels.

The same reader takes the project's data/paragraphs.csv, a user's own coding
sheet, and any CSV that `framing sample`, `framing suggest` or
`framing score --paragraphs` wrote once its label columns are filled in: the
document is named by `article` or else `id`, probability and metadata columns are
ignored, and the spreadsheet formula guard (a leading ' before = + - @) is undone.
"""

import csv
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from framing.codebook import CODEBOOK_LABELS, LABEL_COLUMNS, TRAINING_ONLY_SOURCES
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
    "region",
    "pair",
)
REQUIRED_FOR_TRAINING = ("text", *LABEL_COLUMNS)
MIN_EXAMPLES_PER_LABEL = 2
MAX_CELL_CHARACTERS = 10_000_000
_GUARDED = ("'=", "'+", "'-", "'@")


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
    def documents(self) -> list[str]:
        """The document each row comes from (`article`, else `id`), or ''."""
        return [row.get("article") or row.get("id") or "" for row in self.rows]

    @property
    def groups(self) -> list[str]:
        """What cross-validation holds out together: a whole document, or for
        rows without one a whole topic (with its contrast twins), or the row."""
        out = []
        for row, line, document in zip(self.rows, self.lines, self.documents):
            if row.get("article"):
                out.append(f"document:{row['article']}")
            elif row.get("topic"):
                out.append(f"topic:{row['topic']}")
            elif document:
                out.append(f"document:{document}")
            else:
                out.append(f"row:{line}")
        return out

    @property
    def evaluable(self) -> list[bool]:
        """Rows a leave-one-article-out evaluation may hold out (authored rows
        only ever train)."""
        return [
            row.get("source") not in TRAINING_ONLY_SOURCES and bool(doc)
            for row, doc in zip(self.rows, self.documents)
        ]


def _rows_phrase(lines: list[int], limit: int = 8) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"row{'s' if len(lines) > 1 else ''} {shown}{more}"


def _verb(lines: list[int]) -> str:
    return "have" if len(lines) > 1 else "has"


def unguard(value: str) -> str:
    """Undo the spreadsheet formula guard that framing's CSV writers add."""
    return value[1:] if value.startswith(_GUARDED) else value


def read_rows(
    path: Path, what: str = "dataset"
) -> tuple[list[dict], list[int], list[str], str]:
    """Rows of a CSV, TSV or .xlsx sheet as dicts, their spreadsheet row numbers,
    header, digest."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        option = "--documents" if what.startswith("documents") else "--data"
        raise DataError(f"{what} {path} does not exist; pass {option} PATH") from None
    except IsADirectoryError:
        raise DataError(f"{what} {path} is a folder; give a CSV file") from None
    except OSError as exc:
        raise DataError(f"cannot read {what} {path}: {exc.strerror}") from None
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARACTERS)
    try:
        header, records = _records(path, raw, what)
        header = [name.strip() for name in header]
        duplicated = sorted({n for n in header if n and header.count(n) > 1})
        if duplicated:
            raise DataError(
                f"{what} {path} has the column {', '.join(duplicated)} more than "
                "once; keep one"
            )
        rows, lines = [], []
        for start, record in records:
            if not record:
                continue  # a blank line; a row of empty cells is rejected later
            padded = record + [""] * (len(header) - len(record))
            rows.append(
                {name: unguard(padded[i].strip()) for i, name in enumerate(header)}
            )
            lines.append(start)
    finally:
        csv.field_size_limit(limit)
    return rows, lines, header, hashlib.sha256(raw).hexdigest()


def _records(
    path: Path, raw: bytes, what: str
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and (row number, cells) of a CSV, TSV or .xlsx sheet: the coding
    sheets `sample` and `suggest` write come back in any of the three."""
    if raw.startswith(b"PK\x03\x04"):
        if path.suffix.lower() != ".xlsx":
            raise DataError(
                f"{path} looks like an Excel workbook; name it .xlsx, or save it as "
                "'CSV UTF-8 (Comma delimited)'"
            )
        from framing.corpus.tables import cell_text, xlsx_rows

        sheet = xlsx_rows(path)
        header = [cell_text(value) for value in next(sheet, ())]
        cells = (
            (number, [cell_text(value) for value in values])
            for number, values in enumerate(sheet, start=2)
        )
        # A row of empty cells in a workbook is formatting left below the data.
        return header, ((n, row) for n, row in cells if any(row))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{what} {path} is not UTF-8; save it as CSV UTF-8") from None
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    # newline="": records end only at \n, \r\n or \r, so a U+2028, form feed or
    # NEL inside a cell (Python's csv writer leaves them unquoted) stays in it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])

    def records() -> Iterator[tuple[int, list[str]]]:
        previous_end = reader.line_num
        try:
            for record in reader:
                start = previous_end + 1  # a record may span lines: its first one
                previous_end = reader.line_num
                yield start, record
        except csv.Error as exc:
            raise DataError(
                f"{what} {path}: row {previous_end + 1} cannot be read ({exc}); "
                "check its quotes or split the cell"
            ) from None

    return header, records()


def load_dataset(
    path: Path, *, codebook: bool = True, training: bool = True
) -> Dataset:
    """Load labelled paragraphs and reject what training cannot use.

    With codebook=True, labels must come from the codebook's label sets; with False,
    the label sets are whatever the data holds (a user's own scheme). With
    training=False (labels to score a model against) a label column may hold a
    single label and rare labels are fine.
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
    reject_empty(path, rows, lines, REQUIRED_FOR_TRAINING)
    check_labels(path, rows, lines, codebook=codebook)
    _reject_conflicting_duplicates(path, rows, lines)
    if training:
        check_label_counts(path, rows)
    return Dataset(rows=rows, lines=lines, sha256=digest, path=str(path))


def check_label_counts(path, rows: list[dict]) -> None:
    """A classifier needs two labels or more per column, each seen twice."""
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


def reject_empty(
    path, rows: list[dict], lines: list[int], columns, *, what: str = "dataset"
) -> None:
    """DataError naming the rows with an empty cell in one of `columns`."""
    for column in columns:
        empty = [n for row, n in zip(rows, lines) if not row[column]]
        if empty:
            raise DataError(
                f"{what} {path}: {_rows_phrase(empty)} {_verb(empty)} an empty "
                f"{column}; fill them in or delete those rows"
            )


def check_labels(
    path, rows: list[dict], lines: list[int], *, codebook: bool, what: str = "dataset"
) -> None:
    """Refuse labels outside the codebook (with codebook=True) or with control
    characters. A codebook label in another case (Reformist, SUPPORTIVE: a coder
    in a spreadsheet) is taken as the codebook writes it, in `rows`."""
    for column in LABEL_COLUMNS:
        if codebook:
            allowed = CODEBOOK_LABELS[column]
            folded = {label.casefold(): label for label in allowed}
            for row in rows:
                row[column] = folded.get(row[column].casefold(), row[column])
            bad = [n for row, n in zip(rows, lines) if row[column] not in allowed]
            if bad:
                value = rows[lines.index(bad[0])][column]
                raise DataError(
                    f"{what} {path}: {_rows_phrase(bad)} {_verb(bad)} a {column} "
                    f"outside the codebook ({value!r}; expected one of "
                    f"{', '.join(allowed)})"
                    "; fix them, or pass --own-labels to train on your own label set"
                )
        unprintable = [
            n for row, n in zip(rows, lines) if not row[column].isprintable()
        ]
        if unprintable:
            raise DataError(
                f"{what} {path}: {_rows_phrase(unprintable)} {_verb(unprintable)} a "
                f"{column} with control characters; labels must be plain text"
            )


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


@dataclass(frozen=True)
class DocumentLabels:
    """Whole documents and their own labels (by the codebook's document rule)."""

    ids: list[str]
    labels: dict[str, list[str]]
    sha256: str
    path: str


def load_documents(path: Path, *, codebook: bool = True) -> DocumentLabels:
    """A CSV of documents (`id` or `article`, `stance`, `tone`)."""
    rows, lines, header, digest = read_rows(Path(path), what="documents file")
    key = "id" if "id" in header else "article" if "article" in header else None
    missing = [c for c in LABEL_COLUMNS if c not in header]
    if key is None or missing:
        raise DataError(
            f"documents file {path} needs the columns id, stance and tone (got: "
            f"{', '.join(header) or 'none'})"
        )
    # Rows without an id are left out, and their numbers with them, so that an
    # error names the row a spreadsheet shows.
    kept = [n for n, row in enumerate(rows) if row[key]]
    rows, lines = [rows[n] for n in kept], [lines[n] for n in kept]
    reject_empty(path, rows, lines, LABEL_COLUMNS, what="documents file")
    check_labels(path, rows, lines, codebook=codebook, what="documents file")
    ids = [row[key] for row in rows]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise DataError(f"documents file {path} lists {repeated[0]} twice")
    return DocumentLabels(
        ids=ids,
        labels={column: [row[column] for row in rows] for column in LABEL_COLUMNS},
        sha256=digest,
        path=str(path),
    )
