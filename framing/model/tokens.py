"""The words of a paragraph, and which of them a negation governs.

Tokens are what scikit-learn's default analyser finds: runs of two or more word
characters (`(?u)\\b\\w\\w+\\b`) in the lower-cased text. `tokens` is the reference,
written plainly; `TokenIds` turns many paragraphs into integer ids several times
faster: the UTF-8 bytes of a whole batch are lowered and cut into pieces at
non-word bytes by one `bytes.translate`; each piece is looked up by its bytes (in
a large batch, as two 64-bit words in a numpy hash table, so that no Python
object is made per word), and only pieces with non-ASCII characters that the
dictionary does not know meet str.lower() and the regular expression. A test
checks that the two agree on arbitrary text, on both lookup paths.

With negation marking, every token after a negation cue ("not", "never", "oppose",
"rather than", ...) up to the end of its clause (the punctuation . , ; : ! ? or the
word "but") is written `NOT_token`, as sentiment work has done since the early
2000s: "not defund" and "defund" become different features. Contractions count:
"don't" is read as "do not".
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from framing.model.keytable import KeyTable

WORD = re.compile(r"(?u)\b\w\w+\b")
NEGATED = "NOT_"  # upper case: a lower-cased text can never produce it
NEGATION_CUES = frozenset(
    "not no never nor neither nobody nothing none nowhere without against cannot "
    "oppose opposes opposed opposing reject rejects rejected rejecting refuse "
    "refuses refused".split()
)
# Two-word cues: the second word opens the scope when the first precedes it.
NEGATION_PAIRS = (("rather", "than"), ("instead", "of"))
CLAUSE_PUNCTUATION = ".,;:!?"
CLAUSE_BYTES = [mark.encode() for mark in CLAUSE_PUNCTUATION]
CLAUSE_WORD = "but"

_CONTRACTION = re.compile(r"n['’]t\b")
_ITEM = re.compile(r"(?u)\w\w+|[" + re.escape(CLAUSE_PUNCTUATION) + "]")
_ASCII_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
_UPPER = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _split_table(kept: bytes) -> bytes:
    """A bytes.translate table: ASCII capitals become small letters, bytes that
    cannot be part of an ASCII word (but those in `kept`) become spaces, and
    bytes of non-ASCII characters are kept; the pieces holding those go to the
    regular expression."""
    return bytes(
        b + 32
        if b in _UPPER
        else b
        if b in _ASCII_WORD or b >= 0x80 or b in kept
        else 0x20
        for b in range(256)
    )


_SPLIT = _split_table(b"\x01")
_SPLIT_KEEPING_CLAUSES = _split_table(b"\x01" + CLAUSE_PUNCTUATION.encode())
# Stream codes for what is not a dictionary word.
UNKNOWN, CLAUSE, SHORT, PARAGRAPH = -1, -2, -3, -4
# Paragraphs of a batch are joined around a control character that the split
# tables keep as a piece of its own.
_SEPARATOR = "\x01"
_SEPARATOR_PIECE = " \x01 "
# Frequent non-ASCII characters that are not word characters (typographic quotes
# and dashes, the pound sign, no-break spaces): their UTF-8 bytes become spaces
# before the split, so that the pieces around them are plain ASCII words.
_COMMON_NON_WORD = [c.encode() for c in "’‘“”–—…£€«»\u00a0•·"]
_COMMON_LEADS = sorted({code[0] for code in _COMMON_NON_WORD})
# A large batch looks pieces up in a numpy table, by their first 16 bytes;
# longer pieces (a few in a million) and small batches use the dictionary.
_KEY_TABLE_FROM = 50_000  # bytes of translated text
_KEY_BYTES = 16
_KEY_PADDING = bytes(_KEY_BYTES)
_BYTE_MASKS = np.array(
    [(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64
)
# The one character whose lower case depends on its neighbours in str.lower()
# (a final sigma): text holding it is lowered whole, not piece by piece.
_CONTEXT_CASED = "\u03a3"


def lower_for_tokens(text: str, negation: bool) -> str:
    lowered = text.lower()
    if negation and ("'" in lowered or "’" in lowered):
        lowered = _CONTRACTION.sub(" not", lowered)
    return lowered


def tokens(text: str, *, negation: bool = False) -> list[str]:
    """The reference tokeniser: the word tokens of `text`, negated ones prefixed."""
    lowered = lower_for_tokens(text, negation)
    if not negation:
        return WORD.findall(lowered)
    out: list[str] = []
    in_scope, previous = False, None
    for item in _ITEM.findall(lowered):
        if item in CLAUSE_PUNCTUATION:
            in_scope, previous = False, None
            continue
        if item == CLAUSE_WORD:
            in_scope = False
        out.append(NEGATED + item if in_scope else item)
        if item in NEGATION_CUES or (previous, item) in NEGATION_PAIRS:
            in_scope = True
        previous = item
    return out


@dataclass
class TokenStream:
    """Token ids of many paragraphs end to end: `ids[starts[i]:starts[i + 1]]` are
    paragraph i's, -1 for a word outside the dictionary. `negated` marks the tokens
    in a negation scope (None when negation is not marked)."""

    ids: np.ndarray
    starts: np.ndarray
    negated: np.ndarray | None = None

    @property
    def paragraph(self) -> np.ndarray:
        """For each token, the index of its paragraph."""
        return np.repeat(np.arange(len(self.starts) - 1), np.diff(self.starts))


class TokenIds:
    """Ids of the words of a fixed dictionary. Negated forms (`NOT_word`) may be in
    the dictionary too; `negated_id` maps a word's id to its negated form's id."""

    def __init__(self, words: Iterable[str], *, negation: bool = False):
        self.words = list(words)
        self.negation = negation
        index = {w: i for i, w in enumerate(self.words)}
        self._ids = {
            w.encode("utf-8", "surrogatepass"): i
            for i, w in enumerate(self.words)
            if not w.startswith(NEGATED)
        }
        # Pieces that are not words: single characters, clause punctuation, and
        # the separator between paragraphs.
        for byte in _ASCII_WORD:
            self._ids[bytes([byte])] = SHORT
        self._ids[_SEPARATOR.encode()] = PARAGRAPH
        if negation:
            for mark in CLAUSE_PUNCTUATION:
                self._ids[mark.encode()] = CLAUSE
        self.negated_id = np.array(
            [index.get(NEGATED + w, UNKNOWN) for w in self.words] + [UNKNOWN],
            dtype=np.int64,
        )
        self._cue = np.zeros(len(self.words) + 1, dtype=bool)
        for word in NEGATION_CUES:
            if word in index:
                self._cue[index[word]] = True
        self._pairs = [
            (index.get(first, -9), index.get(second, -9))
            for first, second in NEGATION_PAIRS
        ]
        self._clause_word = index.get(CLAUSE_WORD, -9)
        self._table: KeyTable | None = None

    def __len__(self) -> int:
        return len(self.words)

    def stream(self, texts: list[str]) -> TokenStream:
        """Token ids of `texts`, computed for the whole batch at once: one
        translate (that lowers too) cuts the batch into pieces, then each piece
        is looked up (_lookup)."""
        joined = _SEPARATOR_PIECE.join(texts)
        if joined.count(_SEPARATOR) != max(len(texts) - 1, 0):
            # A text holding the separator: it is no word character, so a space
            # in its place changes no token.
            joined = _SEPARATOR_PIECE.join(t.replace(_SEPARATOR, " ") for t in texts)
        # str.lower() maps character by character (but for the sigma), so the
        # split table lowers ASCII letters and the few pieces with other
        # characters are lowered on their own; negation reads contractions in
        # the lowered text.
        if self.negation or _CONTEXT_CASED in joined:
            joined = lower_for_tokens(joined, self.negation)
        raw = joined.encode("utf-8", "surrogatepass")
        if not raw.isascii():
            raw = _blank_common_non_word(raw)
        if self.negation:
            for punctuation in CLAUSE_BYTES:
                if punctuation in raw:
                    raw = raw.replace(punctuation, b" " + punctuation + b" ")
        table = _SPLIT_KEEPING_CLAUSES if self.negation else _SPLIT
        ids = self._lookup(raw.translate(table))
        # One pass drops the separators and the one-character pieces (and keeps
        # clause marks when negation needs them); each paragraph starts where the
        # kept tokens before its separator end.
        keep = ids >= (CLAUSE if self.negation else UNKNOWN)
        kept_before = np.cumsum(keep)
        starts = np.zeros(len(texts) + 1, dtype=np.int64)
        if len(ids):
            starts[1:-1] = kept_before[np.flatnonzero(ids == PARAGRAPH)]
            starts[-1] = kept_before[-1]
        stream = TokenStream(ids[keep], starts)
        return self._mark(stream) if self.negation else stream

    def _lookup(self, translated: bytes) -> np.ndarray:
        """The id (or code) of each piece of `translated` between spaces."""
        get = self._ids.get
        if len(translated) < _KEY_TABLE_FROM:
            pieces = translated.split()
            # map() with the dictionary's own get keeps the loop in C.
            found = map(get, pieces, repeat(UNKNOWN))
            ids = np.fromiter(found, dtype=np.int64, count=len(pieces))
            if translated.isascii():
                return ids
            return self._non_ascii(translated, ids, _piece_bounds(translated)[0])
        # A large batch: a piece of up to 16 bytes is looked up by its bytes as
        # two 64-bit words, in numpy, without making a bytes object of it.
        starts, stops = _piece_bounds(translated)
        lengths = stops - starts
        keys = _piece_keys(translated + _KEY_PADDING, starts, lengths)
        ids = self._key_table().lookup(keys, UNKNOWN)
        for i in np.flatnonzero(lengths > _KEY_BYTES).tolist():
            ids[i] = get(translated[starts[i] : stops[i]], UNKNOWN)
        if translated.isascii():
            return ids
        return self._non_ascii(translated, ids, starts)

    def _key_table(self) -> KeyTable:
        if self._table is None:
            # No piece holds a space or a zero byte (the split tables make both
            # separators), so a dictionary entry that does (only a damaged model
            # has one) can never be found and is left out: then the pieces of
            # the joined entries are the entries, and zero padding is unique.
            entries = [
                piece
                for piece in self._ids
                if len(piece) <= _KEY_BYTES and b" " not in piece and b"\0" not in piece
            ]
            joined = b" ".join(entries)
            starts, stops = _piece_bounds(joined)
            keys = _piece_keys(joined + _KEY_PADDING, starts, stops - starts)
            values = np.array([self._ids[piece] for piece in entries], dtype=np.int64)
            self._table = KeyTable(keys, values)
        return self._table

    def _non_ascii(
        self, translated: bytes, ids: np.ndarray, piece_starts: np.ndarray
    ) -> np.ndarray:
        """`ids` with the pieces that hold non-ASCII characters, and that the
        dictionary does not know, replaced by the words Python's \\w finds in
        them (such a piece was split at ASCII non-word bytes only; a dictionary
        word is found as it is, so only the misses need a look)."""
        codes = np.frombuffer(translated, dtype=np.uint8)
        high = np.flatnonzero(codes >= 0x80)
        holding = distinct_sorted(np.searchsorted(piece_starts, high, side="right") - 1)
        odd = holding[ids[holding] == UNKNOWN].tolist()
        if not odd:
            return ids
        get = self._ids.get
        parts, start = [], 0
        for i in odd:
            parts.append(ids[start:i])
            stop = translated.find(b" ", piece_starts[i])
            piece = translated[piece_starts[i] : stop if stop >= 0 else None]
            words = WORD.findall(piece.decode("utf-8", "surrogatepass").lower())
            parts.append(
                np.array(
                    [get(w.encode("utf-8", "surrogatepass"), UNKNOWN) for w in words],
                    dtype=np.int64,
                )
            )
            start = i + 1
        parts.append(ids[start:])
        return np.concatenate(parts)

    def _mark(self, stream: TokenStream) -> TokenStream:
        """Find each negation scope in the stream of words and clause marks, then
        drop the marks."""
        ids = stream.ids
        n = len(ids)
        position = np.arange(n)
        first_of_paragraph = np.zeros(n, dtype=bool)
        first_of_paragraph[stream.starts[:-1][np.diff(stream.starts) > 0]] = True
        boundary = (ids == CLAUSE) | (ids == self._clause_word) | first_of_paragraph
        clause = np.cumsum(boundary) - 1
        previous = np.concatenate([[CLAUSE], ids[:-1]])
        previous[first_of_paragraph] = CLAUSE
        cue = self._cue[np.where(ids >= 0, ids, len(self.words))]
        for first, second in self._pairs:
            cue |= (ids == second) & (previous == first)
        if n:
            cue_at = np.where(cue, position, n)
            clause_starts = np.flatnonzero(boundary)
            first_cue = np.minimum.reduceat(cue_at, clause_starts)
            negated = position > first_cue[clause]
        else:
            negated = np.zeros(0, dtype=bool)
        keep = ids != CLAUSE
        marked = _select(stream, keep)
        marked.negated = negated[keep]
        return marked

    def feature_ids(self, stream: TokenStream) -> np.ndarray:
        """Ids with negated tokens replaced by their `NOT_` form (-1 if unknown)."""
        if stream.negated is None:
            return stream.ids
        ids = stream.ids.copy()
        scoped = stream.negated
        ids[scoped] = self.negated_id[ids[scoped]]
        return ids


def true_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of True in `mask` starts and stops (one past its end)."""
    inside = np.zeros(len(mask) + 2, dtype=bool)  # outside before and after
    inside[1:-1] = mask
    # Entering and leaving a run alternate. (Booleans: flatnonzero over the
    # int8 differences took five times as long.)
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    return edges[0::2], edges[1::2]


