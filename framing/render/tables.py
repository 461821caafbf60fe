"""Write a table (a header and rows) as CSV, TSV or a real .xlsx workbook.

CSV and TSV are UTF-8 with a byte-order mark by default, so Excel on Windows shows
"–" and "é" instead of "â€“" and "Ã©"; pandas (`read_csv`) and R (`readr::read_csv`,
or `read.csv(fileEncoding = "UTF-8-BOM")`) read the mark as what it is. A text cell
that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
carriage return) gets a leading `'` unless the guard is switched off, as an
analysis pipeline that never opens a spreadsheet would want. In .xlsx every text
cell is stored as text, so it cannot run as a formula and needs no guard.

The file appears complete or not at all: it is written by framing.files'
atomic writer, under a temporary name renamed when the last row is written.

guard_formula is the one formula guard: the batch encoders (framing.batch.formats)
use it too, and unguard_formula undoes it for the readers of scores files.
"""

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from framing.errors import InputError, OutputError
from framing.files import AtomicFile, write_atomic

OUTPUT_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx"}
XLSX_HINT = (
    "writing .xlsx needs openpyxl: pip install 'framing[xlsx]' (in a checkout: "
    "pip install '.[xlsx]'), or write .csv"
)
# A spreadsheet evaluates a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = tuple("'" + start for start in FORMULA_START)
EXCEL_MAX_CELL = 32_767
# Rows in one Excel sheet, the header included; more rows go on to a next sheet.
EXCEL_MAX_ROWS = 1_048_576
# Characters an .xlsx file cannot hold (XML 1.0 forbids them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class UnknownFormatError(InputError):
    """An output name whose extension names no format: a usage error."""

    exit_code = 2


def output_format(path: Path | str) -> str:
    """ "csv", "tsv" or "xlsx" from an output file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix in OUTPUT_FORMATS:
        return OUTPUT_FORMATS[suffix]
    shown = suffix or "no extension"
    raise UnknownFormatError(
        f"{path}: cannot tell the format from {shown}; name the file .csv, .tsv "
        "or .xlsx"
    )


def guard_formula(value):
    """Neutralise a text cell a spreadsheet would run as a formula (OWASP advice:
    prefix a single quote); numbers and other values are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unguard_formula(value: str) -> str:
    """A cell without the `'` that guard_formula put before it."""
    return value[1:] if value.startswith(_GUARDED) else value


def write_table(
    path: Path | str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    fmt: str | None = None,
    bom: bool = True,
    formula_guard: bool = True,
    sheet_rows: int = EXCEL_MAX_ROWS,
) -> dict:
    """Write `header` and `rows` to `path` in `fmt` (from the extension when
    None); returns {"rows": written, "truncated": cells cut to Excel's limit,
    "sheets": sheets in a workbook}. A workbook's sheets hold `sheet_rows` rows
    each, the header included: more rows continue on sheets "data 2", "data 3"
    and so on, each with the header."""
    path = Path(path)
    fmt = fmt or output_format(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist; create it first")
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if fmt == "xlsx":
        return _write_xlsx(path, header, rows, sheet_rows)
    if fmt not in ("csv", "tsv"):
        raise UnknownFormatError(f"unknown format {fmt!r}; use csv, tsv or xlsx")
    delimiter = "\t" if fmt == "tsv" else ","
    counts = {"rows": 0, "truncated": 0}

    def fill(handle) -> None:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            if formula_guard:
                row = [guard_formula(value) for value in row]
            writer.writerow(["" if value is None else value for value in row])
            counts["rows"] += 1

    _write_atomic(path, fill, encoding="utf-8-sig" if bom else "utf-8")
    return counts


def _write_atomic(path: Path, fill, *, encoding: str = "utf-8") -> None:
    """framing.files.write_atomic, with a failed write (a full disk) as one line."""
    try:
        write_atomic(path, fill, encoding=encoding)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _excel_cell(sheet, value, counts: dict):
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XML.sub("", value)
    if len(value) > EXCEL_MAX_CELL:
        value = value[:EXCEL_MAX_CELL]
        counts["truncated"] += 1
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text, even when it starts with "="
    return cell


def _write_xlsx(
    path: Path, header: Sequence[str], rows: Iterable[Sequence], sheet_rows: int
) -> dict:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise InputError(XLSX_HINT) from None
    counts = {"rows": 0, "truncated": 0, "sheets": 1}
    workbook = Workbook(write_only=True)
    sheet, filled = _new_sheet(workbook, "data", header, counts), 1
    for row in rows:
        if filled >= sheet_rows:
            counts["sheets"] += 1
            name = f"data {counts['sheets']}"
            sheet, filled = _new_sheet(workbook, name, header, counts), 1
        sheet.append([_excel_cell(sheet, value, counts) for value in row])
        counts["rows"] += 1
        filled += 1
    with AtomicFile.create(path) as target:
        try:
            workbook.save(target.handle)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        target.commit()
    return counts


def _new_sheet(workbook, name: str, header: Sequence[str], counts: dict):
    sheet = workbook.create_sheet(name)
    sheet.append([_excel_cell(sheet, column, counts) for column in header])
    return sheet


def write_text(path: Path | str, text: str) -> None:
    """Write a text file (UTF-8) atomically."""
    _write_atomic(Path(path), lambda handle: handle.write(text))
