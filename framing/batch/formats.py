"""Output formats: encoder objects, registered in one place.

An encoder turns the records of framing.batch.rows into text: a header, the rows
of a chunk, and a trailer. Encoders run in the worker processes, so that the
parent only orders and writes finished bytes; they must be picklable (a
module-level class is). To add a format, subclass Encoder and register() an
instance: `--format NAME` and an --out extension in `suffixes` then select it.

CSV and TSV written to a file start with a byte-order mark (Excel on Windows
then reads them as UTF-8; pandas and R skip it); on standard output they do not,
since the reader there is a program. Their cells that a spreadsheet would run
as a formula get a leading `'` (framing.render.tables.guard_formula) unless the
guard is switched off. A workbook cannot be written a chunk at a time: the
.xlsx encoder writes its rows to the part file as JSON arrays, and `complete`
turns the finished part into the workbook.
"""

import copy
import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from framing.batch.rows import RowSchema
from framing.checks import ArgumentError
from framing.errors import FramingError
from framing.render.tables import guard_formula

BOM = "\ufeff"


def csv_line(fields: Iterable) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([guard_formula(v) for v in fields])
    return buffer.getvalue()


# Valid in JSON strings, but line breaks to readers that split on Unicode lines
# (Python's str.splitlines, many editors): escaped so one record is one line.
_UNICODE_BREAKS = str.maketrans(
    {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}
)


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False).translate(_UNICODE_BREAKS) + "\n"


class Encoder:
    """An output format. `name` is what --format takes; `suffixes` are the --out
    extensions that select it. `streamable` is False for a format that can only
    be a file; such an encoder's `complete` writes the file from the finished
    part (the bytes header(), rows() and trailer() produced)."""

    name: str = ""
    suffixes: tuple[str, ...] = ()
    streamable: bool = True
    formula_guard: bool = True
    bom: bool = False

    def configured(self, *, formula_guard: bool = True, bom: bool = False):
        """A copy with these settings (the registered instance is not changed)."""
        encoder = copy.copy(self)
        encoder.formula_guard, encoder.bom = formula_guard, bom
        return encoder

    def check(self) -> None:
        """Fail before any work if this format cannot be written here."""

    def header(self, schema: RowSchema) -> str:
        return ""

    def rows(self, schema: RowSchema, records: Iterable[dict]) -> str:
        raise NotImplementedError

    def trailer(self, schema: RowSchema) -> str:
        return ""

    def complete(self, part: IO[bytes], out: Path) -> dict:
        """Write `out` from the finished part (only when not streamable)."""
        raise NotImplementedError


class CsvEncoder(Encoder):
    """CSV with a header row, cells a spreadsheet would run as formulas
    neutralised (unless formula_guard is off)."""

    name = "csv"
    suffixes: tuple[str, ...] = (".csv",)
    delimiter = ","

    def _lines(self, rows: Iterable[list]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter)
        if self.formula_guard:
            rows = ([guard_formula(v) for v in row] for row in rows)
        writer.writerows(rows)
        return buffer.getvalue()

    def header(self, schema: RowSchema) -> str:
        return (BOM if self.bom else "") + self._lines([schema.csv_header()])

    def rows(self, schema: RowSchema, records: Iterable[dict]) -> str:
        return self._lines(schema.csv_cells(record) for record in records)


class TsvEncoder(CsvEncoder):
    """Tab-separated values: CSV with tabs (a cell holding a tab is quoted)."""

    name = "tsv"
    suffixes = (".tsv", ".tab")
    delimiter = "\t"


class JsonLinesEncoder(Encoder):
    """One JSON object per line, fields in the schema's order."""

    name = "jsonl"
    suffixes = (".jsonl", ".json", ".ndjson")

    def rows(self, schema: RowSchema, records: Iterable[dict]) -> str:
        return "".join(json_line(record) for record in records)


class XlsxEncoder(Encoder):
    """An Excel workbook (openpyxl). The part file holds the header and each
    row's cells as JSON arrays, one a line (numbers stay numbers); complete()
    writes them as the workbook's rows, text cells stored as text."""

    name = "xlsx"
    suffixes = (".xlsx",)
    streamable = False

    def check(self) -> None:
        from framing.render.tables import XLSX_HINT

        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise FramingError(XLSX_HINT) from None

    def header(self, schema: RowSchema) -> str:
        return json.dumps(schema.csv_header(), ensure_ascii=False) + "\n"

    def rows(self, schema: RowSchema, records: Iterable[dict]) -> str:
        return "".join(
            json.dumps(
                [None if v == "" else v for v in schema.csv_cells(record)],
                ensure_ascii=False,
            )
            + "\n"
            for record in records
        )

    def complete(self, part: IO[bytes], out: Path) -> dict:
        """Write the workbook `out` from the finished part; returns what
        framing.render.tables.write_table counted (rows, cells truncated)."""
        from framing.render.tables import write_table

        lines = (json.loads(line) for line in part)
        header = next(lines)
        counts = write_table(out, header, lines, fmt="xlsx")
        return {"truncated": counts["truncated"], "sheets": counts["sheets"]}


FORMATS: dict[str, Encoder] = {}


def register(encoder: Encoder) -> Encoder:
    FORMATS[encoder.name] = encoder
    return encoder


register(CsvEncoder())
register(TsvEncoder())
register(JsonLinesEncoder())
register(XlsxEncoder())
DEFAULT_FORMAT = "csv"


def _suffixes() -> str:
    return ", ".join(encoder.suffixes[0] for encoder in FORMATS.values())


def get_format(
    name: str | None, out: Path | None = None, *, formula_guard: bool = True
) -> Encoder:
    """The encoder for `name` or, without a name, for the extension of `out`
    (scores.jsonl is JSON Lines; CSV for standard output), configured for where
    it goes. The one check of a format: an unknown name or extension, a name
    the extension contradicts, or a workbook for standard output is an
    ArgumentError (a usage error)."""
    if name is not None and (not isinstance(name, str) or name not in FORMATS):
        raise ArgumentError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}")
    if out is None:
        encoder = FORMATS[name or DEFAULT_FORMAT]
        if not encoder.streamable:
            raise ArgumentError(
                f"{encoder.name} cannot be written to standard output; give --out "
                f"FILE{encoder.suffixes[0]}"
            )
        encoder.check()
        return encoder.configured(formula_guard=formula_guard)
    suffix = Path(out).suffix.lower()
    by_suffix = next((e for e in FORMATS.values() if suffix in e.suffixes), None)
    if by_suffix is None:
        shown = suffix or "no extension"
        raise ArgumentError(
            f"{out}: cannot tell the format from {shown}; name the file {_suffixes()}"
        )
    if name is not None and name != by_suffix.name:
        raise ArgumentError(
            f"--format {name} does not match {out} ({by_suffix.name}); leave out "
            "--format or rename the file"
        )
    by_suffix.check()
    return by_suffix.configured(formula_guard=formula_guard, bom=True)
