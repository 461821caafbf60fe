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
    lexicon: bool = False

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
            lexicon=bool(data.get("lexicon", False)),
        )

    @property
    def cost(self) -> int:
        """Relative cost at prediction time: stemming imports nltk (about a second
        per start) and stems every word; character n-grams make scoring ~9x
        slower. The lexicon is one sparse product, so it costs nothing extra."""
        return int(self.stem) + 2 * int(bool(self.char_ngrams))

    @property
    def name(self) -> str:
        parts = [f"word{self.word_ngrams[0]}-{self.word_ngrams[1]}"]
        if self.stem:
            parts.append("stemmed")
        if self.char_ngrams:
            parts.append(f"char{self.char_ngrams[0]}-{self.char_ngrams[1]}")
        if self.lexicon:
            parts.append("lexicon")
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


# The lexicon scores are three columns beside thousands of TF-IDF ones; this
# weight (chosen by grouped cross-validation, 0.5-2 all within 0.02 macro-F1)
# lets the regularised classifier use them.
LEXICON_WEIGHT = 2.0
LEXICON_NAMES = ("[lexicon: net]", "[lexicon: positive]", "[lexicon: negative]")


@lru_cache(maxsize=1)
def sentiment_lexicon() -> dict[str, float]:
    """Word -> valence (-4..4) from the VADER lexicon shipped in vaderSentiment;
    single alphabetic words only (no emoticons)."""
    from importlib.resources import files

    text = (
        files("vaderSentiment")
        .joinpath("vader_lexicon.txt")
        .read_text(encoding="utf-8", errors="replace")
    )
    lexicon = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0].isalpha() and len(fields[0]) > 1:
            lexicon[fields[0].lower()] = float(fields[1])
    return lexicon


class Features:
    """The vectorisers of a FeatureConfig, plus, with `lexicon`, three sentiment
    columns computed from the word TF-IDF matrix itself (no second pass over the
    text): the lexicon's words are added to the word vocabulary, so words never
    seen in training still carry their valence."""

    def __init__(self, config: FeatureConfig):
        self.config = config
        self.vectorizers = make_vectorizers(config)
        self.valence: np.ndarray | None = None
        self._names: list[str] | None = None

    def fit_transform(self, texts: list[str]):
        for vectorizer in self.vectorizers.values():
            vectorizer.fit(texts)
        if self.config.lexicon:
            self._add_lexicon()
        self._names = None
        return self.transform(texts)

    def _add_lexicon(self) -> None:
        word = self.vectorizers["word"]
        vocabulary = dict(word.vocabulary_)
        idf = word.idf_.tolist()
        rarest = max(idf)
        by_term: dict[str, list[float]] = {}
        for entry, value in sentiment_lexicon().items():
            terms = stemmed_words(entry) if self.config.stem else [entry]
            if len(terms) == 1:
                by_term.setdefault(terms[0], []).append(value)
        valence = np.zeros(len(vocabulary) + len(by_term))
        for term in sorted(by_term):
            if term not in vocabulary:
                vocabulary[term] = len(vocabulary)
                idf.append(rarest)  # as rare as anything seen: it was not seen
            valence[vocabulary[term]] = float(np.mean(by_term[term]))
        self.set_word_state(vocabulary, np.asarray(idf))
        self.valence = valence[: len(vocabulary)]

    def set_word_state(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        """Install a fitted word vocabulary (a fresh vectoriser: scikit-learn
        checks the width it was fitted with)."""
        word = make_vectorizers(self.config)["word"]
        word.vocabulary_ = vocabulary
        word.idf_ = idf
        self.vectorizers["word"] = word

    def transform(self, texts: list[str]):
        parts = [v.transform(texts) for v in self.vectorizers.values()]
        if self.valence is not None:
            word = parts[0]
            positive = word @ np.clip(self.valence, 0, None)
            negative = word @ np.clip(self.valence, None, 0)
            scores = np.column_stack([positive + negative, positive, negative])
            parts.append(sp.csr_matrix(scores * LEXICON_WEIGHT))
        if len(parts) == 1:
            return parts[0]
        return sp.hstack(parts).tocsr()

    def names(self) -> list[str]:
        if self._names is None:
            names = []
            for kind, vectorizer in self.vectorizers.items():
                terms = vectorizer.get_feature_names_out().tolist()
                names.extend(terms if kind == "word" else [f"[{t}]" for t in terms])
            if self.valence is not None:
                names.extend(LEXICON_NAMES)
            self._names = names
        return self._names
