"""Build a synthetic news corpus from the dataset's paragraphs.

The dataset alone has a small vocabulary; real archives keep meeting new names,
places and words. So each article mixes dataset paragraphs, and a share of their
words is swapped for invented ones drawn from a Zipf-like distribution over a large
pseudo-vocabulary, which makes the vocabulary grow with the corpus as news does.
"""

import csv
import itertools
import random
from pathlib import Path

SYLLABLES = [
    "ba",
    "ker",
    "lin",
    "mo",
    "ra",
    "ton",
    "vi",
    "shaw",
    "el",
    "dun",
    "ham",
    "cot",
    "ri",
    "sa",
    "wen",
    "ford",
    "ley",
    "mar",
    "ol",
    "pen",
    "qui",
    "st",
    "tra",
    "ul",
]


def pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def build_corpus(
    data: Path, out: Path, *, files: int, words: int = 600, seed: int = 0
) -> int:
    """Write `files` articles of about `words` words into `out`; returns bytes."""
    rng = random.Random(seed)
    with open(data, encoding="utf-8-sig") as handle:
        paragraphs = [row["text"] for row in csv.DictReader(handle)]
    vocabulary = [pseudo_word(rng) for _ in range(200_000)]
    cumulative = list(itertools.accumulate(1 / (rank + 10) for rank in range(200_000)))
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(files):
        body, count = [], 0
        while count < words:
            tokens = rng.choice(paragraphs).split()
            swaps = rng.choices(vocabulary, cum_weights=cumulative, k=len(tokens) // 8)
            for swap in swaps:
                tokens[rng.randrange(len(tokens))] = swap.capitalize()
            body.append(" ".join(tokens))
            count += len(tokens)
        text = "\n\n".join(body) + "\n"
        sub = out / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total
