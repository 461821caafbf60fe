"""Dense feature families: a few columns per paragraph beside the TF-IDF n-grams.

Each family is computed from the token stream (ids, and which tokens a negation
governs) and, for punctuation, from the text itself; each value lies in [0, 1]
or [-1, 1], on the scale of the TF-IDF values it sits beside.

- sentiment: the VADER lexicon's valence with VADER's own rules, vectorised over
  the token stream instead of run word by word in Python: boosters ("very",
  "barely") within three words before scale a word, a negation flips it (x -0.74),
  words before "but" count half and after it one and a half, and exclamation marks
  amplify the sum; compound = s / sqrt(s^2 + 15), as VADER normalises.
- voice: who is speaking. Quote share, short "scare" quotes, attribution verbs,
  first-person plural beside police words (a force speaking for itself), question
  and exclamation marks, words in capitals.
- markers: the codebook's explicit abolition markers (disband, defund, abolish,
  dismantle, "ruling class", reforms as PR, ...) when no negation governs them.
"""

import re
from dataclasses import dataclass

import numpy as np

from framing.model.tokens import TokenStream, true_runs

# VADER's constants (Hutto and Gilbert, 2014).
NEGATION_SCALAR = -0.74
BUT_BEFORE, BUT_AFTER = 0.5, 1.5
EXCLAMATION_STEP, MAX_EXCLAMATIONS = 0.292, 4
NORMALISER = 15.0
BOOSTER_DISTANCE_SCALE = (1.0, 0.95, 0.9)

ATTRIBUTION_WORDS = frozenset(
    "said says say told tells according claimed claims insisted insists warned warns "
    "added adds argued argues stated states announced announces vowed vows pledged "
    "pledges admitted admits denied denies alleged alleges wrote writes tweeted "
    "posted explained explains acknowledged acknowledges spokesperson spokeswoman "
    "spokesman statement".split()
)
FIRST_PERSON_PLURAL = frozenset("we our ours ourselves".split())
POLICE_WORDS = frozenset(
    "police policing force forces officer officers constable constables "
    "constabulary department departments cops cop service sheriff sheriffs deputies "
    "met garda gardaí rcmp".split()
)
ABOLITION_WORDS = frozenset(
    "abolish abolished abolishing abolition abolitionist abolitionists defund "
    "defunded defunding disband disbanded disbanding dismantle dismantled "
    "dismantling smash smashed overthrow overthrown irredeemable unsalvageable "
    "unreformable".split()
)
ABOLITION_PAIRS = (
    ("ruling", "class"),
    ("capitalist", "state"),
    ("class", "oppression"),
    ("state", "violence"),
    ("pr", "stunt"),
    ("pr", "exercise"),
    ("pr", "campaign"),
    ("public", "relations"),
    ("police", "free"),
    ("cops", "out"),
    ("beyond", "reform"),
    ("empty", "promises"),
    ("working", "class"),
)
FAMILY_WORDS = (
    (ATTRIBUTION_WORDS | FIRST_PERSON_PLURAL | POLICE_WORDS | ABOLITION_WORDS)
    | {w for pair in ABOLITION_PAIRS for w in pair}
    | {"but"}
)

# A quotation never runs past the end of its paragraph (\x01 joins a batch).
_DOUBLE_QUOTED = re.compile(r"[\"“”][^\"“”\x01]{1,2000}[\"“”]")
# The quote mark comes first so that the engine can scan for it; the look-behind
# (no word character before it) is checked only where one is found.
_SINGLE_QUOTED = re.compile(r"['‘](?<!\w['‘])[^'‘’\x01]{1,2000}['’](?!\w)")

SENTIMENT_NAMES = (
    "[sentiment: compound]",
    "[sentiment: positive]",
    "[sentiment: negative]",
)
VOICE_NAMES = (
    "[voice: quote share]",
    "[voice: scare quotes]",
    "[voice: attribution]",
    "[voice: we + police]",
    "[voice: question]",
    "[voice: exclamation]",
    "[voice: capitals]",
)
MARKER_NAMES = ("[markers: abolition]", "[markers: abolition negated]")


