"""Rich renderables for the terminal: tables and a progress bar. Presentation only."""

from typing import TYPE_CHECKING

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from framing.render.escape import escape_controls

if TYPE_CHECKING:
    from framing.evaluation.results import Confusion, Evaluation, HeadReport, Section
    from framing.model.storage import ModelCard

TEXT_WIDTH = 160


def printable(value) -> str:
    """Text safe for a terminal: control characters (escape sequences that could
    clear the screen or hide text) are shown as escapes, not obeyed."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text)


def _add(table: Table, *values, **options) -> None:
    """Add a row whose cells are plain text: scraped articles contain brackets
    ("[/caption]") that rich would otherwise parse as markup, and fail on."""
    table.add_row(*(Text(printable(v)) for v in values), **options)


def _label(result: dict) -> str:
    return f"{result['label']} ({result['confidence']:.2f})"


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def classify_table(result: dict, *, explain: bool = False) -> Table:
    columns = [c for c, v in result.items() if isinstance(v, dict) and "label" in v]
    table = Table(title="framing: paragraph by paragraph", title_justify="left")
    table.add_column("#", justify="right")
    for column in columns:
        table.add_column(column)
    table.add_column("text")
    if explain:
        table.add_column("why (strongest n-grams)")
    for row in result["paragraphs"]:
        cells = [str(row["index"])] + [_label(row[c]) for c in columns]
        cells.append(_short(row["text"]))
        if explain:
            cells.append(
                "\n".join(
                    f"{c}: " + ", ".join(f["feature"] for f in row["explanation"][c])
                    for c in columns
                )
            )
        _add(table, *cells)
    table.add_section()
    whole = ["all"] + [_label(result[c]) for c in columns]
    whole.append(f"(whole text: {result['method']})")
    _add(table, *(whole + ([""] if explain else [])), style="bold")
    return table


def _bars(console, *, disable: bool = False) -> Progress:
    """Progress bars on `console` that vanish when done."""
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=disable,
    )


class ProgressReporter:
    """A progress bar on stderr, started once the number of files is known, and
    only on a terminal (elsewhere the vanishing bar left an empty line)."""

    def __init__(self, console):
        self.console = console
        self.progress = _bars(console, disable=not console.is_terminal)
        self.task = None

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)

    def start(self, total: int | None) -> None:
        self.task = self.progress.add_task("scoring", total=total)

    def advance(self, documents: int, warnings: list[tuple[str, str]]) -> None:
        """Show a chunk's warnings and move the bar on by its documents."""
        for doc_id, warning in warnings:
            line = escape_controls(f"warning: {doc_id}: {warning}")
            self.progress.console.print(Text(line))
        if self.task is not None:
            self.progress.advance(self.task, documents)


class StageProgress:
    """Progress bars on stderr for long library work that reports
    (stage, done, total): one bar per stage, for `train` and `evaluate`. Shown
    only on a terminal, and only once work has started, so an early error is
    still one line."""

    def __init__(self, console):
        self.progress = _bars(console, disable=not console.is_terminal)
        self.tasks: dict[str, TaskID] = {}
        self.started = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.started:
            self.progress.stop()
        return False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.started:
            self.progress.start()
            self.started = True
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)


def label_count_table(summary: dict, *, per: str) -> Table:
    table = Table(title=f"Labels ({per})", title_justify="left")
    table.add_column("label column")
    table.add_column("label")
    table.add_column(per, justify="right")
    for column, counts in summary["counts"].items():
        for label, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            _add(table, column, label, str(count))
    table.add_section()
    unit = summary.get("unit", "files")
    _add(table, unit, "scored", str(summary["documents"] - summary["failed"]))
    _add(table, unit, "failed", str(summary["failed"]))
    if summary.get("resumed"):
        _add(table, unit, "kept from the interrupted run", str(summary["resumed"]))
    skipped = summary.get("skipped") or {}
    for suffix, count in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])):
        _add(table, "skipped files", suffix, str(count))
    return table


def metrics_table(title: str, head: "HeadReport") -> Table:
    model = head["model"]
    table = Table(title=title, title_justify="left")
    for name in ("label", "precision", "recall", "F1", "support"):
        table.add_column(name, justify="left" if name == "label" else "right")
    for label, m in model["per_class"].items():
        _add(
            table,
            label,
            f"{m['precision']:.2f}",
            f"{m['recall']:.2f}",
            f"{m['f1']:.2f}",
            str(m["support"]),
        )
    table.add_section()
    low, high = head["macro_f1_ci95"]
    _add(
        table,
        "macro-F1 (model)",
        "",
        "",
        f"{model['macro_f1']:.2f}",
        f"[{low:.2f}, {high:.2f}]",
    )
    for name, baseline in head["baselines"].items():
        _add(table, f"macro-F1 ({name})", "", "", f"{baseline['macro_f1']:.2f}", "")
    _add(table, "accuracy (model)", "", "", f"{model['accuracy']:.2f}", str(model["n"]))
    _add(table, "Cohen's kappa (model vs labels)", "", "", f"{head['kappa']:.2f}", "")
    if "calibration" in head:
        ece = head["calibration"]["ece"]
        _add(table, "calibration error (ECE)", "", "", f"{ece:.3f}", "")
    differs = head.get("label_differs_from_paragraph_majority")
    if differs:
        sub = differs["model"]
        mean = next(iter(sub["baselines"].values()))["macro_f1"]
        _add(
            table,
            f"macro-F1 where the document label differs from its paragraphs' "
            f"majority ({differs['documents']} documents)",
            "",
            "",
            f"{sub['model']['macro_f1']:.2f}",
            f"mean {mean:.2f}",
        )
    return table


