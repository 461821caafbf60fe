"""Rewrite the README's evaluation table from docs/evaluation/evaluation.json.

Run after `make evaluate`, so the README shows the figures the report shows.
"""

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def table(result: dict) -> str:
    rows = [
        "| evaluated on | unit | head | macro-F1 (95% CI) | baselines |",
        "|---|---|---|---|---|",
    ]
    for section in result["sections"]:
        for column, head in section["heads"].items():
            low, high = head["macro_f1_ci95"]
            baselines = ", ".join(
                f"{name} {b['macro_f1']:.2f}" for name, b in head["baselines"].items()
            )
            rows.append(
                f"| {section['name']} | {section['n']} {section['unit']} | {column} | "
                f"**{head['model']['macro_f1']:.2f}** ({low:.2f}-{high:.2f}) | "
                f"{baselines} |"
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
