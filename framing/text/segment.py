"""Split raw article text into paragraphs and drop the lines that are not prose.

Pure functions: text in, list of strings out. The same rules build the dataset and
segment what users paste, so a model sees at prediction time what it was trained on.
"""

import re

# A line that ends like this closes a paragraph even without a blank line after it;
# other lines are treated as hard-wrapped and joined to the next one.
_TERMINAL = tuple(".!?…:;\"”’')]»")
# White space that makes a line blank, a paragraph break (controls such as \f are
# removed first); a line of other white space only (U+2028, say) is skipped and
# does not break the paragraph.
_BREAKING_SPACE = " \t\u00a0\u3000"
_LETTER = re.compile(r"[^\W\d_]")
# Boilerplate that scrapers leave in articles: credits, share buttons, bylines.
_BOILERPLATE = re.compile(
    r"^(by\s+[\w’'.\- ]{2,60}[-–—:]?|source:.*|images?:.*|photo(graph)?s?:.*|"
    r"picture:.*|credit:.*|read (the )?(full|more).*|share (this|on).*|"
    r"spread the (news|word).*|follow us.*|subscribe.*|sign up.*|advertisement)$",
    re.IGNORECASE,
)
_MAX_BOILERPLATE_WORDS = 12
# Captions, credits and links to other stories are marked as such, and can run
# longer than boilerplate: "Image caption, ...", "[Image credit: ...]",
# "Read more: <another headline>".
_CAPTION = re.compile(
    r"^[\[(]?\s*("
    r"(image|photo(graph)?|picture|pic|video|illustration|graphic)s?\s*"
    r"(credit|caption|source|courtesy)s?\b|"
    r"(main|top|header|featured|lead|hero)\s+(image|photo(graph)?|picture|pic)\b|"
    r"(photo(graph)?|picture|image|illustration|video)\s+(by|via)\s|"
    r"(caption|pictured|above)\s*:|"
    r"(read\s+more|related|see\s+also|also\s+read|read\s+next|more\s+on\s+this|"
    r"recommended|most\s+read|you\s+may\s+also\s+like|watch|listen)\s*:"
    r")",
    re.IGNORECASE,
)
_MAX_CAPTION_WORDS = 40
# Short credits and page furniture that news sites put between paragraphs.
_FURNITURE = re.compile(
    r"^[\[(]?\s*("
    r"(additional\s+)?reporting\s+by\s|editing\s+by\s|courtesy\s+of\s|"
    r"©|copyright\b|all\s+rights\s+reserved|"
    r"(published|updated|last\s+(updated|modified))\s*(:|\d)|"
    r"click\s+here|listen\s+to\s+this\s+article|continue\s+reading|"
    r"story\s+continues|skip\s+advertisement|"
    r"was\s+this\s+(page|article|story|information)\s+(useful|helpful)|"
    r"related\s+(articles|stories|content|topics)"
    r")",
    re.IGNORECASE,
)
# "A spokesperson for the group said:" introduces a quote in the next paragraph
# and says nothing by itself: a reporting verb close before the closing colon.
_LEAD_IN = re.compile(
    r"\b(said|says|say|added|adds|told|tells|wrote|writes|stated|states|"
    r"commented|explained|explains|continued|continues|read|reads|tweeted|posted|"
    r"warned|warns|insisted|insists|argued|argues|declared|announced|replied|"
    r"responded|noted|claimed|claims|urged|urges|concluded|asked|asks|remarked)"
    r"\b(\W+\w+){0,6}\W*:$",
    re.IGNORECASE,
)
_MAX_LEAD_IN_WORDS = 16
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
    return _clean(text)[0]


def _clean(text: str) -> tuple[str, bool]:
    """clean_text(text), and whether spaces and newlines are its only white space
    (then a line with single spaces between words is already normalised)."""
    if "\r" in text:  # a one-character search is cheap; "\r\n" is not
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    flat = text.replace("\n", "")
    # str.isprintable is false for every invisible category and for all white
    # space but the ASCII space, so printable text needs no regex pass.
    if flat.isprintable():
        return text, True
    if flat.replace("\t", "").isprintable():
        return text, False
    return _INVISIBLE.sub("", text), False


def _blocks(text: str) -> list[tuple[str, int]]:
    """(paragraph, number of words) for each paragraph of `text`.

    Blank lines always separate paragraphs, and so does a line break after
    sentence-final punctuation; other line breaks are soft wraps. Words are counted
    while lines are normalised, so no paragraph is split twice, and a line that is
    already normalised (the usual case) is not split at all.
    """
    text, simple = _clean(text)
    paragraphs = []
    current: list[str] = []
    words = 0
    for line in text.split("\n"):
        if simple and not ("  " in line or line[:1] == " " or line[-1:] == " "):
            tokens = line.count(" ") + 1 if line else 0
        else:
            parts = line.split()
            tokens = len(parts)
            if tokens:
                line = " ".join(parts)
            elif line.strip(_BREAKING_SPACE):
                continue
        if not tokens:
            if current:
                paragraphs.append((" ".join(current), words))
                current, words = [], 0
            continue
        current.append(line)
        words += tokens
        if line.endswith(_TERMINAL):
            paragraphs.append((" ".join(current), words))
            current, words = [], 0
    if current:
        paragraphs.append((" ".join(current), words))
    return paragraphs


def split_blocks(text: str) -> list[str]:
    """Split text into paragraphs: blank lines always separate, and so does a line
    break after sentence-final punctuation; other line breaks are soft wraps."""
    return [paragraph for paragraph, _words in _blocks(text)]


def _is_junk(
    paragraph: str, folded: str, words: int, position: int, seen: set[str]
) -> bool:
    if not _LETTER.search(paragraph):
        return True  # counters, dates, punctuation
    if folded in seen:
        return True  # a repeated headline or pull quote
    if words <= _MAX_BOILERPLATE_WORDS and (
        _BOILERPLATE.match(paragraph) or _FURNITURE.match(paragraph)
    ):
        return True
    if words <= _MAX_CAPTION_WORDS and _CAPTION.match(paragraph):
        return True
    if (
        words <= _MAX_LEAD_IN_WORDS
        and paragraph.endswith(":")
        and _LEAD_IN.search(paragraph)
    ):
        return True
    return (
        position > 0
        and words <= _MAX_HEADING_WORDS
        and not paragraph.endswith(_TERMINAL)
    )


def is_junk(paragraph: str, position: int, seen: set[str]) -> bool:
    """True for lines that are not units of the codebook (see data/CODEBOOK.md)."""
    return _is_junk(
        paragraph, paragraph.casefold(), len(paragraph.split()), position, seen
    )


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of an article that carry prose, in order."""
    return split_paragraphs_counted(text)[0]


def split_paragraphs_counted(text: str) -> tuple[list[str], list[int]]:
    """split_paragraphs(text), and the number of words of each paragraph (as
    len(paragraph.split()) counts them; counted here while lines are normalised,
    so that a batch does not split every paragraph again to weigh it)."""
    kept: list[str] = []
    counts: list[int] = []
    seen: set[str] = set()
    for position, (paragraph, words) in enumerate(_blocks(text)):
        folded = paragraph.casefold()
        if not _is_junk(paragraph, folded, words, position, seen):
            kept.append(paragraph)
            counts.append(words)
        seen.add(folded)
    return kept, counts
