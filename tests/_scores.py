"""Scores files as `framing score --paragraphs` writes them, made by hand for the
findings tests: every label known, so shares and samples can be checked exactly."""

import csv

STANCES = ["abolitionist", "institutional", "reformist"]
TONES = ["critical", "hostile", "neutral", "supportive"]
# The columns `framing score --paragraphs` writes today, then metadata columns.
HEADER = [
    "id",
    "paragraph",
    "text",
    "stance",
    "stance_confidence",
    *(f"stance_{label}" for label in STANCES),
    "tone",
    "tone_confidence",
    *(f"tone_{label}" for label in TONES),
    "warning",
    "error",
    "outlet",
    "date",
]


def score_row(doc, index, text, stance, tone, outlet="", date="", p=0.8, error=""):
    """A scores row whose label has probability p, the rest shared equally."""
    if error:
        return [doc, "", "", *[""] * 11, "", error, outlet, date]
    stances = [p if s == stance else (1 - p) / 2 for s in STANCES]
    tones = [p if t == tone else (1 - p) / 3 for t in TONES]
    return [
        doc,
        index,
        text,
        stance,
        p,
        *stances,
        tone,
        p,
        *tones,
        "",
        "",
        outlet,
        date,
    ]


def write_scores(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def many_rows(count=60):
    rows = []
    for i in range(count):
        stance = STANCES[i % 3] if i % 10 else "abolitionist"
        outlet = "Herald" if i % 4 else "Post"
        rows.append(
            score_row(
                f"d{i // 3}",
                i % 3,
                f"Paragraph number {i} on police.",
                stance,
                "neutral",
                outlet,
                "2024-03-01",
            )
        )
    return rows