def distinct_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array, in order. (np.unique sorts again,
    and its first call imports numpy.ma: a sixth of a classify's start-up.)"""
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _piece_bounds(translated: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Where each piece (a run of bytes other than the space) starts and stops."""
    return true_runs(np.frombuffer(translated, dtype=np.uint8) != 0x20)


def _piece_keys(
    padded: bytes, starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The first 16 bytes of each piece as two little-endian 64-bit words, zero
    past its end (no piece holds a zero byte, so the words tell the pieces of
    up to 16 bytes apart). `padded` ends with 16 spare bytes."""
    # A view that reads 8 bytes from any offset: one gather fetches a word.
    words = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    first = words[starts]
    first &= _BYTE_MASKS[np.minimum(lengths, 8)]
    second = np.zeros(len(starts), dtype=np.uint64)
    longer = np.flatnonzero(lengths > 8)
    second[longer] = words[starts[longer] + 8]
    second[longer] &= _BYTE_MASKS[np.minimum(lengths[longer] - 8, 8)]
    return first, second


def _blank_common_non_word(raw: bytes) -> bytes:
    """`raw` with the UTF-8 bytes of each _COMMON_NON_WORD character made spaces
    (no word character, so no token changes). In numpy: a lead byte of UTF-8
    never occurs inside another character, so each match is the character, and
    bytes.replace with these needles cost five times as much."""
    codes = np.frombuffer(raw, dtype=np.uint8).copy()
    for lead in _COMMON_LEADS:
        at = np.flatnonzero(codes == lead)
        for character in _COMMON_NON_WORD:
            if character[0] != lead or not len(at):
                continue
            found = at[at + len(character) <= len(codes)]
            for offset in range(1, len(character)):
                found = found[codes[found + offset] == character[offset]]
            for offset in range(len(character)):
                codes[found + offset] = 0x20
    return codes.tobytes()


def _select(stream: TokenStream, keep: np.ndarray) -> TokenStream:
    kept_before = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    return TokenStream(stream.ids[keep], kept_before[stream.starts])
