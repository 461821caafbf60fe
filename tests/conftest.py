"""The one fixture module: a tiny hand-written corpus, a tiny model trained on it
once per session (`tiny_model`, also `model_dir`), the CSV it was trained on
(`tiny_data`), and a CLI runner. Behaviour tests never use the shipped model."""

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATASET_COLUMNS = ("id", "article", "paragraph", "text", "stance", "tone", "source")

# (article, text, stance, tone): four short articles, every codebook label at least
# twice, and enough shared words that TF-IDF (min_df=2) has a vocabulary.
TINY_CORPUS = [
    (
        "a1.txt",
        "Abolish the police now: the police cannot be reformed, only ended.",
        "abolitionist",
        "hostile",
    ),
    (
        "a1.txt",
        "The police are violent by design, so abolish the police and fund "
        "communities instead.",
        "abolitionist",
        "hostile",
    ),
    (
        "a1.txt",
        "Campaigners said the force needs independent oversight and better training.",
        "reformist",
        "critical",
    ),
    (
        "a1.txt",
        "Officers patrolled the town centre on Saturday, the force said.",
        "institutional",
        "neutral",
    ),
    (
        "a2.txt",
        "Reform the police with body cameras, independent oversight and "
        "better vetting.",
        "reformist",
        "critical",
    ),
    (
        "a2.txt",
        "The inquiry found failures in vetting and called for reform of "
        "police training.",
        "reformist",
        "critical",
    ),
    (
        "a2.txt",
        "Brave officers kept the public safe and deserve our thanks.",
        "institutional",
        "supportive",
    ),
    (
        "a3.txt",
        "The chief constable praised officers for keeping the public safe.",
        "institutional",
        "supportive",
    ),
    (
        "a3.txt",
        "Police said the report would be published on Monday.",
        "institutional",
        "neutral",
    ),
    (
        "a3.txt",
        "Activists said communities should defund the police and abolish prisons.",
        "abolitionist",
        "critical",
    ),
    (
        "a4.txt",
        "The minister said new funding would help the force recruit officers.",
        "institutional",
        "neutral",
    ),
    (
        "a4.txt",
        "Reform groups welcomed the plan for independent oversight of the police.",
        "reformist",
        "supportive",
    ),
    (
        "a4.txt",
        "Defund and abolish the police: the force is rotten and violent.",
        "abolitionist",
        "hostile",
    ),
]


def corpus_rows(corpus=TINY_CORPUS) -> list[dict]:
    """Dataset rows (dicts with DATASET_COLUMNS) for (article, text, stance, tone)."""
    rows, index = [], {}
    for n, (article, text, stance, tone) in enumerate(corpus):
        index[article] = index.get(article, -1) + 1
        rows.append(
            {
                "id": f"row{n}",
                "article": article,
                "paragraph": str(index[article]),
                "text": text,
                "stance": stance,
                "tone": tone,
                "source": "seed",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict], columns=DATASET_COLUMNS) -> Path:
    """Write dataset rows as UTF-8 CSV with only `columns`; returns the path."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def tiny_rows() -> list[dict]:
    """A fresh copy of the tiny corpus as dataset rows, safe to modify."""
    return corpus_rows()


@pytest.fixture
def tiny_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "tiny.csv", corpus_rows())


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    """The tiny corpus as a training CSV, written once (do not modify it)."""
    return write_csv(tmp_path_factory.mktemp("tiny_data") / "tiny.csv", corpus_rows())


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, tiny_data) -> Path:
    """A model directory trained once on the tiny corpus (no selection: fast)."""
    from framing.api import train

    out = tmp_path_factory.mktemp("tiny_model") / "model"
    train(data=tiny_data, out=out, select=False)
    return out


@pytest.fixture(scope="session")
def model_dir(tiny_model) -> Path:
    """The tiny model's directory (the name the batch and security tests use)."""
    return tiny_model


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def modules_imported_by(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of `names` a fresh interpreter has imported after running `code`."""
    import json
    import subprocess
    import sys

    found = f"[m for m in {names!r} if m in sys.modules]"
    report = f"import json, sys\nprint(json.dumps({found}))"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])
