"""Output formats: encoder objects, registered in one place.

An encoder turns the records of framing.batch.rows into text: a header, the rows
of a chunk, and a trailer. Encoders run in the worker processes, so that the
parent only orders and writes finished bytes; they must be picklable (a
module-level class is). To add a format, subclass Encoder and register() an
instance: `--format NAME` and an --out extension in `suffixes` then select it.
"""

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from framing.batch.rows import RowSchema
from framing.checks import ArgumentError
from framing.render.tables import guard_formula


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
    extensions that select it."""

    name: str = ""
    suffixes: tuple[str, ...] = ()

    def header(self, schema: RowSchema) -> str:
        return ""

    def rows(self, schema: RowSchema, records: Iterable[dict]) -> str:
        raise NotImplementedError

    def trailer(self, schema: RowSchema) -> str:
        return ""


class CsvEncoder(Encoder):
    """CSV with a header row, cells a spreadsheet would run as formulas
    neutralised."""

    name = "csv"
    suffixes = (".csv",)

    def header(self, schema: RowSchema) -> str:
        return csv_line(schema.csv_header())

    def rows(self, schema: RowSchema, records: Iterable[dict]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(
            [guard_formula(v) for v in schema.csv_cells(record)] for record in records
        )
        return buffer.getvalue()


class JsonLinesEncoder(Encoder):
    """One JSON object per line, fields in the schema's order."""

    name = "jsonl"
    suffixes = (".jsonl", ".json", ".ndjson")

    def rows(self, schema: RowSchema, records: Iterable[dict]) -> str:
        return "".join(json_line(record) for record in records)


FORMATS: dict[str, Encoder] = {}


def register(encoder: Encoder) -> Encoder:
    FORMATS[encoder.name] = encoder
    return encoder


register(CsvEncoder())
register(JsonLinesEncoder())
DEFAULT_FORMAT = "csv"


def get_format(name: str | None, out: Path | None = None) -> Encoder:
    """The encoder for `name`; without a name, the one whose suffix `out` has
    (scores.jsonl is JSON Lines), else CSV. The one check of a format name."""
    if name is None:
        suffix = Path(out).suffix.lower() if out is not None else ""
        for encoder in FORMATS.values():
            if suffix in encoder.suffixes:
                return encoder
        return FORMATS[DEFAULT_FORMAT]
    if not isinstance(name, str) or name not in FORMATS:
        raise ArgumentError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}")
    return FORMATS[name]
