"""Text features: one set of TF-IDF vectorisers shared by every label head."""

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

_WORD = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class FeatureConfig:
    """What the vectorisers look at; stored in the model card."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = None
    stem: bool = False
    min_df: int = 2
    max_df: float = 0.9
    sublinear_tf: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "FeatureConfig":
        char = data.get("char_ngrams")
        return cls(
            word_ngrams=tuple(data["word_ngrams"]),
            char_ngrams=tuple(char) if char else None,
            stem=bool(data["stem"]),
            min_df=int(data["min_df"]),
            max_df=float(data["max_df"]),
            sublinear_tf=bool(data["sublinear_tf"]),
        )

    @property
    def name(self) -> str:
        parts = [f"word{self.word_ngrams[0]}-{self.word_ngrams[1]}"]
        if self.stem:
            parts.append("stemmed")
        if self.char_ngrams:
            parts.append(f"char{self.char_ngrams[0]}-{self.char_ngrams[1]}")
        parts.append(f"min_df{self.min_df}")
        return "+".join(parts)


@lru_cache(maxsize=1)
def _stemmer():
    # Imported on first use only: nltk costs about a second to import.
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


def stemmed_words(text: str) -> list[str]:
    """Lower-cased word tokens reduced to Snowball stems (cached per word: stemming
    each occurrence again is what makes stemming slow)."""
    return [_stem(w) for w in _WORD.findall(text.lower())]


def make_vectorizers(config: FeatureConfig) -> dict[str, TfidfVectorizer]:
    common = {
        "min_df": config.min_df,
        "max_df": config.max_df,
        "sublinear_tf": config.sublinear_tf,
        "dtype": np.float64,
    }
    if config.stem:
        word = TfidfVectorizer(
            tokenizer=stemmed_words,
            token_pattern=None,
            lowercase=False,
            ngram_range=config.word_ngrams,
            **common,
        )
    else:
        word = TfidfVectorizer(ngram_range=config.word_ngrams, **common)
    vectorizers = {"word": word}
    if config.char_ngrams:
        vectorizers["char"] = TfidfVectorizer(
            analyzer="char_wb", ngram_range=config.char_ngrams, **common
        )
    return vectorizers


def fit_transform(vectorizers: dict[str, TfidfVectorizer], texts: list[str]):
    return sp.hstack([v.fit_transform(texts) for v in vectorizers.values()]).tocsr()


def transform(vectorizers: dict[str, TfidfVectorizer], texts: list[str]):
    if len(vectorizers) == 1:
        return next(iter(vectorizers.values())).transform(texts)
    return sp.hstack([v.transform(texts) for v in vectorizers.values()]).tocsr()


def feature_names(vectorizers: dict[str, TfidfVectorizer]) -> list[str]:
    names = []
    for kind, vectorizer in vectorizers.items():
        terms = vectorizer.get_feature_names_out().tolist()
        names.extend(terms if kind == "word" else [f"[{t}]" for t in terms])
    return names
