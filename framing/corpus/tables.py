"""Read a corpus from a table: CSV or TSV, JSON Lines (or a JSON array), .xlsx.

News databases export one record per row: the text in one column, and the outlet,
date, title and url in others. `open_table` checks the header at once and returns
a TableCorpus; iterating it yields one Record per row, lazily and in file order:
its id (from `id_column`, or the row number), its text, and the other columns as
metadata (all of them, or the ones named in `keep`), unchanged.

Problems with the file as a whole (missing, not a table, no such column, a column
named twice) raise InputError before any row is read. A bad row (empty text, a
repeated or empty id, too many cells, a quote that is never closed, a line that
is not JSON) becomes a Record whose `error` names the row, and the rows after it
are still read.
"""

import codecs
import csv
import json
import os
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from framing.errors import InputError

TABLE_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
XLSX_HINT = (
    "reading .xlsx needs openpyxl: pip install 'framing[xlsx]' (in a checkout: "
    "pip install '.[xlsx]'), or save the sheet as CSV"
)
_CHUNK = 1 << 20
# A quoted CSV cell, or the start of one that goes on past the text at hand.
_QUOTED = re.compile(r'"[^"]*"?')


class ColumnError(InputError):
    """The options name no column of the table, or the wrong ones: a mistyped
    option, so the exit code is 2."""

    exit_code = 2


@dataclass(frozen=True)
class Record:
    """One row of a table corpus.

    `row` is the number a spreadsheet shows (the header is row 1), the line
    number in JSON Lines, or the position in a JSON array. `id` is the id
    column's cell, or the row number. `error` says why the row cannot be scored
    (then `text` is None).
    """

    row: int
    id: str
    text: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    error: str | None = None


@dataclass
class TableCorpus:
    """A checked table corpus; iterate it (as often as needed) for its Records."""

    path: Path
    format: str
    columns: list[str]
    metadata_columns: list[str]
    warnings: list[str]
    _records: Callable[[], Iterator[Record]] = field(repr=False)

    def __iter__(self) -> Iterator[Record]:
        return self._records()


def table_format(path: Path | str) -> str:
    """ "csv", "tsv", "jsonl", "json" or "xlsx", from the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return TABLE_SUFFIXES[suffix]
    if suffix == ".xls":
        raise InputError(f"{path}: old Excel (.xls) files are not read; save as .xlsx")
    known = ", ".join(sorted(TABLE_SUFFIXES))
    raise InputError(f"{path}: not a table corpus; use one of {known}")


def is_table(path: Path | str) -> bool:
    """Whether `path` names a table corpus (by its suffix) rather than a folder."""
    return Path(path).suffix.lower() in TABLE_SUFFIXES and not Path(path).is_dir()


def table_identity(path: Path | str) -> dict:
    """What names a table corpus across runs: its real path, size and time of
    last change (the same file edited since differs)."""
    info = os.stat(path)
    return {
        "kind": "table",
        "path": os.path.realpath(path),
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
    }


def cell_text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD (with the time when there is one),
    whole numbers without ".0", nothing as "", lists and objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def open_table(
    path: Path | str,
    *,
    text_column: str | None,
    id_column: str | None = None,
    keep: Sequence[str] | None = None,
    max_chars: int | None = None,
) -> TableCorpus:
    """Check a table corpus's header against the options and return it, ready to
    iterate. `max_chars` makes longer texts row errors. A missing `text_column`
    (None) or a column the file lacks is a ColumnError that lists the columns."""
    path = Path(path)
    fmt = table_format(path)
    if not path.is_file():
        problem = "no such file" if not path.exists() else "not a regular file"
        raise InputError(f"{path}: {problem}")
    if fmt in ("csv", "tsv"):
        return _open_delimited(path, fmt, text_column, id_column, keep, max_chars)
    if fmt in ("jsonl", "json"):
        return _open_json(path, fmt, text_column, id_column, keep, max_chars)
    return _open_xlsx(path, text_column, id_column, keep, max_chars)


class _Columns:
    """Where the text, the id and each kept column are in a row."""

    def __init__(
        self,
        path: Path,
        header: Sequence[str],
        text_column: str | None,
        id_column: str | None,
        keep: Sequence[str] | None,
    ):
        names = [name.strip() for name in header]
        if not any(names):
            raise InputError(f"{path}: the first row is empty; it must name columns")
        seen: set[str] = set()
        for name in names:
            if name and name in seen:
                raise InputError(f"{path}: the column {name!r} appears twice")
            seen.add(name)
        listed = ", ".join(repr(name) for name in names if name)
        if text_column is None:
            raise ColumnError(
                f"{path}: give --text-column, the column that holds the text; the "
                f"columns are {listed}"
            )
        if keep is not None and len(set(keep)) < len(keep):
            raise ColumnError(f"{path}: --keep names a column twice")
        wanted = [("--text-column", text_column), ("--id-column", id_column)]
        wanted += [("--keep", name) for name in keep or ()]
        for option, column in wanted:
            if column is not None and column not in seen:
                raise ColumnError(
                    f"{path}: no column {column!r} for {option}; the columns are "
                    f"{listed}"
                )
        self.names = names
        self.text_column = text_column
        self.id_column = id_column
        self.text = names.index(text_column)
        self.id = names.index(id_column) if id_column is not None else None
        if keep is not None:
            self.kept = [(name, names.index(name)) for name in keep]
        else:
            self.kept = [
                (name, index)
                for index, name in enumerate(names)
                if name and index not in (self.text, self.id)
            ]

    @property
    def metadata(self) -> list[str]:
        return [name for name, _index in self.kept]


class _Rows:
    """Turns a row's cells into a Record, and remembers ids to catch repeats."""

    def __init__(self, columns: _Columns, max_chars: int | None, where: str):
        self.columns = columns
        self.max_chars = max_chars
        self.where = where
        self.ids: dict[str, int] = {}

    def record(self, row: int, values: Sequence) -> Record:
        columns, label = self.columns, f"{self.where} {row}"
        metadata = {name: cell_text(_at(values, i)) for name, i in columns.kept}
        text = cell_text(_at(values, columns.text))
        if columns.id is None:
            doc_id = str(row)
        else:
            doc_id = cell_text(_at(values, columns.id)).strip()
        problem = None
        if not doc_id:
            problem = f"{label}: the id cell ({columns.id_column}) is empty"
            doc_id = label
        elif doc_id in self.ids:
            first = self.ids[doc_id]
            problem = f"{label}: the id {doc_id!r} is also {self.where} {first}"
            doc_id = f"{doc_id} ({label})"
        elif not text.strip():
            problem = f"{label}: the text cell ({columns.text_column}) is empty"
        elif self.max_chars is not None and len(text) > self.max_chars:
            problem = (
                f"{label}: the text is {len(text):,} characters, over the "
                f"{self.max_chars:,} limit"
            )
        self.ids.setdefault(doc_id, row)
        if problem:
            return Record(row, doc_id, None, metadata, problem)
        return Record(row, doc_id, text, metadata)

    def error(self, row: int, problem: str) -> Record:
        """The Record of a row whose cells could not be read at all."""
        label = f"{self.where} {row}"
        doc_id = str(row) if self.columns.id is None else label
        self.ids.setdefault(doc_id, row)
        return Record(row, doc_id, None, {}, f"{label}: {problem}")