@dataclass
class TokenProperties:
    """What each token id means to the dense families, as arrays indexed by id
    (one extra slot at the end for unknown tokens)."""

    valence: np.ndarray
    booster: np.ndarray
    attribution: np.ndarray
    we: np.ndarray
    police: np.ndarray
    marker: np.ndarray
    but_id: int
    marker_pairs: np.ndarray  # (k, 2) token ids

    @classmethod
    def for_words(
        cls, words: list[str], lexicon: dict[str, float], boosters: dict[str, float]
    ) -> "TokenProperties":
        def flags(vocabulary: frozenset) -> np.ndarray:
            return np.array([w in vocabulary for w in words] + [False])

        index = {w: i for i, w in enumerate(words)}
        pairs = [
            (index[a], index[b])
            for a, b in ABOLITION_PAIRS
            if a in index and b in index
        ]
        return cls(
            valence=np.array([lexicon.get(w, 0.0) for w in words] + [0.0]),
            booster=np.array([boosters.get(w, 0.0) for w in words] + [0.0]),
            attribution=flags(ATTRIBUTION_WORDS),
            we=flags(FIRST_PERSON_PLURAL),
            police=flags(POLICE_WORDS),
            marker=flags(ABOLITION_WORDS),
            but_id=index.get("but", -9),
            marker_pairs=np.array(pairs, dtype=np.int64).reshape(-1, 2),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "valence": self.valence,
            "booster": self.booster,
            "flags": np.column_stack(
                [self.attribution, self.we, self.police, self.marker]
            ).astype(np.uint8),
            "but": np.array([self.but_id]),
            "marker_pairs": self.marker_pairs,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "TokenProperties":
        flags = arrays["flags"].astype(bool)
        return cls(
            valence=arrays["valence"].astype(np.float64),
            booster=arrays["booster"].astype(np.float64),
            attribution=flags[:, 0],
            we=flags[:, 1],
            police=flags[:, 2],
            marker=flags[:, 3],
            but_id=int(arrays["but"][0]),
            marker_pairs=arrays["marker_pairs"].astype(np.int64).reshape(-1, 2),
        )


def _per_paragraph(values: np.ndarray, stream: TokenStream) -> np.ndarray:
    """Sum of per-token `values` within each paragraph."""
    n = len(stream.starts) - 1
    if not len(values):
        return np.zeros(n)
    return np.bincount(stream.paragraph, weights=values, minlength=n)


def _index(stream: TokenStream, size: int) -> np.ndarray:
    """Token ids as indexes into property arrays (unknown -> the last slot)."""
    return np.where(stream.ids >= 0, stream.ids, size)


def _previous(values: np.ndarray, stream: TokenStream, k: int) -> np.ndarray:
    """values[i - k] where token i - k is in the same paragraph, else 0."""
    shifted = np.zeros_like(values)
    if k < len(values):
        shifted[k:] = values[:-k]
        position = np.arange(len(values)) - np.repeat(
            stream.starts[:-1], np.diff(stream.starts)
        )
        shifted[position < k] = 0
    return shifted


def sentiment(
    stream: TokenStream, texts: list[str], props: TokenProperties
) -> np.ndarray:
    index = _index(stream, len(props.valence) - 1)
    valence = props.valence[index].copy()
    booster = props.booster[index]
    boost = sum(
        scale * _previous(booster, stream, k + 1)
        for k, scale in enumerate(BOOSTER_DISTANCE_SCALE)
    )
    valence += np.sign(valence) * boost * (valence != 0)
    if stream.negated is not None:
        valence[stream.negated] *= NEGATION_SCALAR
    # "but": the first one in a paragraph splits it.
    if len(valence):
        is_but = stream.ids == props.but_id
        n = len(stream.starts) - 1
        position = np.arange(len(valence))
        first_but = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(first_but, stream.paragraph[is_but], position[is_but])
        at = first_but[stream.paragraph]
        has_but = at < np.iinfo(np.int64).max
        valence[has_but & (position < at)] *= BUT_BEFORE
        valence[has_but & (position > at)] *= BUT_AFTER
    positive = _per_paragraph(np.clip(valence, 0, None), stream)
    negative = _per_paragraph(np.clip(valence, None, 0), stream)
    total = positive + negative
    exclamations = Punctuation(texts).count("!", MAX_EXCLAMATIONS)
    total += np.sign(total) * exclamations * EXCLAMATION_STEP
    return np.column_stack(
        [
            total / np.sqrt(total**2 + NORMALISER),
            positive / np.sqrt(positive**2 + NORMALISER),
            negative / np.sqrt(negative**2 + NORMALISER),
        ]
    )


class Punctuation:
    """Where the quotation marks, question and exclamation marks and capitalised
    words are in a batch of paragraphs, found in one pass over all of them."""

    def __init__(self, texts: list[str]):
        joined = "\x01".join(t.replace("\x01", " ") for t in texts)
        self.n = len(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        self.char_starts = np.concatenate([[0], np.cumsum(lengths + 1)])
        raw = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        self.byte_of = np.concatenate(
            [[0], np.flatnonzero(raw == 1) + 1, [len(raw) + 1]]
        )
        self.joined, self.raw = joined, raw

    def paragraph_of_byte(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.byte_of, positions, side="right") - 1

    def count(self, byte: str, cap: int) -> np.ndarray:
        at = np.flatnonzero(self.raw == ord(byte))
        return np.minimum(
            np.bincount(self.paragraph_of_byte(at), minlength=self.n), cap
        )

    def quotes(self) -> tuple[np.ndarray, np.ndarray]:
        """Per paragraph: characters inside quotation marks, and short quotes."""
        starts, lengths, short = [], [], []
        for pattern in (_DOUBLE_QUOTED, _SINGLE_QUOTED):
            for match in pattern.finditer(self.joined):
                starts.append(match.start())
                lengths.append(match.end() - match.start())
                short.append(len(match.group().split()) <= 3)
        at = np.searchsorted(self.char_starts, starts, "right") - 1
        return (
            np.bincount(at, weights=lengths, minlength=self.n)[: self.n],
            np.bincount(at, weights=short, minlength=self.n)[: self.n],
        )

    def capitals(self) -> np.ndarray:
        """Words of three or more ASCII capitals per paragraph."""
        upper = (self.raw >= 65) & (self.raw <= 90)
        word = (
            upper
            | ((self.raw >= 97) & (self.raw <= 122))
            | ((self.raw >= 48) & (self.raw <= 57))
            | (self.raw == 95)
            | (self.raw >= 128)
        )
        starts, stops = true_runs(word)
        if not len(starts):
            return np.zeros(self.n)
        caps = np.concatenate([[0], np.cumsum(upper)])
        whole = (caps[stops] - caps[starts] == stops - starts) & (stops - starts >= 3)
        return np.bincount(
            self.paragraph_of_byte(starts[whole]), minlength=self.n
        ).astype(float)


def voice(stream: TokenStream, texts: list[str], props: TokenProperties) -> np.ndarray:
    index = _index(stream, len(props.valence) - 1)
    tokens = np.maximum(np.diff(stream.starts), 1)
    attribution = _per_paragraph(props.attribution[index].astype(float), stream)
    we = _per_paragraph(props.we[index].astype(float), stream)
    police = _per_paragraph(props.police[index].astype(float), stream)
    marks = Punctuation(texts)
    inside, short = marks.quotes()
    lengths = np.maximum(np.diff(marks.char_starts) - 1, 1)
    all_capitals = np.fromiter(map(str.isupper, texts), dtype=bool, count=len(texts))
    capitals = np.where(all_capitals, 0, np.minimum(marks.capitals(), 3) / 3)
    return (
        np.column_stack(
            [
                np.minimum(inside / lengths, 1.0),
                np.minimum(short, 3) / 3,
                np.minimum(attribution, 2) / 2,
                ((we > 0) & (police > 0)).astype(float),
                marks.count("?", 2) / 2,
                marks.count("!", 2) / 2,
                capitals,
            ]
        )
        * (tokens > 0)[:, None]
    )


def markers(
    stream: TokenStream, texts: list[str], props: TokenProperties
) -> np.ndarray:
    index = _index(stream, len(props.valence) - 1)
    hit = props.marker[index].copy()
    if len(props.marker_pairs) and len(stream.ids) > 1:
        same = np.diff(stream.paragraph) == 0
        first, second = stream.ids[:-1], stream.ids[1:]
        pair = np.zeros(len(stream.ids), dtype=bool)
        for a, b in props.marker_pairs:
            pair[1:] |= (first == a) & (second == b) & same
        hit |= pair
    negated = (
        stream.negated if stream.negated is not None else np.zeros(len(hit), dtype=bool)
    )
    plain = _per_paragraph((hit & ~negated).astype(float), stream)
    denied = _per_paragraph((hit & negated).astype(float), stream)
    return np.column_stack([np.minimum(plain, 3) / 3, np.minimum(denied, 3) / 3])


FAMILIES = {
    "sentiment": (SENTIMENT_NAMES, sentiment),
    "voice": (VOICE_NAMES, voice),
    "markers": (MARKER_NAMES, markers),
}
