"""The label sets fixed by the codebook (data/CODEBOOK.md)."""

LABEL_COLUMNS = ("stance", "tone")

CODEBOOK_LABELS = {
    "stance": ("abolitionist", "reformist", "institutional"),
    "tone": ("hostile", "critical", "neutral", "supportive"),
}

# Rows from this source are written by the project to widen coverage; they are only
# ever training data, never evaluated on (see docs/evaluation in the README).
TRAINING_ONLY_SOURCE = "authored"
# Paragraphs of labelled documents: written by the project as whole documents
# ("document"), or written blind like the dev set and coded by the codebook
# ("realistic"). Training data too.
DOCUMENT_SOURCES = ("document", "realistic")
TRAINING_ONLY_SOURCES = (TRAINING_ONLY_SOURCE, *DOCUMENT_SOURCES)
# Rows of running text (real articles, and documents written as wholes): their
# label mix is that of text, not of the balanced authored paragraphs, so the
# choices made by cross-validation are scored on them when there are any.
RUNNING_TEXT_SOURCES = ("seed", *DOCUMENT_SOURCES)
