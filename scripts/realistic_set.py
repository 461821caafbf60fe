"""Build the blind realistic training documents (data/realistic/README.md).

python scripts/realistic_set.py sheet   # raw/*.txt -> coding/sheet-<batch>.csv
python scripts/realistic_set.py build   # coding/coder_<batch>.csv -> <batch>-*.csv
"""

import csv
import sys
from pathlib import Path

from framing.text.read import read_text
from framing.text.segment import split_paragraphs

FOLDER = Path(__file__).resolve().parents[1] / "data" / "realistic"
JUNK = "junk"


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def batches() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for spec in read_csv(FOLDER / "specs.csv"):
        out.setdefault(spec["doc"][:2], []).append(spec)
    return out


def sheet() -> None:
    for batch, specs in batches().items():
        if (FOLDER / "coding" / f"coder_{batch}.csv").exists():
            # Its units are frozen: a later splitter must not shift the coder's.
            print(f"{batch}: coded already, sheet kept")
            continue
        rows, documents = [], []
        for spec in specs:
            path = FOLDER / "raw" / f"{spec['doc']}.txt"
            if not path.exists():
                continue
            text, _warning = read_text(path)
            for index, paragraph in enumerate(split_paragraphs(text)):
                rows.append(
                    {
                        "unit": f"{spec['doc']}-p{index:02d}",
                        "kind": "paragraph",
                        "document": spec["doc"],
                        "paragraph": index,
                        "text": paragraph,
                    }
                )
            documents.append(
                {
                    "unit": f"{spec['doc']}-doc",
                    "kind": "document",
                    "document": spec["doc"],
                    "paragraph": "",
                    "text": f"(the whole of raw/{spec['doc']}.txt)",
                }
            )
        columns = ["unit", "kind", "document", "paragraph", "text"]
        write_csv(FOLDER / "coding" / f"sheet-{batch}.csv", rows + documents, columns)
        print(f"{batch}: {len(rows)} paragraph units, {len(documents)} documents")


def build() -> None:
    for batch, specs in batches().items():
        coded = FOLDER / "coding" / f"coder_{batch}.csv"
        if not coded.exists():
            print(f"{batch}: not coded yet")
            continue
        labels = {row["unit"]: row for row in read_csv(coded)}
        units = read_csv(FOLDER / "coding" / f"sheet-{batch}.csv")
        info = {spec["doc"]: spec for spec in specs}
        # A coder who ran out of time leaves documents partly coded: only the
        # documents with every unit coded are kept.
        missing = {unit["document"] for unit in units if unit["unit"] not in labels}
        if missing:
            print(f"{batch}: {len(missing)} documents not fully coded, left out")
        paragraphs, documents, numbered = [], [], {}
        for unit in units:
            if unit["document"] in missing:
                continue
            label = labels[unit["unit"]]
            if label["stance"] == JUNK:
                continue
            spec = info[unit["document"]]
            if unit["kind"] == "paragraph":
                position = numbered.get(unit["document"], 0)
                numbered[unit["document"]] = position + 1
                paragraphs.append(
                    {
                        "document": unit["document"],
                        "paragraph": position,
                        "text": unit["text"],
                        "stance": label["stance"],
                        "tone": label["tone"],
                    }
                )
            else:
                documents.append(
                    {
                        "document": unit["document"],
                        "genre": spec["genre"],
                        "region": spec["country"],
                        "topic": spec["event"],
                        "stance": label["stance"],
                        "tone": label["tone"],
                        "note": label.get("note", ""),
                    }
                )
        kept = {p["document"] for p in paragraphs}
        documents = [d for d in documents if d["document"] in kept]
        write_csv(
            FOLDER / f"{batch}-documents.csv",
            documents,
            ["document", "genre", "region", "topic", "stance", "tone", "note"],
        )
        write_csv(
            FOLDER / f"{batch}-paragraphs.csv",
            paragraphs,
            ["document", "paragraph", "text", "stance", "tone"],
        )
        print(f"{batch}: {len(paragraphs)} paragraphs, {len(documents)} documents")


if __name__ == "__main__":
    {"sheet": sheet, "build": build}[sys.argv[1]]()
