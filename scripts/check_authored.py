"""Check a batch of authored v2 paragraphs against data/authored/README.md's brief.

Standard library only, so a writer can run it anywhere:
    python3 scripts/check_authored.py data/authored/v2-A.csv
Prints what is off (cell counts, topic and register balance, pairs, lengths,
near-copies, signature words) and exits 1 if a hard rule is broken.
"""

import csv
import re
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

TOPICS = Path(__file__).resolve().parents[1] / "data" / "authored" / "v2-topics.csv"
COLUMNS = ("text", "stance", "tone", "register", "topic", "region", "pair", "contrast")
STANCES = ("abolitionist", "reformist", "institutional")
TONES = ("hostile", "critical", "neutral", "supportive")
TARGETS = {
    ("abolitionist", "hostile"): 80,
    ("abolitionist", "critical"): 85,
    ("abolitionist", "neutral"): 62,
    ("reformist", "hostile"): 50,
    ("reformist", "critical"): 80,
    ("reformist", "neutral"): 52,
    ("reformist", "supportive"): 45,
    ("institutional", "hostile"): 45,
    ("institutional", "critical"): 55,
    ("institutional", "neutral"): 65,
    ("institutional", "supportive"): 62,
}
OPEN_REGISTERS = {
    "wire_report", "broadsheet_news", "tabloid_news", "local_news",
    "broadcast_transcript", "column", "editorial", "letter_to_editor", "blog_post",
    "social_media_post", "campaign_group_statement", "council_member",
    "legislator_speech", "academic_summary", "think_tank_brief", "community_meeting",
    "interview_qa", "headline", "newsletter", "podcast_transcript", "faith_leader",
    "trade_union_statement", "student_paper",
    # Genres that 0.1's registers map onto (framing/dataset/registers.py).
    "party_paper", "magazine_feature", "online_news", "official_report",
}  # fmt: skip
BOUND_REGISTERS = {
    "police_force_statement", "police_chief_remarks", "police_union_statement",
    "minister_statement",
}  # fmt: skip
CONTRASTS = {"negation", "opponent_word", "invective", "voice", "marker", "sarcasm"}
WORD = re.compile(r"[a-z][a-z'’-]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def main(path: str) -> int:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        rows = list(reader)
    hard, soft = [], []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        print(f"missing columns: {missing}")
        return 1
    batch = Path(path).stem.split("-", 1)[-1]
    with open(TOPICS, encoding="utf-8") as handle:
        topics = {r["topic"]: r for r in csv.DictReader(handle) if r["batch"] == batch}
    for n, row in enumerate(rows, start=2):
        where = f"row {n}"
        if row["stance"] not in STANCES or row["tone"] not in TONES:
            hard.append(f"{where}: bad label {row['stance']}/{row['tone']}")
        if (row["stance"], row["tone"]) == ("abolitionist", "supportive"):
            hard.append(f"{where}: abolitionist/supportive is not written")
        if row["register"] not in OPEN_REGISTERS | BOUND_REGISTERS:
            hard.append(f"{where}: unknown register {row['register']!r}")
        if topics and row["topic"] not in topics:
            hard.append(f"{where}: topic {row['topic']!r} is not in batch {batch}")
        if not row["text"].strip():
            hard.append(f"{where}: empty text")
        if row["register"] in BOUND_REGISTERS and row["stance"] != "institutional":
            hard.append(f"{where}: {row['register']} in own voice is institutional")
    print(f"{len(rows)} rows in {path}")

    cells = Counter((r["stance"], r["tone"]) for r in rows)
    print("\nstance x tone (target):")
    for cell, target in TARGETS.items():
        flag = "" if abs(cells[cell] - target) <= 5 else "  <-- off target"
        print(f"  {cell[0]:13} {cell[1]:10} {cells[cell]:4} ({target}){flag}")

    print("\nper topic, stance counts (abolitionist/reformist/institutional):")
    by_topic = defaultdict(Counter)
    for r in rows:
        by_topic[r["topic"]][r["stance"]] += 1
    for topic in sorted(set(topics) | set(by_topic)):
        counts = [by_topic[topic][s] for s in STANCES]
        flag = "  <-- unbalanced" if max(counts) - min(counts) > 2 else ""
        print(f"  {topic:32} {counts}{flag}")
        if min(counts) == 0:
            hard.append(f"topic {topic} lacks a stance: {counts}")

    by_register = defaultdict(Counter)
    for r in rows:
        by_register[r["register"]][r["stance"]] += 1
    bound = sum(sum(c.values()) for g, c in by_register.items() if g in BOUND_REGISTERS)
    print(
        f"\nbound registers: {bound} rows ({bound / max(len(rows), 1):.0%}, keep < 8%)"
    )
    print("open registers, stance shares (a register must not predict stance):")
    for register in sorted(by_register):
        if register in BOUND_REGISTERS:
            continue
        c = by_register[register]
        total = sum(c.values())
        shares = [c[s] / total for s in STANCES]
        flag = (
            "  <-- leans"
            if total >= 9 and max(abs(s - 1 / 3) for s in shares) > 0.1
            else ""
        )
        print(
            f"  {register:26} n={total:3} "
            + " ".join(f"{s:.2f}" for s in shares)
            + flag
        )

    pairs = defaultdict(list)
    for n, r in enumerate(rows, start=2):
        if r["pair"].strip():
            pairs[r["pair"].strip()].append((n, r))
    kinds = Counter()
    for pair, members in pairs.items():
        if len(members) != 2:
            hard.append(f"pair {pair} has {len(members)} rows, not 2")
            continue
        (_, a), (_, b) = members
        flips = sum(a[c] != b[c] for c in ("stance", "tone"))
        if flips != 1:
            hard.append(f"pair {pair}: {flips} labels differ, exactly 1 must")
        if a["topic"] != b["topic"] or a["register"] != b["register"]:
            soft.append(f"pair {pair}: twins differ in topic or register")
        kind = a["contrast"] or b["contrast"]
        if kind not in CONTRASTS:
            hard.append(
                f"pair {pair}: contrast {kind!r} is not one of {sorted(CONTRASTS)}"
            )
        kinds[kind] += 1
    print(f"\npairs: {len(pairs)} (at least 130); by kind: {dict(kinds)}")
    for kind in CONTRASTS:
        if kinds[kind] < 15:
            soft.append(f"contrast {kind}: {kinds[kind]} pairs, at least 15 wanted")

    lengths = [len(r["text"].split()) for r in rows]
    short = sum(12 <= n <= 40 for n in lengths) / max(len(rows), 1)
    print(
        f"\nrows of 12-40 words: {short:.0%} (at least 40%); "
        f"longest {max(lengths, default=0)}"
    )
    if short < 0.4:
        soft.append(f"only {short:.0%} of rows have 12-40 words")

    shingles = [set(zip(w, w[1:], w[2:])) for w in (words(r["text"]) for r in rows)]
    paired = {r["pair"] for r in rows if r["pair"]}
    near = []
    for i, j in combinations(range(len(rows)), 2):
        if (
            rows[i]["pair"]
            and rows[i]["pair"] == rows[j]["pair"]
            and rows[i]["pair"] in paired
        ):
            continue
        a, b = shingles[i], shingles[j]
        if a and b and len(a & b) / len(a | b) >= 0.5:
            near.append((i + 2, j + 2))
    print(f"near-copies outside declared pairs: {len(near)} {near[:10]}")
    if near:
        hard.append(f"{len(near)} near-copies outside pairs, e.g. rows {near[0]}")

    print("\nsignature words (in-class share of the most class-typical word):")
    for column, labels in (("stance", STANCES), ("tone", TONES)):
        vocab = [set(words(r["text"])) for r in rows]
        for label in labels:
            inside = [v for v, r in zip(vocab, rows) if r[column] == label]
            outside = [v for v, r in zip(vocab, rows) if r[column] != label]
            if not inside or not outside:
                continue
            rate_in = Counter(w for v in inside for w in v)
            rate_out = Counter(w for v in outside for w in v)
            typical = [
                (rate_in[w] / len(inside), w)
                for w in rate_in
                if rate_in[w] / len(inside) > 3 * (rate_out[w] + 1) / len(outside)
            ]
            share, word = max(typical, default=(0.0, "-"))
            flag = "  <-- too typical" if share > 1 / 3 else ""
            print(f"  {column} {label:13} {word!r:18} {share:.2f}{flag}")

    for line in soft:
        print(f"warning: {line}")
    for line in hard:
        print(f"ERROR: {line}")
    return 1 if hard else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
