"""Encode output records: CSV lines (spreadsheet-safe) and JSON lines."""

import csv
import io
import json
from collections.abc import Callable, Iterable

from framing.batch.workers import ScoreOptions
from framing.errors import FramingError

# A spreadsheet evaluates a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise a text cell a spreadsheet would run as a formula (OWASP advice:
    prefix a single quote); numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_line(fields: Iterable) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(v) for v in fields])
    return buffer.getvalue()


# Valid in JSON strings, but line breaks to readers that split on Unicode lines
# (Python's str.splitlines, many editors): escaped so one record is one line.
_UNICODE_BREAKS = str.maketrans(
    {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}
)


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False).translate(_UNICODE_BREAKS) + "\n"


#

FORMATS = ("csv", "jsonl")


def csv_header(classes: dict[str, list[str]], options: ScoreOptions) -> list[str]:
    header = ["id"] + (["paragraph", "text"] if options.paragraphs else [])
    for column, labels in classes.items():
        header += [column, f"{column}_confidence"]
        header += [f"{column}_{label}" for label in labels]
    if not options.paragraphs:
        header.append("paragraphs")
    return header + ["warning", "error"]


def csv_fields(record: dict, classes: dict[str, list[str]], options) -> list:
    fields = [record["id"]]
    if options.paragraphs:
        fields += [record["paragraph"], record["text"]]
    for column, labels in classes.items():
        result = record.get(column)
        if result:
            fields += [result["label"], result["confidence"]]
            fields += [result["scores"][label] for label in labels]
        else:
            fields += [""] * (2 + len(labels))
    if not options.paragraphs:
        fields.append(record["paragraphs"])
    return fields + [record.get("warning") or "", record.get("error") or ""]


def make_formatter(fmt: str, classes, options) -> tuple[str, Callable[[dict], str]]:
    """(header text, record -> text) for a format."""
    if fmt == "csv":
        return csv_line(csv_header(classes, options)), lambda r: csv_line(
            csv_fields(r, classes, options)
        )
    if fmt == "jsonl":
        return "", json_line
    raise FramingError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
