"""What the dev set's and the realistic set's coding procedures share: CSV files
read and written plainly, and the coding sheet of a set of raw documents (one
unit per paragraph that framing's splitter keeps, then one per whole document).
"""

import csv
from pathlib import Path

from framing.text.read import read_text
from framing.text.segment import split_paragraphs

JUNK = "junk"
SHEET_COLUMNS = ["unit", "kind", "document", "paragraph", "text"]


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def sheet_units(raw: Path, documents: list[str]) -> tuple[list[dict], list[dict]]:
    """(paragraph units, document units) of the documents in `raw` (<doc>.txt);
    documents without a file are left out."""
    paragraphs, wholes = [], []
    for doc in documents:
        path = raw / f"{doc}.txt"
        if not path.exists():
            continue
        text, _warning = read_text(path)
        for index, paragraph in enumerate(split_paragraphs(text)):
            paragraphs.append(
                {
                    "unit": f"{doc}-p{index:02d}",
                    "kind": "paragraph",
                    "document": doc,
                    "paragraph": index,
                    "text": paragraph,
                }
            )
        wholes.append(
            {
                "unit": f"{doc}-doc",
                "kind": "document",
                "document": doc,
                "paragraph": "",
                "text": f"(the whole of raw/{doc}.txt)",
            }
        )
    return paragraphs, wholes
