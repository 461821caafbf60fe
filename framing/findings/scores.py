"""Read the rows `framing score` wrote, for summaries, samples and suggestions.

A scores file is CSV (or TSV, or .xlsx) with an `id`, optionally `paragraph` and
`text` (with --paragraphs), then for each label column (a "head", such as stance)
the label, `<head>_confidence` and a probability column per class, then `warning`
and `error`; any other column (outlet, date, title, url, ...) is metadata. JSON
Lines scores hold the same fields, with each head as an object ({"label",
"confidence", "scores"}). Heads are found by their `_confidence` column, so
models with other label sets work too.

A spreadsheet's formula guard (a `'` before a cell starting with =, +, - or @) is
removed, so texts come back as the model saw them.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from framing.errors import InputError
from framing.render.tables import unguard_formula

UNCERTAIN = "uncertain"
# Fields of the scores rows that are not metadata.
_FIXED = ("id", "paragraph", "text", "paragraphs", "warning", "error")


@dataclass(slots=True)
class ScoreRow:
    """One row of a scores file. `labels` maps each head to its label (empty for
    an error row); `probabilities` maps each head to {class: probability}."""

    id: str
    paragraph: int | None
    text: str | None
    labels: dict[str, str]
    confidence: dict[str, float]
    probabilities: dict[str, dict[str, float]]
    metadata: dict[str, str]
    error: str = ""


@dataclass
class Scores:
    """The rows of a scores file and what its columns are."""

    path: Path
    heads: dict[str, list[str]]
    metadata_columns: list[str]
    rows: list[ScoreRow] = field(default_factory=list)

    @property
    def paragraphs(self) -> bool:
        """True for paragraph rows (score --paragraphs), False for documents."""
        return any(row.paragraph is not None for row in self.rows)

    @property
    def scored(self) -> list[ScoreRow]:
        """The rows with a label in every head (error rows have none)."""
        return [row for row in self.rows if not row.error and all(row.labels.values())]


def unguard(value: str) -> str:
    """A cell without the `'` that the formula guard put before it."""
    return unguard_formula(value)


def _heads(header: list[str]) -> dict[str, list[str]]:
    """Each label column (`stance`, with `stance_confidence`) and its labels:
    the `stance_<label>` columns that follow its confidence, as framing score
    writes them (a carried column such as `tone_of_voice` is no label)."""
    heads: dict[str, list[str]] = {}
    names = set(header)
    for at, name in enumerate(header):
        if name.endswith("_confidence") and name[: -len("_confidence")] in names:
            head = name[: -len("_confidence")]
            prefix = f"{head}_"
            labels = []
            for column in header[at + 1 :]:
                if not column.startswith(prefix):
                    break
                labels.append(column[len(prefix) :])
            heads[head] = labels
    return heads


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _table_rows(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from framing.corpus.tables import cell_text, xlsx_rows

        sheet = xlsx_rows(path)
        header = [cell_text(value) for value in next(sheet, ())]

        def rows() -> Iterator[dict[str, str]]:
            for values in sheet:
                yield {n: cell_text(v) for n, v in zip(header, values)}

        return header, rows()
    delimiter = "\t" if suffix in (".tsv", ".tab") else ","
    handle = open(path, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(handle, delimiter=delimiter)
    header = list(reader.fieldnames or [])

    def lines() -> Iterator[dict[str, str]]:
        with handle:
            for row in reader:
                yield {k: v for k, v in row.items() if k is not None}

    return header, lines()


def _flat_jsonl(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    """JSON Lines scores as the rows a CSV would hold."""
    records = []
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{path} line {number}: not JSON ({exc.msg})"
                ) from None
    heads: dict[str, list[str]] = {}
    for record in records:
        for key, value in record.items():
            if isinstance(value, dict) and "label" in value:
                labels = heads.setdefault(key, [])
                labels += [k for k in value.get("scores") or {} if k not in labels]
    header: list[str] = []
    rows = []
    for record in records:
        row: dict[str, str] = {}
        for key, value in record.items():
            if key in heads:
                value = value or {}
                row[key] = value.get("label") or ""
                row[f"{key}_confidence"] = str(value.get("confidence", ""))
                scores = value.get("scores") or {}
                for label in heads[key]:
                    row[f"{key}_{label}"] = str(scores.get(label, ""))
            else:
                row[key] = "" if value is None else str(value)
        for key in row:
            if key not in header:
                header.append(key)
        rows.append(row)
    return header, iter(rows)


def read_scores(path: Path | str) -> Scores:
    """The rows of a scores file (CSV, TSV, .xlsx or JSON Lines)."""
    path = Path(path)
    if not path.is_file():
        problem = "no such file" if not path.exists() else "not a file"
        raise InputError(f"{path}: {problem}; give the output of framing score")
    try:
        return _read_scores(path)
    except UnicodeDecodeError:
        # framing score writes UTF-8; a spreadsheet may have saved it otherwise.
        table = path.suffix.lower() in (".csv", ".tsv", ".tab")
        fix = "save it as CSV UTF-8" if table else "save it as UTF-8"
        raise InputError(f"scores file {path} is not UTF-8; {fix}") from None


def _read_scores(path: Path) -> Scores:
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        header, rows = _flat_jsonl(path)
    else:
        header, rows = _table_rows(path)
    heads = _heads(header)
    if "id" not in header or not heads:
        raise InputError(
            f"{path} is not a scores file: it needs an id column and, for each "
            "label column, its _confidence column (as framing score writes them)"
        )
    taken = set(_FIXED) | set(heads)
    for head, labels in heads.items():
        taken |= {f"{head}_confidence"} | {f"{head}_{label}" for label in labels}
    metadata = [name for name in header if name not in taken and name]
    scores = Scores(path, heads, metadata)
    for row in rows:
        paragraph = _number(row.get("paragraph"))
        text = row.get("text")
        scores.rows.append(
            ScoreRow(
                id=unguard(row.get("id") or ""),
                paragraph=int(paragraph) if paragraph is not None else None,
                text=unguard(text) if text else None,
                labels={head: row.get(head) or "" for head in heads},
                confidence={
                    head: _number(row.get(f"{head}_confidence")) or 0.0
                    for head in heads
                },
                probabilities={
                    head: {
                        label: _number(row.get(f"{head}_{label}")) or 0.0
                        for label in labels
                    }
                    for head, labels in heads.items()
                },
                metadata={name: unguard(row.get(name) or "") for name in metadata},
                error=row.get("error") or "",
            )
        )
    return scores
