"""Measure the correction loop of README's "Study a corpus": does labelling 50
paragraphs that `framing suggest` picks help more than 50 random ones?

    python scripts/loop_measure.py [--weight 5] [--out docs/loop.json]

The dev set's documents are split in two by source (alternate documents of each
genre): one half is the researcher's corpus, scored, sampled and suggested from;
the other half is where the models are measured, so nothing is measured on text
it was chosen from. Three models are compared on the measuring half: the shipped
model; the model retrained with `--with-default-data` on 50 suggested paragraphs;
and the same with 50 random paragraphs (`framing sample`, seed 0). The labels
filled in are the dev set's own (the coders'), as a researcher's would be.
"""

import argparse
import csv
import json
import tempfile
from pathlib import Path

from framing import api
from framing.model.storage import default_model_dir

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "dev"


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def split_by_source() -> tuple[set[str], set[str]]:
    """Alternate documents of each genre to the corpus half and the measuring half."""
    by_genre: dict[str, list[str]] = {}
    for spec in read(DEV / "specs.csv"):
        by_genre.setdefault(spec["genre"], []).append(spec["doc"])
    corpus, measure = set(), set()
    for docs in by_genre.values():
        for n, doc in enumerate(sorted(docs)):
            (corpus if n % 2 == 0 else measure).add(doc)
    return corpus, measure


def fill_labels(sheet: Path, gold: dict[str, dict], out: Path) -> int:
    """The coding sheet with the dev set's labels filled in (rows whose text the
    dev set does not hold are dropped); returns how many rows were labelled."""
    rows = read(sheet)
    kept = []
    for row in rows:
        label = gold.get(" ".join(row["text"].lstrip("'").split()))
        if label:
            kept.append({**row, "stance": label["stance"], "tone": label["tone"]})
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return len(kept)


def figures(result: dict) -> dict:
    section = result["sections"][0]
    return {
        column: {
            "macro_f1": head["model"]["macro_f1"],
            "ci95": head["macro_f1_ci95"],
        }
        for column, head in section["heads"].items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--weight", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "loop.json")
    args = parser.parse_args()
    corpus, measure = split_by_source()
    paragraphs = read(DEV / "paragraphs.csv")
    gold = {" ".join(p["text"].split()): p for p in paragraphs}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        folder = work / "corpus"
        folder.mkdir()
        for doc in sorted(corpus):
            (folder / f"{doc}.txt").write_bytes(
                (DEV / "raw" / f"{doc}.txt").read_bytes()
            )
        measuring = work / "measure.csv"
        with open(measuring, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(paragraphs[0]))
            writer.writeheader()
            writer.writerows(p for p in paragraphs if p["article"] in measure)
        scores = work / "scores.csv"
        api.score(folder, out=scores, paragraphs=True, jobs=1)
        api.suggest(scores, out=work / "suggested.csv", n=args.n)
        api.sample(scores, out=work / "random.csv", n=args.n, seed=0)
        labelled = {
            name: fill_labels(work / f"{name}.csv", gold, work / f"{name}-coded.csv")
            for name in ("suggested", "random")
        }
        shipped = default_model_dir()
        results = {
            "shipped model": figures(api.evaluate(data=measuring, model_dir=shipped))
        }
        for name in ("suggested", "random"):
            model = work / f"model-{name}"
            api.train(
                data=work / f"{name}-coded.csv",
                out=model,
                with_default_data=True,
                weight=args.weight,
            )
            results[f"+ {args.n} {name}"] = figures(
                api.evaluate(data=measuring, model_dir=model)
            )
    report = {
        "corpus_documents": len(corpus),
        "measuring_documents": len(measure),
        "labelled": labelled,
        "weight": args.weight,
        "results": results,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
