"""Show a Summary: terminal tables, and a report folder with charts.

The report folder holds summary.md (Markdown, charts as PNG files beside it),
summary.html (one self-contained page, charts embedded), summary.csv (the long
table) and the charts: for each head, the shares per group as stacked bars and,
when a period is among the groups, the shares over time with their intervals.
"""

import base64
import html
from collections.abc import Sequence
from pathlib import Path

from framing.errors import OutputError
from framing.findings.groups import NO_DATE
from framing.findings.scores import UNCERTAIN
from framing.findings.summary import Summary
from framing.render.report import save_png

MAX_BARS = 20
MAX_PANELS = 6
_COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]
_GREY = "#b0b0b0"
MATPLOTLIB_HINT = (
    "--report draws its charts with matplotlib: pip install 'framing[report]' (in "
    "a checkout: pip install '.[report]')"
)


def check_matplotlib() -> None:
    """Fail at once, not after reading the scores, when charts cannot be drawn."""
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError:
        raise OutputError(MATPLOTLIB_HINT) from None


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def share_cell(figures: dict) -> str:
    """ "42% (35-49)": a share and its interval, in percent."""
    low, high = 100 * figures["low"], 100 * figures["high"]
    return f"{percent(figures['share'])} ({low:.0f}-{high:.0f})"


def _group_name(group: dict) -> str:
    return " / ".join(group.values()) or "all"


def _colours(labels: Sequence[str]) -> dict[str, str]:
    colours, index = {}, 0
    for label in labels:
        if label == UNCERTAIN:
            colours[label] = _GREY
        else:
            colours[label] = _COLOURS[index % len(_COLOURS)]
            index += 1
    return colours


def terminal_tables(summary: Summary) -> list:
    """A rich Table per head: a row per group, a column per label."""
    from rich.table import Table
    from rich.text import Text

    tables = []
    for head in summary.heads:
        table = Table(
            title=f"{head}: share of {summary.unit} (95% interval)",
            title_justify="left",
        )
        width = len(summary.by or ["group"])
        header, rows = _table_rows(summary, head)
        for index, name in enumerate(header):
            table.add_column(name, justify="left" if index < width else "right")
        for index, row in enumerate(rows):
            if index == len(rows) - 1 and summary.by:
                table.add_section()
            table.add_row(*(Text(cell) for cell in row))
        tables.append(table)
    return tables


# Charts


def _figure(width: float, height: float):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise OutputError(MATPLOTLIB_HINT) from None
    return Figure(figsize=(width, height), dpi=110)


def chart_shares(
    summary: Summary, head: str, groups: list[dict], path: Path, title: str
) -> None:
    """Stacked horizontal bars: one bar per group, a segment per label."""
    labels = summary.heads[head]["labels"]
    colours = _colours(labels)
    shown = sorted(groups, key=lambda g: -g["n"])[:MAX_BARS]
    shown.sort(key=lambda g: tuple(g["group"].values()))
    fig = _figure(7.5, 1.2 + 0.38 * len(shown))
    ax = fig.add_subplot()
    names = [_group_name(g["group"]) for g in shown]
    positions = list(range(len(shown)))[::-1]
    left = [0.0] * len(shown)
    for label in labels:
        widths = [g["labels"][label]["share"] for g in shown]
        ax.barh(positions, widths, left=left, color=colours[label], label=label)
        left = [a + b for a, b in zip(left, widths)]
    for y, group in zip(positions, shown):
        ax.text(1.01, y, f"n={group['n']}", va="center", fontsize=7)
    ax.set_yticks(positions, names, fontsize=8)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda value, _pos: f"{100 * value:.0f}%")
    ax.set_title(title, fontsize=9, pad=24)
    ax.legend(
        fontsize=7,
        ncols=len(labels),
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        frameon=False,
    )
    fig.tight_layout()
    save_png(fig, path)


