"""Split raw article text into paragraphs and drop the lines that are not prose.

Pure functions: text in, list of strings out. The same rules build the dataset and
segment what users paste, so a model sees at prediction time what it was trained on.
"""

import re

# A line that ends like this closes a paragraph even without a blank line after it;
# other lines are treated as hard-wrapped and joined to the next one.
_TERMINAL = tuple(".!?…:;\"”’')]»")
_BLANK_LINE = re.compile(r"\n[ \t\f\v\u00a0\u200b\u3000]*\n")
_LETTER = re.compile(r"[^\W\d_]")
# Boilerplate that scrapers leave in articles: credits, share buttons, bylines.
_BOILERPLATE = re.compile(
    r"^(by\s+[\w’'.\- ]{2,60}[-–—:]?|source:.*|images?:.*|photo(graph)?s?:.*|"
    r"picture:.*|credit:.*|read (the )?(full|more).*|share (this|on).*|"
    r"spread the (news|word).*|follow us.*|subscribe.*|sign up.*|advertisement)$",
    re.IGNORECASE,
)
_MAX_BOILERPLATE_WORDS = 12
# A short unpunctuated line after the first is a subheading or a sign-off, not prose.
_MAX_HEADING_WORDS = 10


# Every character in the Unicode categories Cc (controls, but \t and \n), Cf
# (invisible format marks), Cs (lone surrogates) and Co (private use), as ranges:
# one regex pass instead of a category lookup per character (which made text
# cleaning half the cost of scoring). tests/test_segment.py rebuilds the set from
# unicodedata and checks it matches.
_INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891"
    "\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ud800-\uf8ff\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
    "]"
)


def clean_text(text: str) -> str:
    """Normalise newlines and drop characters that carry no meaning for a reader."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Fast path: printable text (str.isprintable is false for every invisible
    # category, and for non-ASCII spaces) needs no regex pass.
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return _INVISIBLE.sub("", text)


def split_blocks(text: str) -> list[str]:
    """Split text into paragraphs: blank lines always separate, and so does a line
    break after sentence-final punctuation; other line breaks are soft wraps."""
    paragraphs = []
    for block in _BLANK_LINE.split(clean_text(text)):
        current: list[str] = []
        for line in block.split("\n"):
            line = " ".join(line.split())
            if not line:
                continue
            current.append(line)
            if line.endswith(_TERMINAL):
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


def is_junk(paragraph: str, position: int, seen: set[str]) -> bool:
    """True for lines that are not units of the codebook (see data/CODEBOOK.md)."""
    if not _LETTER.search(paragraph):
        return True  # counters, dates, punctuation
    if paragraph.casefold() in seen:
        return True  # a repeated headline or pull quote
    words = len(paragraph.split())
    if words <= _MAX_BOILERPLATE_WORDS and _BOILERPLATE.match(paragraph):
        return True
    return (
        position > 0
        and words <= _MAX_HEADING_WORDS
        and not paragraph.endswith(_TERMINAL)
    )


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of an article that carry prose, in order."""
    kept: list[str] = []
    seen: set[str] = set()
    for position, paragraph in enumerate(split_blocks(text)):
        if not is_junk(paragraph, position, seen):
            kept.append(paragraph)
        seen.add(paragraph.casefold())
    return kept
