"""Rewrite the README's evaluation table from docs/evaluation/evaluation.json.

Run after `make evaluate`, so the README shows the figures the report shows.
"""

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NAMES = {"all_rows": "seed + authored rows", "without_authored": "seed rows only"}


def table(result: dict) -> str:
    rows = [
        "| trained on | head | model macro-F1 (95% CI) | majority | VADER |",
        "|---|---|---|---|---|",
    ]
    for condition, report in result["conditions"].items():
        for column, head in report["heads"].items():
            low, high = head["macro_f1_ci95"]
            vader = head["baselines"].get("vader", {}).get("macro_f1")
            rows.append(
                f"| {NAMES.get(condition, condition)} | {column} | "
                f"**{head['model']['macro_f1']:.2f}** ({low:.2f}-{high:.2f}) | "
                f"{head['baselines']['majority']['macro_f1']:.2f} | "
                f"{'' if vader is None else f'{vader:.2f}'} |"
            )
    return "\n".join(rows)


def main() -> None:
    result = json.loads((REPO / "docs/evaluation/evaluation.json").read_text())
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    marker = "<!-- figures: from docs/evaluation/evaluation.json -->"
    pattern = re.escape(marker) + r"\n(\|.*\|\n)+"
    text, count = re.subn(pattern, marker + "\n" + table(result) + "\n", text)
    if count != 1:
        raise SystemExit("README has no figures table to update")
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
