"""Write data/realistic/specs.csv: genre, outlet, country, event and rough length
for each document of the blind realistic training set (same form as the dev
set's specs, different events). Deterministic."""

import csv
import random
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "data" / "realistic"
# (genre, kind of outlet or speaker, paragraphs, weight): roughly how often each
# appears in news about the police.
GENRES = [
    ("wire report", "national news agency", 5, 14),
    ("news report", "broadsheet", 6, 14),
    ("news report", "tabloid", 5, 8),
    ("news report", "local newspaper", 5, 9),
    ("news report", "online news site", 5, 5),
    ("radio or television transcript", "broadcaster", 5, 3),
    ("opinion column", "left-leaning paper", 7, 4),
    ("opinion column", "right-leaning paper", 7, 4),
    ("opinion column", "liberal or centrist paper", 7, 4),
    ("opinion column", "radical or revolutionary paper", 6, 2),
    ("editorial", "newspaper", 5, 4),
    ("letter to the editor", "newspaper", 2, 3),
    ("blog post", "personal or professional blog", 5, 3),
    ("social media post or thread", "an individual, group or official account", 2, 6),
    ("statement", "a campaign group, charity or community group", 4, 4),
    ("statement", "the police force, chief or sheriff", 4, 3),
    ("statement", "a police union or federation", 3, 2),
    ("statement", "a minister or government department", 3, 2),
    ("council meeting report or speech", "local government", 5, 2),
    ("research or report summary", "a think tank, university or NGO", 5, 2),
    ("newsletter or magazine feature", "a magazine or newsletter", 6, 2),
]


# The fourth round (RJ, RK) draws only argument: opinion, statements, posts and
# letters from every side, where news about the police argues about it. The
# first three rounds are two-thirds news reports, whose paragraphs mostly relay;
# the boundary between calls for reform and calls for abolition, and between
# criticism and hostility, is drawn in argument.
ARGUMENT_BATCHES = ("RJ", "RK")
ARGUMENT_GENRES = [
    genre for genre in GENRES if not genre[0].endswith(("report", "transcript"))
]


def main(
    documents_per_batch: int = 100,
    batches: str = "RA RB RC RD RE RF RG RH RI RJ RK",
) -> None:
    """Batches are drawn in order from one seeded generator: adding a batch at the
    end leaves the earlier batches' specs unchanged."""
    rng = random.Random(2026)
    events = [
        line.split("|", 1)
        for line in (FOLDER / "events.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = []
    for batch in batches.split():
        genres = ARGUMENT_GENRES if batch in ARGUMENT_BATCHES else GENRES
        weights = [g[3] for g in genres]
        order = events[:]
        rng.shuffle(order)
        for n in range(documents_per_batch):
            country, event = order[n % len(order)]
            genre, outlet, paragraphs, _w = rng.choices(genres, weights)[0]
            rows.append(
                {
                    "doc": f"{batch}{n + 1:03d}",
                    "genre": genre,
                    "outlet": outlet,
                    "country": country,
                    "event": event,
                    "paragraphs": max(1, paragraphs + rng.choice((-1, 0, 0, 1, 2))),
                }
            )
    with open(FOLDER / "specs.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} specs -> {FOLDER / 'specs.csv'}")


if __name__ == "__main__":
    main()