def chart_over_time(
    summary: Summary,
    head: str,
    time_key: str,
    panels: dict[str, list[dict]],
    path: Path,
) -> None:
    """Lines of each label's share per period, with the 95% interval shaded; a
    panel per group when there is more than one."""
    labels = summary.heads[head]["labels"]
    colours = _colours(labels)
    count = len(panels)
    fig = _figure(7.5, 0.6 + 2.4 * count)
    for index, (name, groups) in enumerate(panels.items(), start=1):
        ax = fig.add_subplot(count, 1, index)
        groups = [g for g in groups if g["group"][time_key] != NO_DATE]
        if not groups:
            ax.set_title(f"{name}: no dated rows", fontsize=8, loc="left")
            ax.set_axis_off()
            continue
        periods = [g["group"][time_key] for g in groups]
        xs = list(range(len(periods)))
        for label in labels:
            shares = [g["labels"][label] for g in groups]
            ax.plot(
                xs,
                [s["share"] for s in shares],
                marker="o",
                markersize=3,
                color=colours[label],
                label=label,
            )
            ax.fill_between(
                xs,
                [s["low"] for s in shares],
                [s["high"] for s in shares],
                color=colours[label],
                alpha=0.15,
                linewidth=0,
            )
        step = max(1, len(periods) // 12)
        ax.set_xticks(xs[::step], periods[::step], fontsize=7, rotation=30)
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(lambda value, _pos: f"{100 * value:.0f}%")
        ax.set_title(name, fontsize=8, loc="left")
        if index == 1:
            ax.legend(fontsize=7, ncols=len(labels), loc="upper right")
    fig.suptitle(f"{head}: share of {summary.unit} per {time_key}", fontsize=9)
    fig.tight_layout()
    save_png(fig, path)


def write_charts(summary: Summary, folder: Path) -> dict[str, list[Path]]:
    """The charts of every head, as PNG files in `folder`: {head: [paths]}."""
    time_keys = summary.time_keys
    other = [key for key in summary.by if key not in time_keys]
    charts: dict[str, list[Path]] = {}
    bar_keys = other or summary.by
    bars = summary.regroup(bar_keys) if bar_keys else None
    for head, data in summary.heads.items():
        paths = []
        path = folder / f"{head}-shares.png"
        if bars is not None:
            title = f"{head}: share of {summary.unit} per {' / '.join(bar_keys)}"
            chart_shares(summary, head, bars[head], path, title)
        else:
            overall = [{"group": {}, **data["overall"]}]
            chart_shares(summary, head, overall, path, f"{head}: share of all")
        paths.append(path)
        charts[head] = paths
    if not time_keys:
        # A chart over time that an earlier report left in this folder would
        # sit there unlinked, looking current.
        for head in summary.heads:
            (folder / f"{head}-over-time.png").unlink(missing_ok=True)
    if time_keys:
        time_key = time_keys[0]
        grouped = summary.regroup([*other, time_key])
        for head in summary.heads:
            panels: dict[str, list[dict]] = {}
            for group in grouped[head]:
                name = _group_name({k: group["group"][k] for k in other})
                panels.setdefault(name, []).append(group)
            largest = sorted(
                panels, key=lambda name: -sum(g["n"] for g in panels[name])
            )[:MAX_PANELS]
            path = folder / f"{head}-over-time.png"
            chart_over_time(
                summary, head, time_key, {n: panels[n] for n in sorted(largest)}, path
            )
            charts[head].append(path)
    return charts


# Pages


def _about(summary: Summary) -> list[str]:
    if summary.uncertain == "separate":
        handling = (
            f"Labels with confidence below {summary.min_confidence:g} are counted "
            f"as '{UNCERTAIN}'."
        )
    else:
        handling = (
            f"Labels with confidence below {summary.min_confidence:g} are left out "
            "of the shares (column 'excluded')."
        )
    if summary.min_confidence == 0:
        handling = "Every label counts, whatever its confidence (no --min-confidence)."
    return [
        f"Scores: {summary.scores}: {summary.rows} {summary.unit}, "
        f"{summary.scored} scored, {summary.errors} with an error (left out).",
        handling,
        f"Intervals: {summary.interval}.",
    ]


def _table_rows(summary: Summary, head: str) -> tuple[list[str], list[list[str]]]:
    """A row per group and a last row for all: the group's values, its counts
    and each label's share with its interval."""
    data = summary.heads[head]
    excluded = summary.uncertain == "exclude"
    header = [*(summary.by or ["group"]), "n", "documents"]
    header += ["excluded"] if excluded else []
    header += data["labels"]
    rows = []
    groups = data["groups"] if summary.by else []
    for group in [*groups, {"group": {}, **data["overall"]}]:
        names = [group["group"].get(key, "") for key in summary.by] or ["all"]
        if not group["group"] and summary.by:
            names = ["all"] + [""] * (len(summary.by) - 1)
        cells = [*names, str(group["n"]), str(group["documents"])]
        cells += [str(group["excluded"])] if excluded else []
        rows.append(cells + [share_cell(group["labels"][x]) for x in data["labels"]])
    return header, rows


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_page(summary: Summary, charts: dict[str, list[Path]]) -> str:
    lines = ["# Label shares", ""]
    lines += [f"- {line}" for line in _about(summary)] + [""]
    for head in summary.heads:
        lines += [f"## {head}", ""]
        for chart in charts.get(head, []):
            lines += [f"![{head}]({chart.name})", ""]
        header, rows = _table_rows(summary, head)
        lines.append("| " + " | ".join(_markdown_cell(h) for h in header) + " |")
        lines.append("|" + "---|" * len(header))
        for row in rows:
            lines.append("| " + " | ".join(_markdown_cell(c) for c in row) + " |")
        lines.append("")
    return "\n".join(lines)


def html_page(summary: Summary, charts: dict[str, list[Path]]) -> str:
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Label shares</title>',
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;}"
        "table{border-collapse:collapse;font-size:0.85em;}"
        "td,th{border:1px solid #ccc;padding:0.2em 0.5em;text-align:right;}"
        "td:first-child,th:first-child{text-align:left;}img{max-width:100%;}"
        "</style></head><body>",
        "<h1>Label shares</h1>",
        "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in _about(summary)) + "</ul>",
    ]
    for head in summary.heads:
        parts.append(f"<h2>{esc(head)}</h2>")
        for chart in charts.get(head, []):
            data = base64.b64encode(chart.read_bytes()).decode("ascii")
            parts.append(
                f'<p><img alt="{esc(head)}" src="data:image/png;base64,{data}"></p>'
            )
        header, rows = _table_rows(summary, head)
        parts.append("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header))
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_report(summary: Summary, folder: Path) -> dict[str, Path]:
    """Write the report folder (see the module's docstring); returns its files."""
    from framing.render.tables import write_table, write_text

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; give a folder for the report")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror}") from None
    charts = write_charts(summary, folder)
    files = {"markdown": folder / "summary.md", "html": folder / "summary.html"}
    markdown, page = markdown_page(summary, charts), html_page(summary, charts)
    write_text(files["markdown"], markdown)
    write_text(files["html"], page)
    files["csv"] = folder / "summary.csv"
    header, rows = summary.table()
    write_table(files["csv"], header, rows)
    for head, paths in charts.items():
        for index, path in enumerate(paths):
            files[f"{head}-{index}"] = path
    return files
