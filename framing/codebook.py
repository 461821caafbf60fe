"""The label sets fixed by the codebook (data/CODEBOOK.md)."""

LABEL_COLUMNS = ("stance", "tone")

CODEBOOK_LABELS = {
    "stance": ("abolitionist", "reformist", "institutional"),
    "tone": ("hostile", "critical", "neutral", "supportive"),
}

# Rows from this source are written by the project to widen coverage; they are only
# ever training data, never evaluated on (see docs/evaluation in the README).
TRAINING_ONLY_SOURCE = "authored"
