"""Our own feature extractor: TF-IDF word n-grams plus dense feature families, the
same code for training and for prediction, in numpy alone.

For the plain configuration (word 1-2 grams, no negation marks, no dense
families) the TF-IDF part equals scikit-learn's
`TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.9, sublinear_tf=True)`
(tests/test_extractor.py compares them), several times faster: token ids come
from a dictionary lookup, bigram ids from integer arithmetic and a hash table,
and counting, sublinear tf, idf and l2 normalisation are numpy operations over a
whole batch of paragraphs.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np

from framing.errors import DataError
from framing.model import dense
from framing.model.bigrams import BigramTable
from framing.model.tokens import (
    NEGATED,
    NEGATION_CUES,
    NEGATION_PAIRS,
    TokenIds,
    tokens,
)

FAMILIES = ("negation", "sentiment", "voice", "markers")


@dataclass(frozen=True)
class FeatureConfig:
    """What the extractor computes; stored in the model card."""

    word_ngrams: tuple[int, int] = (1, 2)
    min_df: int = 2
    max_df: float = 0.9
    sublinear_tf: bool = True
    negation: bool = False
    sentiment: bool = False
    voice: bool = False
    markers: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "FeatureConfig":
        ngrams = tuple(int(n) for n in data["word_ngrams"])
        if len(ngrams) != 2 or not 1 <= ngrams[0] <= ngrams[1] <= 2:
            raise ValueError(f"word_ngrams {ngrams} is not supported")
        return cls(
            word_ngrams=(ngrams[0], ngrams[1]),
            min_df=int(data["min_df"]),
            max_df=float(data["max_df"]),
            sublinear_tf=bool(data["sublinear_tf"]),
            **{family: bool(data.get(family, False)) for family in FAMILIES},
        )

    @property
    def families(self) -> tuple[str, ...]:
        """The feature families switched on, in a fixed order."""
        return tuple(f for f in FAMILIES if getattr(self, f))

    @property
    def name(self) -> str:
        parts = [f"word{self.word_ngrams[0]}-{self.word_ngrams[1]}"]
        return "+".join(parts + list(self.families) + [f"min_df{self.min_df}"])


@dataclass
class FeatureRows:
    """Features of a batch of paragraphs: a CSR matrix of TF-IDF values (as its
    three arrays, so no scipy is needed) and a dense block of family columns."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int
    dense: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def to_scipy(self):
        """One scipy CSR matrix (training only: prediction never imports scipy)."""
        import scipy.sparse as sp

        tfidf = sp.csr_matrix(
            (self.data, self.indices, self.indptr), shape=(self.rows, self.width)
        )
        if not self.dense.shape[1]:
            return tfidf
        return sp.hstack([tfidf, sp.csr_matrix(self.dense)], format="csr")

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of row i, dense columns after the n-grams."""
        start, stop = self.indptr[i], self.indptr[i + 1]
        nonzero = np.flatnonzero(self.dense[i])
        return (
            np.concatenate([self.indices[start:stop], self.width + nonzero]),
            np.concatenate([self.data[start:stop], self.dense[i, nonzero]]),
        )


@dataclass
class FeatureExtractor:
    """A fitted extractor. `terms` are the n-gram columns in scikit-learn's order
    (sorted), `words` the token dictionary (every word an n-gram or a dense
    family needs)."""

    config: FeatureConfig
    terms: list[str]
    idf: np.ndarray
    words: list[str]
    unigram: np.ndarray  # word id -> column, -1 if the word is no unigram column
    bigram_keys: np.ndarray  # sorted first_id * len(words) + second_id
    bigram_columns: np.ndarray
    properties: dense.TokenProperties
    _token_ids: TokenIds | None = field(default=None, repr=False)
    _bigrams: BigramTable | None = field(default=None, repr=False)

    @property
    def token_ids(self) -> TokenIds:
        if self._token_ids is None:
            self._token_ids = TokenIds(self.words, negation=self.config.negation)
        return self._token_ids

    @property
    def bigrams(self) -> BigramTable:
        if self._bigrams is None:
            self._bigrams = BigramTable(self.bigram_keys, self.bigram_columns)
        return self._bigrams

    @property
    def dense_names(self) -> list[str]:
        return [n for f in self.config.families if f in dense.FAMILIES
                for n in dense.FAMILIES[f][0]]  # fmt: skip

    @property
    def width(self) -> int:
        return len(self.terms) + len(self.dense_names)

    def names(self) -> list[str]:
        return self.terms + self.dense_names

    @classmethod
    def fit(
        cls,
        texts: list[str],
        config: FeatureConfig,
        lexicon: dict[str, float] | None = None,
        boosters: dict[str, float] | None = None,
    ) -> "FeatureExtractor":
        """Learn the n-gram vocabulary and idf from `texts` (as scikit-learn's
        TfidfVectorizer does), and the token dictionary the features need."""
        documents = [tokens(t, negation=config.negation) for t in texts]
        low, high = config.word_ngrams
        frequency: Counter = Counter()
        for words in documents:
            grams = set(words) if low == 1 else set()
            if high == 2:
                grams.update(f"{a} {b}" for a, b in zip(words, words[1:]))
            frequency.update(grams)
        most = (
            config.max_df * len(texts)
            if isinstance(config.max_df, float)
            else (config.max_df)
        )
        terms = sorted(t for t, df in frequency.items() if config.min_df <= df <= most)
        if not terms:
            raise DataError(
                "no features left: every word is rarer than min_df or commoner "
                "than max_df; add more (or longer) paragraphs"
            )
        df = np.array([frequency[t] for t in terms], dtype=np.float64)
        idf = np.log((1 + len(texts)) / (1 + df)) + 1
        lexicon = lexicon or {}
        boosters = boosters or {}
        return cls.from_terms(config, terms, idf, lexicon, boosters)

    @classmethod
    def from_terms(cls, config, terms, idf, lexicon, boosters) -> "FeatureExtractor":
        needed = {w for t in terms for w in t.split(" ")}
        needed |= {w[len(NEGATED) :] for w in needed if w.startswith(NEGATED)}
        if config.negation:
            needed |= NEGATION_CUES | {w for pair in NEGATION_PAIRS for w in pair}
        if config.sentiment:
            needed |= set(lexicon) | set(boosters)
        if config.voice or config.markers or config.sentiment:
            needed |= dense.FAMILY_WORDS
        words = sorted(needed)
        index = {w: i for i, w in enumerate(words)}
        unigram = np.full(len(words) + 1, -1, dtype=np.int64)
        keys, columns = [], []
        for column, term in enumerate(terms):
            parts = term.split(" ")
            if len(parts) == 1:
                unigram[index[term]] = column
            else:
                keys.append(index[parts[0]] * len(words) + index[parts[1]])
                columns.append(column)
        order = np.argsort(keys, kind="stable")
        return cls(
            config=config,
            terms=list(terms),
            idf=np.asarray(idf, dtype=np.float64),
            words=words,
            unigram=unigram,
            bigram_keys=np.asarray(keys, dtype=np.int64)[order],
            bigram_columns=np.asarray(columns, dtype=np.int64)[order],
            properties=dense.TokenProperties.for_words(words, lexicon, boosters),
        )

    def transform(self, texts: list[str]) -> FeatureRows:
        stream = self.token_ids.stream(texts)
        n = len(texts)
        indptr, indices, values = self._tfidf(stream, n)
        blocks = [
            dense.FAMILIES[f][1](stream, texts, self.properties)
            for f in self.config.families
            if f in dense.FAMILIES
        ]
        dense_block = np.hstack(blocks) if blocks else np.zeros((n, 0))
        return FeatureRows(indptr, indices, values, len(self.terms), dense_block)

    def _tfidf(self, stream, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ids = self.token_ids.feature_ids(stream)
        paragraph = stream.paragraph
        size, width = len(self.words), len(self.terms)
        # An unknown word (-1) reads the extra last slot, which holds -1.
        unigram = self.unigram[ids]
        at_unigram = np.flatnonzero(unigram >= 0)
        cells = [paragraph[at_unigram] * width + unigram[at_unigram]]
        if self.config.word_ngrams[1] == 2 and len(ids) > 1 and len(self.bigram_keys):
            first, second = ids[:-1], ids[1:]
            known = (first >= 0) & (second >= 0)
            # No pair runs from a paragraph's last word to the next one's first.
            last_words = stream.starts[1:-1] - 1
            known[last_words[(last_words >= 0) & (last_words < len(known))]] = False
            pairs = np.flatnonzero(known)
            column = self.bigrams.lookup(first[pairs] * size + second[pairs])
            hit = np.flatnonzero(column >= 0)
            cells.append(paragraph[pairs[hit]] * width + column[hit])
        # Equal cells are equal integers: any sort groups them.
        cell = np.sort(np.concatenate(cells))
        if len(cell):
            new = np.flatnonzero(np.concatenate([[True], cell[1:] != cell[:-1]]))
            counts = np.diff(np.append(new, len(cell)))
            cell = cell[new]
        else:
            counts = np.zeros(0, dtype=np.int64)
        row_of = cell // width
        indices = cell - row_of * width
        values = counts.astype(np.float64)
        if self.config.sublinear_tf:
            values = np.log(values) + 1
        values *= self.idf[indices]
        norms = np.sqrt(np.bincount(row_of, weights=values**2, minlength=n))
        values /= norms[row_of]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n), out=indptr[1:])
        return indptr, indices, values
