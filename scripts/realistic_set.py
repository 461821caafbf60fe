"""Build the blind realistic training documents (data/realistic/README.md).

python scripts/realistic_set.py sheet   # raw/*.txt -> coding/sheet-<batch>.csv
python scripts/realistic_set.py build   # coding/coder_<batch>.csv -> <batch>-*.csv
python scripts/realistic_set.py agree   # coder_<b> vs second_<b> -> agreement.md
"""

import csv
import sys
from pathlib import Path

from framing.evaluation.metrics import cohen_kappa
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


def agree() -> None:
    """Cohen's kappa between a batch's coder and an independent second coder of
    the same sheet (coding/second_<batch>.csv), where there is one."""
    lines = [
        "# Realistic set: agreement of the training labels",
        "",
        "Generated by `python scripts/realistic_set.py agree`. The training batches",
        "are single-coded; a second coder labelled whole batches independently, from",
        "the same brief, to measure how reproducible the training labels are. Units",
        "either coder marked as junk are left out.",
        "",
        "| batch | units | label | n | raw agreement | Cohen's kappa |",
        "|---|---|---|---|---|---|",
    ]
    for batch in batches():
        second = FOLDER / "coding" / f"second_{batch}.csv"
        if not second.exists():
            continue
        first = {
            r["unit"]: r for r in read_csv(FOLDER / "coding" / f"coder_{batch}.csv")
        }
        other = {r["unit"]: r for r in read_csv(second)}
        units = read_csv(FOLDER / "coding" / f"sheet-{batch}.csv")
        for kind in ("paragraph", "document"):
            chosen = [
                u["unit"]
                for u in units
                if u["kind"] == kind
                and u["unit"] in first
                and u["unit"] in other
                and JUNK not in (first[u["unit"]]["stance"], other[u["unit"]]["stance"])
            ]
            for column in ("stance", "tone"):
                a = [first[u][column] for u in chosen]
                b = [other[u][column] for u in chosen]
                raw = sum(x == y for x, y in zip(a, b)) / len(a)
                lines.append(
                    f"| {batch} | {kind}s | {column} | {len(a)} | {raw:.2f} | "
                    f"{cohen_kappa(a, b):.2f} |"
                )
    (FOLDER / "agreement.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    {"sheet": sheet, "build": build, "agree": agree}[sys.argv[1]]()
