"""Make the demo of README's "Study a corpus": a CSV corpus with outlet and date
columns, scored by paragraph and summarised by outlet and month.

    python scripts/demo_corpus.py [--work DIR] [--report docs/study]

The corpus is built from the project's realistic documents (data/realistic: the
texts in raw/, the kind of outlet each was written for in specs.csv) of the
first round (batches RA, RB, RC), keeping the four commonest kinds of news
outlet. The documents have no dates, so each
is given one by its number, spread over the first half of 2024: the months
show what the chart looks like, not when anything was written. The shipped
model was trained on these documents, so the shares show the output, not a
finding. Everything but the report goes to --work (a temporary folder unless
given): the corpus `corpus.csv`, the scores `scores.csv` and the whole report;
the charts, summary.md and summary.csv are copied to --report.
"""

import argparse
import contextlib
import csv
import shutil
import tempfile
from datetime import date
from pathlib import Path

from framing import api

ROOT = Path(__file__).resolve().parents[1]
REALISTIC = ROOT / "data" / "realistic"
OUTLETS = ("broadsheet", "national news agency", "tabloid", "local newspaper")
# The first round only: later rounds would change the README's example.
BATCHES = ("RA", "RB", "RC")
MONTHS = 6


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def corpus_rows() -> list[dict]:
    """One row per document: id, outlet, date, genre, title (the first
    paragraph) and body (the rest), in document order."""
    rows = []
    for spec in read(REALISTIC / "specs.csv"):
        if spec["outlet"] not in OUTLETS or not spec["doc"].startswith(BATCHES):
            continue
        text = (REALISTIC / "raw" / f"{spec['doc']}.txt").read_text(encoding="utf-8")
        title, _blank, body = text.strip().partition("\n\n")
        number = int(spec["doc"][2:])
        day = date(2024, 1 + number % MONTHS, 1 + number % 28)
        rows.append(
            {
                "id": spec["doc"],
                "outlet": spec["outlet"],
                "date": day.isoformat(),
                "genre": spec["genre"],
                "title": title.strip(),
                "body": body.strip(),
            }
        )
    return rows


def write_corpus(path: Path) -> int:
    rows = corpus_rows()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="folder for the corpus and scores")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "study")
    args = parser.parse_args()
    report = args.report.resolve()
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        # Relative names, so that the report names "scores.csv", not a temporary
        # folder.
        with contextlib.chdir(work):
            documents = write_corpus(Path("corpus.csv"))
            summary = api.score(
                Path("corpus.csv"),
                text_column="body",
                id_column="id",
                keep=["outlet", "date"],
                paragraphs=True,
                out=Path("scores.csv"),
                force=True,
                jobs=1,
            )
            api.summarize(
                Path("scores.csv"), by=["outlet", "month"], report_dir=Path("report")
            )
        # The charts, the Markdown page and its table; the HTML page (the same,
        # with the charts inside it) is left out of the repository.
        report.mkdir(parents=True, exist_ok=True)
        for made in sorted((work / "report").iterdir()):
            if made.suffix in (".png", ".md", ".csv"):
                shutil.copyfile(made, report / made.name)
    print(
        f"{documents} documents, {summary['paragraphs']} paragraphs; report in {report}"
    )


if __name__ == "__main__":
    main()