def _at(values: Sequence, index: int):
    return values[index] if index < len(values) else None


def _encoding(path: Path) -> tuple[str, str | None]:
    """The encoding to read `path` with, checked over the whole file (so a bad
    byte near the end cannot stop a run half way), and a warning if not UTF-8."""
    with open(path, "rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16", "decoded as UTF-16"
        for encoding, warning in (
            ("utf-8-sig", None),
            ("cp1252", "not UTF-8; decoded as Windows-1252"),
        ):
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := handle.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding, warning
    return "latin-1", "not UTF-8; decoded as Latin-1"


def _warnings(path: Path, warning: str | None) -> list[str]:
    return [f"{path}: {warning}"] if warning else []


# CSV and TSV


def _delimiter(header: str, fmt: str) -> str:
    if fmt == "tsv":
        return "\t"
    # Spreadsheets in much of Europe save "CSV" with semicolons; the header tells,
    # but not by what is inside its quoted names.
    bare = _QUOTED.sub("", header)
    counts = {d: bare.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


class _Lines:
    """A file's lines, remembering those read since the last complete row, so
    that after a broken quote reading can restart on the line after the row's
    first."""

    def __init__(self, lines: Iterable[str]):
        self.lines = iter(lines)
        self.pending: list[str] = []
        self.since_row: list[str] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self.pending.pop(0) if self.pending else next(self.lines)
        self.since_row.append(line)
        return line


# A header name with line breaks spans a few lines, not dozens.
_MAX_HEADER_LINES = 64


def _header_lines(handle) -> list[str]:
    """The lines the header takes: a quoted name may hold a line break, so it
    ends at the first line with its quotes closed (if none soon, at the first)."""
    lines: list[str] = []
    quotes = 0
    for line in handle:
        lines.append(line)
        quotes += line.count('"')
        if quotes % 2 == 0 or len(lines) == _MAX_HEADER_LINES:
            break
    return lines if quotes % 2 == 0 else lines[:1]


def _open_delimited(path, fmt, text_column, id_column, keep, max_chars):
    encoding, warning = _encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        lines = _header_lines(handle)
    delimiter = _delimiter("".join(lines), fmt)
    reader = csv.reader(lines, delimiter=delimiter)
    header = next(reader, [])
    # The rows start after the lines csv took for the header.
    header_lines = max(reader.line_num, 1)
    columns = _Columns(path, header, text_column, id_column, keep)

    def records() -> Iterator[Record]:
        # Article texts can be longer than csv's default 131,072-character cell.
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        rows = _Rows(columns, max_chars, "row")
        with open(path, encoding=encoding, newline="") as handle:
            for _ in range(header_lines):
                handle.readline()
            yield from _delimited_records(_Lines(handle), delimiter, rows, len(header))

    return TableCorpus(
        path, fmt, columns.names, columns.metadata, _warnings(path, warning), records
    )


def _delimited_records(
    lines: _Lines, delimiter: str, rows: _Rows, width: int
) -> Iterator[Record]:
    row = 1
    while True:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            for values in reader:
                lines.since_row = []
                row += 1
                if not any(value.strip() for value in values):
                    continue  # a blank line
                if len(values) > width:
                    yield rows.error(
                        row,
                        f"{len(values)} cells, but the header has {width}; quote "
                        "cells that contain the separator",
                    )
                else:
                    yield rows.record(row, values)
            return
        except csv.Error:
            # A quote that is never closed, or text after a closing quote. In a
            # TSV export that is usually an unquoted cell that opens with a
            # quotation ("We will not back down," the chief said): its line is
            # read as it stands. Elsewhere the row is lost. Either way the lines
            # after its first are read again.
            row += 1
            first = lines.since_row[0] if lines.since_row else ""
            literal = first.rstrip("\r\n").split("\t")
            if delimiter == "\t" and len(literal) <= width:
                yield rows.record(row, literal)
            else:
                yield rows.error(
                    row, 'a quoted cell is not closed properly (a stray " ?)'
                )
            lines.pending = lines.since_row[1:] + lines.pending
            lines.since_row = []


# JSON Lines and JSON


class _NotJson(str):
    """Why a line is not JSON (its own type, so a JSON string is not taken for
    it)."""


def _json_lines(path: Path, encoding: str) -> Iterator[tuple[int, object]]:
    with open(path, encoding=encoding) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                reason = f"not valid JSON ({exc.msg}, column {exc.colno})"
                yield number, _NotJson(reason)
            except RecursionError:
                # json decodes nested lists and objects by recursion.
                yield number, _NotJson("not valid JSON (nested too deeply)")


def _open_json(path, fmt, text_column, id_column, keep, max_chars):
    encoding, warning = _encoding(path)
    objects: Callable[[], Iterable[tuple[int, object]]]
    if fmt == "json":
        with open(path, encoding=encoding) as handle:
            try:
                data = json.load(handle)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})"
                ) from None
            except RecursionError:
                raise InputError(
                    f"{path}: not valid JSON (nested too deeply); a JSON corpus "
                    "must be a list of objects"
                ) from None
        if not isinstance(data, list):
            raise InputError(f"{path}: a JSON corpus must be a list of objects")

        def objects():
            return enumerate(data, start=1)

    else:

        def objects():
            return _json_lines(path, encoding)

    first = next((value for _n, value in objects() if isinstance(value, dict)), None)
    if first is None:
        raise InputError(f"{path}: no JSON object in the file")
    # The columns are the first object's fields: later objects may lack some
    # (their cells are empty), and fields only they have are not kept.
    columns = _Columns(path, list(first), text_column, id_column, keep)
    where = "line" if fmt == "jsonl" else "record"

    def records() -> Iterator[Record]:
        rows = _Rows(columns, max_chars, where)
        for number, value in objects():
            if isinstance(value, _NotJson):
                yield rows.error(number, value)
            elif not isinstance(value, dict):
                yield rows.error(number, "not a JSON object")
            else:
                yield _json_record(rows, number, value)

    return TableCorpus(
        path, fmt, columns.names, columns.metadata, _warnings(path, warning), records
    )


