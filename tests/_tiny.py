"""A tiny labelled corpus and model for the reliability and security tests.

Kept apart from conftest.py so these test modules do not depend on fixtures that
other test files define; `tiny_model_dir` trains at most once per session.
"""

import csv
from pathlib import Path

from framing.api import train

# (article, text, stance, tone): every codebook label at least twice, four articles.
ROWS = [
    (
        "a.txt",
        "Abolish the police now: no reform can fix an institution built on violence.",
        "abolitionist",
        "hostile",
    ),
    (
        "a.txt",
        "Defund the police and move the money to housing, schools and care.",
        "abolitionist",
        "critical",
    ),
    (
        "a.txt",
        "The police report says officers attended the protest on Saturday.",
        "institutional",
        "neutral",
    ),
    (
        "b.txt",
        "The police force must be abolished, not reformed, campaigners said.",
        "abolitionist",
        "hostile",
    ),
    (
        "b.txt",
        "Officers need better training and independent oversight of misconduct.",
        "reformist",
        "critical",
    ),
    (
        "b.txt",
        "Our brave officers keep the public safe every day and deserve thanks.",
        "institutional",
        "supportive",
    ),
    (
        "c.txt",
        "Reform of police vetting and misconduct rules is overdue, the review found.",
        "reformist",
        "critical",
    ),
    (
        "c.txt",
        "The chief constable said officers will attend the meeting on Monday.",
        "institutional",
        "neutral",
    ),
    (
        "c.txt",
        "Independent oversight of the police would restore public trust, MPs said.",
        "reformist",
        "neutral",
    ),
    (
        "d.txt",
        "We thank our officers for their courage and the public for their support.",
        "institutional",
        "supportive",
    ),
    (
        "d.txt",
        "Better training for officers and new rules on misconduct are welcome.",
        "reformist",
        "supportive",
    ),
    (
        "d.txt",
        "The police are violent and rotten, and no reform will change that.",
        "abolitionist",
        "hostile",
    ),
]

HEADER = ["id", "article", "paragraph", "text", "stance", "tone", "source"]

_cache: dict[str, Path] = {}


def write_tiny_csv(path: Path, rows=ROWS) -> Path:
    """The tiny corpus as a training CSV at `path`."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, (article, text, stance, tone) in enumerate(rows):
            writer.writerow([f"r{number}", article, number, text, stance, tone, "seed"])
    return Path(path)


def tiny_model_dir(tmp_path_factory) -> Path:
    """A model trained on the tiny corpus (once per session), as a directory."""
    if "model" not in _cache:
        root = tmp_path_factory.mktemp("reliability-model")
        data = write_tiny_csv(root / "tiny.csv")
        train(data=data, out=root / "model", select=False)
        _cache["data"] = data
        _cache["model"] = root / "model"
    return _cache["model"]


def tiny_data(tmp_path_factory) -> Path:
    """The CSV the tiny model was trained on."""
    tiny_model_dir(tmp_path_factory)
    return _cache["data"]
