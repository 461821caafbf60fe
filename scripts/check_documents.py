"""Check one batch of authored documents against the brief in data/documents/README.md.

Standard library only:
    python3 scripts/check_documents.py data/documents/DA
reads DA-documents.csv and DA-paragraphs.csv, prints counts and what is off, and
exits 1 if a hard rule is broken.
"""

import csv
import sys
from collections import Counter, defaultdict

STANCES = ("abolitionist", "reformist", "institutional")
TONES = ("hostile", "critical", "neutral", "supportive")


def read(path: str) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def majority(labels: list[str]) -> set[str]:
    counts = Counter(labels)
    top = max(counts.values())
    return {label for label, n in counts.items() if n == top}


def main(prefix: str) -> int:
    documents = read(f"{prefix}-documents.csv")
    paragraphs = read(f"{prefix}-paragraphs.csv")
    hard = []
    by_doc = defaultdict(list)
    for n, row in enumerate(paragraphs, start=2):
        by_doc[row["document"]].append(row)
        if row["stance"] not in STANCES or row["tone"] not in TONES:
            hard.append(f"paragraphs row {n}: bad label {row['stance']}/{row['tone']}")
        if not row["text"].strip():
            hard.append(f"paragraphs row {n}: empty text")
    ids = [d["document"] for d in documents]
    if len(ids) != len(set(ids)):
        hard.append("duplicate document ids")
    stance_differs = tone_differs = 0
    sizes = []
    for doc in documents:
        rows = by_doc.get(doc["document"], [])
        sizes.append(len(rows))
        if doc["stance"] not in STANCES or doc["tone"] not in TONES:
            hard.append(f"document {doc['document']}: bad label")
        if not 3 <= len(rows) <= 10:
            hard.append(f"document {doc['document']}: {len(rows)} paragraphs")
        order = [int(r["paragraph"]) for r in rows]
        if order != list(range(len(rows))):
            hard.append(f"document {doc['document']}: paragraphs not numbered 0..n-1")
        if rows and doc["stance"] not in majority([r["stance"] for r in rows]):
            stance_differs += 1
        if rows and doc["tone"] not in majority([r["tone"] for r in rows]):
            tone_differs += 1
    orphans = set(by_doc) - set(ids)
    if orphans:
        hard.append(f"paragraphs of unknown documents: {sorted(orphans)[:5]}")
    n = max(len(documents), 1)
    print(f"{len(documents)} documents, {len(paragraphs)} paragraphs")
    print(
        f"paragraphs per document: min {min(sizes, default=0)}, "
        f"max {max(sizes, default=0)}, mean {sum(sizes) / n:.1f}"
    )
    print(
        f"document stance differs from paragraph majority: {stance_differs} "
        f"({stance_differs / n:.0%}, at least 45%)"
    )
    print(
        f"document tone differs from paragraph majority: {tone_differs} "
        f"({tone_differs / n:.0%}, at least 25%)"
    )
    print("document stances:", dict(Counter(d["stance"] for d in documents)))
    print("document tones:", dict(Counter(d["tone"] for d in documents)))
    print("regions:", dict(Counter(d["region"] for d in documents)))
    print("genres:", dict(Counter(d["genre"] for d in documents)))
    if stance_differs / n < 0.45:
        print("warning: too few documents whose stance differs from the majority")
    if tone_differs / n < 0.25:
        print("warning: too few documents whose tone differs from the majority")
    for line in hard:
        print(f"ERROR: {line}")
    return 1 if hard else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