def _json_record(rows: _Rows, number: int, value: dict) -> Record:
    # The header check strips spaces around names, as for CSV; so must the lookup.
    fields = {name.strip(): cell for name, cell in value.items()}
    text_column = rows.columns.text_column
    if text_column not in fields:
        return rows.error(number, f"no {text_column!r} field")
    text = fields[text_column]
    if isinstance(text, (list, dict)):
        kind = "list" if isinstance(text, list) else "object"
        # Its JSON would be scored as if it were prose.
        return rows.error(
            number, f"the text cell ({text_column}) is a JSON {kind}, not text"
        )
    try:
        return rows.record(number, [fields.get(name) for name in rows.columns.names])
    except RecursionError:
        # A list or object json could just read, but not write back as a cell.
        return rows.error(number, "not valid JSON (nested too deeply)")


# Excel


def xlsx_rows(path: Path) -> Generator[tuple, None, None]:
    """The rows of a workbook's first sheet as tuples of cell values."""
    try:
        import openpyxl
    except ImportError:
        raise InputError(XLSX_HINT) from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, InvalidFileException, ...
        raise InputError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def _open_xlsx(path, text_column, id_column, keep, max_chars):
    sheet = xlsx_rows(path)
    header = [cell_text(value) for value in next(sheet, ())]
    sheet.close()
    columns = _Columns(path, header, text_column, id_column, keep)

    def records() -> Iterator[Record]:
        rows = _Rows(columns, max_chars, "row")
        sheet = xlsx_rows(path)
        next(sheet, None)
        for number, values in enumerate(sheet, start=2):
            if any(cell_text(value).strip() for value in values):
                yield rows.record(number, values)

    return TableCorpus(path, "xlsx", columns.names, columns.metadata, [], records)
