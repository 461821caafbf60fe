"""Write an evaluation as a Markdown page with PNG figures, for a person to read."""

import json
from pathlib import Path

from framing.files import write_atomic

CONDITION_NAMES = {
    "all_rows": "trained on all rows",
    "without_authored": "trained without the authored rows",
}


def _figure_confusion(confusion: dict, title: str, path: Path) -> None:
    import matplotlib.pyplot as plt

    labels, matrix = confusion["labels"], confusion["matrix"]
    fig, ax = plt.subplots(figsize=(4.2, 3.6), dpi=110)
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title, fontsize=9)
    top = max((max(row) for row in matrix), default=0)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            colour = "white" if value > top / 2 else "black"
            ax.text(j, i, str(value), ha="center", va="center", color=colour)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _figure_reliability(heads: dict, title: str, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 3.6), dpi=110)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    for column, head in heads.items():
        bins = head["calibration"]["bins"]
        ax.plot(
            [b["confidence"] for b in bins],
            [b["accuracy"] for b in bins],
            marker="o",
            label=f"{column} (ECE {head['calibration']['ece']:.3f})",
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence of the top label")
    ax.set_ylabel("share correct")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _metrics_markdown(head: dict) -> list[str]:
    model = head["model"]
    lines = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, m in model["per_class"].items():
        lines.append(
            f"| {label} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} "
            f"| {m['support']} |"
        )
    low, high = head["macro_f1_ci95"]
    lines += [
        "",
        "| | macro-F1 | accuracy |",
        "|---|---|---|",
        f"| model | **{model['macro_f1']:.2f}** (95% CI {low:.2f}-{high:.2f}) "
        f"| {model['accuracy']:.2f} |",
    ]
    for name, baseline in head["baselines"].items():
        lines.append(
            f"| {name} baseline | {baseline['macro_f1']:.2f} "
            f"| {baseline['accuracy']:.2f} |"
        )
    return lines


def report_markdown(result: dict, figures: dict) -> str:
    data = result["data"]
    lines = [
        "# framing: grouped evaluation",
        "",
        f"Data: `{data['path']}` ({data['rows']} rows, "
        f"SHA-256 `{data['sha256'][:12]}…`).",
        f"Scored: {data['evaluated_rows']} paragraphs from {data['articles']} "
        "articles, "
        "each predicted by a model that never saw any paragraph of its article.",
        "",
        f"Method: {result['method']}.",
        "",
        "Read with care: the held-out articles are few, so each figure rests on a "
        "handful of outlets; the bootstrap interval resamples paragraphs, which are "
        "not independent within an article, so the true uncertainty is wider.",
    ]
    for condition, report in result["conditions"].items():
        name = CONDITION_NAMES.get(condition, condition)
        lines += ["", f"## Model {name} ({report['training_rows']} training rows)", ""]
        for column, head in report["heads"].items():
            lines += [f"### {column}", ""] + _metrics_markdown(head)
            lines += [
                "",
                f"![{column} confusion matrix]({figures[(condition, column)]})",
                "",
            ]
        lines += [
            "### Calibration",
            "",
            "Expected calibration error (ECE): the mean gap between the model's "
            "confidence and how often it is right, over ten confidence bins. "
            "'Sigmoid' is the same model with Platt calibration fitted on each "
            "training fold's own out-of-article predictions; it is shipped only if "
            "it lowers ECE without costing macro-F1.",
            "",
            "| head | ECE | macro-F1 | ECE, sigmoid | macro-F1, sigmoid |",
            "|---|---|---|---|---|",
        ]
        for column, head in report["heads"].items():
            sigmoid = head["calibration"].get("sigmoid")
            extra = (
                f"{sigmoid['ece']:.3f} | {sigmoid['macro_f1']:.2f}"
                if sigmoid
                else "n/a | n/a"
            )
            lines.append(
                f"| {column} | {head['calibration']['ece']:.3f} | "
                f"{head['model']['macro_f1']:.2f} | {extra} |"
            )
        lines += [
            "",
            f"![reliability diagram]({figures[(condition, 'reliability')]})",
            "",
            "### Configuration chosen in each training fold",
            "",
            "| held-out article | paragraphs | macro-F1 | features | C |",
            "|---|---|---|---|---|",
        ]
        for fold in report["folds"]:
            c = ", ".join(f"{k} {v}" for k, v in fold["C"].items())
            f1 = ", ".join(f"{k} {v:.2f}" for k, v in fold["macro_f1"].items())
            lines.append(
                f"| {fold['article']} | {fold['n']} | {f1} | {fold['features']} | {c} |"
            )
    return "\n".join(lines) + "\n"


def write_report(result: dict, directory: Path) -> Path:
    """Write report.md and its figures into `directory`; returns the page's path."""
    import matplotlib

    matplotlib.use("Agg")
    directory.mkdir(parents=True, exist_ok=True)
    figures = {}
    for condition, report in result["conditions"].items():
        name = CONDITION_NAMES.get(condition, condition)
        for column, head in report["heads"].items():
            file = f"confusion-{condition}-{column}.png"
            _figure_confusion(
                head["model"]["confusion"], f"{column}, {name}", directory / file
            )
            figures[(condition, column)] = file
        file = f"reliability-{condition}.png"
        _figure_reliability(report["heads"], f"Reliability, {name}", directory / file)
        figures[(condition, "reliability")] = file
    page = directory / "report.md"
    markdown = report_markdown(result, figures)
    write_atomic(page, lambda handle: handle.write(markdown))
    data = json.dumps(result, indent=2) + "\n"
    write_atomic(directory / "evaluation.json", lambda handle: handle.write(data))
    return page
