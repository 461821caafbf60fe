"""Rich renderables for the terminal: tables and a progress bar. Presentation only."""

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

TEXT_WIDTH = 160


def _add(table: Table, *values, **options) -> None:
    """Add a row whose cells are plain text: scraped articles contain brackets
    ("[/caption]") that rich would otherwise parse as markup, and fail on."""
    table.add_row(*(Text(str(v)) for v in values), **options)


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


class ProgressReporter:
    """A progress bar on stderr, started once the number of files is known."""

    def __init__(self, console):
        self.console = console
        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.task = None

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)

    def start(self, total: int) -> None:
        self.task = self.progress.add_task("scoring", total=total)

    def advance(self, record: dict) -> None:
        if record.get("warning"):
            self.progress.console.print(
                Text(f"warning: {record['id']}: {record['warning']}")
            )
        if self.task is not None:
            self.progress.advance(self.task)


def label_count_table(summary: dict, *, per: str) -> Table:
    table = Table(title=f"Labels ({per})", title_justify="left")
    table.add_column("label column")
    table.add_column("label")
    table.add_column(per, justify="right")
    for column, counts in summary["counts"].items():
        for label, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            _add(table, column, label, str(count))
    table.add_section()
    _add(table, "files", "scored", str(summary["documents"] - summary["failed"]))
    _add(table, "files", "failed", str(summary["failed"]))
    if summary.get("resumed"):
        _add(table, "files", "kept from the interrupted run", str(summary["resumed"]))
    return table


def metrics_table(title: str, head: dict) -> Table:
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
    _add(
        table,
        "calibration error (ECE)",
        "",
        "",
        f"{head['calibration']['ece']:.3f}",
        "",
    )
    sigmoid = head["calibration"].get("sigmoid")
    if sigmoid:
        _add(
            table,
            "macro-F1, sigmoid-calibrated",
            "",
            "",
            f"{sigmoid['macro_f1']:.2f}",
            "",
        )
        _add(table, "ECE, sigmoid-calibrated", "", "", f"{sigmoid['ece']:.3f}", "")
    return table


def confusion_table(title: str, confusion: dict) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("true \\ predicted")
    for label in confusion["labels"]:
        table.add_column(label, justify="right")
    for label, row in zip(confusion["labels"], confusion["matrix"]):
        _add(table, label, *(str(v) for v in row))
    return table


CONDITION_TITLES = {
    "all_rows": "Trained on all rows",
    "without_authored": "Trained without the authored rows",
}


def evaluation_tables(result: dict) -> list:
    data = result["data"]
    out = [
        Text(
            f"Leave-one-article-out on {data['evaluated_rows']} paragraphs from "
            f"{data['articles']} articles ({data['rows']} rows in {data['path']})."
        ),
        Text(result["method"]),
    ]
    for condition, report in result["conditions"].items():
        title = CONDITION_TITLES.get(condition, condition)
        out.append(Text(f"\n{title} ({report['training_rows']} rows)", style="bold"))
        for column, head in report["heads"].items():
            out.append(metrics_table(f"{column}: {title.lower()}", head))
            out.append(
                confusion_table(
                    f"{column} confusion: {title.lower()}", head["model"]["confusion"]
                )
            )
    return out


def card_tables(card: dict) -> list:
    table = Table(title="Model card", title_justify="left", show_header=False)
    table.add_column("field")
    table.add_column("value")
    data = card.get("training_data", {})
    _add(table, "created", card.get("created", ""))
    _add(table, "training data", f"{data.get('path')} ({data.get('rows')} rows)")
    _add(table, "training data SHA-256", data.get("sha256", ""))
    _add(
        table,
        "sources",
        ", ".join(f"{k or '(none)'} {v}" for k, v in data.get("sources", {}).items()),
    )
    selection = card.get("selection", {})
    _add(table, "features", selection.get("features_name", ""))
    _add(table, "why", selection.get("reason", ""))
    for name, why in selection.get("left_out", {}).items():
        _add(table, f"left out: {name}", why)
    for column, head in card.get("heads", {}).items():
        counts = data.get("label_counts", {}).get(column, {})
        _add(
            table,
            column,
            f"C={head.get('C')}; " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        )
    _add(table, "aggregation", card.get("aggregation", ""))
    for name, version in card.get("versions", {}).items():
        _add(table, name, version)
    out = [table]
    evaluation = card.get("evaluation")
    if evaluation:
        out.append(evaluation_summary_table(evaluation))
    return out


def evaluation_summary_table(evaluation: dict) -> Table:
    table = Table(title="Grouped evaluation (macro-F1)", title_justify="left")
    table.add_column("trained on")
    table.add_column("label column")
    table.add_column("model", justify="right")
    table.add_column("95% interval", justify="right")
    table.add_column("majority", justify="right")
    table.add_column("VADER", justify="right")
    for condition, heads in evaluation.items():
        for column, h in heads.items():
            _add(
                table,
                condition,
                column,
                f"{h['macro_f1']:.2f}",
                f"[{h['ci95'][0]:.2f}, {h['ci95'][1]:.2f}]",
                f"{h['majority']:.2f}",
                f"{h['vader']:.2f}" if h.get("vader") is not None else "",
            )
    return table