def confusion_table(title: str, confusion: "Confusion") -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("true \\ predicted")
    for label in confusion["labels"]:
        table.add_column(label, justify="right")
    for label, row in zip(confusion["labels"], confusion["matrix"]):
        _add(table, label, *(str(v) for v in row))
    return table


def section_heading(section: "Section") -> str:
    extra = f" from {section['documents']} documents" if "documents" in section else ""
    return f"{section['name']}: {section['n']} {section['unit']}{extra}"


def _left_out(section: "Section") -> str:
    return (
        f"left out: {section['left_out']} paragraphs of documents the model was "
        "trained on"
    )


def evaluation_tables(result: "Evaluation") -> list:
    out: list = []
    for section in result["sections"]:
        out.append(Text(f"\n{section_heading(section)}", style="bold"))
        if section.get("method"):
            out.append(Text(section["method"]))
        if section.get("left_out"):
            out.append(Text(_left_out(section)))
        if section.get("methods"):
            used = ", ".join(f"{m} ({n})" for m, n in section["methods"].items())
            out.append(Text(f"document labels made by: {used}"))
        for column, head in section["heads"].items():
            title = f"{column}, {section['name']} ({section['unit']})"
            out.append(metrics_table(title, head))
            out.append(
                confusion_table(f"{title}: confusion", head["model"]["confusion"])
            )
    return out


def evaluation_summary(result: "Evaluation") -> list[dict]:
    """One line per section and head: the headline figures (for the card and
    for README's table)."""
    lines = []
    for section in result["sections"]:
        for column, head in section["heads"].items():
            line = {
                "section": section["name"],
                "unit": section["unit"],
                "head": column,
                "n": section["n"],
                "macro_f1": head["model"]["macro_f1"],
                "ci95": head["macro_f1_ci95"],
                "kappa": head["kappa"],
                "baselines": {
                    name: b["macro_f1"] for name, b in head["baselines"].items()
                },
            }
            differs = head.get("label_differs_from_paragraph_majority")
            if differs:
                line["label_differs"] = {
                    "documents": differs["documents"],
                    "macro_f1": differs["model"]["model"]["macro_f1"],
                    "baselines": {
                        name: b["macro_f1"]
                        for name, b in differs["model"]["baselines"].items()
                    },
                }
            lines.append(line)
    return lines


def _mapping(value) -> dict:
    """A card field as a dict, whatever a damaged or hand-edited card holds."""
    return value if isinstance(value, dict) else {}


def card_tables(card: "ModelCard") -> list:
    table = Table(title="Model card", title_justify="left", show_header=False)
    table.add_column("field")
    table.add_column("value")
    data = _mapping(card.get("training_data"))
    _add(table, "model folder", card.get("location", ""))
    _add(table, "created", card.get("created", ""))
    _add(table, "training data", f"{data.get('path')} ({data.get('rows')} rows)")
    _add(table, "training data SHA-256", data.get("sha256", ""))
    sources = _mapping(data.get("sources"))
    _add(
        table, "sources", ", ".join(f"{k or '(none)'} {v}" for k, v in sources.items())
    )
    documents = _mapping(data.get("documents"))
    if documents:
        _add(
            table,
            "documents",
            f"{documents.get('path')} ({documents.get('documents')})",
        )
    selection = _mapping(card.get("selection"))
    _add(table, "features", selection.get("features_name", ""))
    families = card.get("feature_families")
    _add(
        table,
        "feature families on",
        ", ".join(map(str, families)) if isinstance(families, list) else "",
    )
    for family, decision in _mapping(selection.get("feature_families")).items():
        _add(table, f"family: {family}", _mapping(decision).get("why", decision))
    _add(table, "why", selection.get("reason", ""))
    for name, why in _mapping(selection.get("left_out")).items():
        _add(table, f"left out: {name}", why)
    counts_by_head = _mapping(data.get("label_counts"))
    for column, head in _mapping(card.get("heads")).items():
        head = _mapping(head)
        counts = _mapping(counts_by_head.get(column))
        _add(
            table,
            column,
            f"C={head.get('C')}; offsets {head.get('offsets')}; "
            + ", ".join(f"{k} {v}" for k, v in counts.items()),
        )
    _add(table, "aggregation", card.get("aggregation", ""))
    for name, version in _mapping(card.get("versions")).items():
        _add(table, name, version)
    for warning in card.get("warnings") or []:
        _add(table, "warning", warning)
    out: list = [table]
    evaluation = card.get("evaluation")
    if isinstance(evaluation, list) and all(isinstance(x, dict) for x in evaluation):
        try:
            out.append(evaluation_summary_table(evaluation))
        except (KeyError, TypeError, ValueError, IndexError):
            out.append(Text("(the card's evaluation figures are damaged)"))
    return out


def evaluation_summary_table(lines: list[dict]) -> Table:
    table = Table(title="Evaluation (macro-F1)", title_justify="left")
    for name in ("evaluated on", "unit", "label column", "model", "95% interval"):
        table.add_column(
            name, justify="right" if name in ("model", "95% interval") else "left"
        )
    table.add_column("baselines")
    for line in lines:
        _add(
            table,
            line["section"],
            f"{line['n']} {line['unit']}",
            line["head"],
            f"{line['macro_f1']:.2f}",
            f"[{line['ci95'][0]:.2f}, {line['ci95'][1]:.2f}]",
            ", ".join(f"{k} {v:.2f}" for k, v in line["baselines"].items()),
        )
    return table
