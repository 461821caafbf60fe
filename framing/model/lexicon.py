"""The VADER sentiment lexicon and booster words, read from the vaderSentiment
package at training time only (a model stores the valences it needs)."""

from functools import lru_cache


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """Word -> valence (-4..4); single alphabetic words only (no emoticons)."""
    from importlib.resources import files

    text = files("vaderSentiment").joinpath("vader_lexicon.txt").read_bytes()
    valences = {}
    for line in text.decode("utf-8", "replace").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0].isalpha() and len(fields[0]) > 1:
            valences[fields[0].lower()] = float(fields[1])
    return valences


@lru_cache(maxsize=1)
def boosters() -> dict[str, float]:
    """Single-word intensifiers (+0.293) and dampeners (-0.293)."""
    from vaderSentiment.vaderSentiment import BOOSTER_DICT

    return {w: float(v) for w, v in BOOSTER_DICT.items() if " " not in w}
