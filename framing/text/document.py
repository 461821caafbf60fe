"""One place that turns a file or pasted text into a document: its plain text,
plus its title and date when the format carries them.

The format comes from the file's suffix (.html/.htm, .md/.markdown, anything else
is plain text) or, for pasted text, from a look at the text itself: a page that
starts with an HTML tag is HTML; text with front matter or Markdown images, links
or `#` headings is Markdown; anything else is read as it is. The text that comes
out has its blocks separated by blank lines and goes through the same
segmentation (framing.text.segment) as a plain .txt article.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from framing.errors import InputError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
TEXT_SUFFIXES = (".txt", ".text")
# The files a folder of documents is read for (framing score FOLDER).
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES
FORMATS = ("text", "markdown", "html")


@dataclass(frozen=True)
class Document:
    """A document's plain text (blocks separated by blank lines) and what is known
    about it. `date` is YYYY-MM-DD; `format` is one of FORMATS."""

    text: str
    title: str | None = None
    date: str | None = None
    format: str = "text"
    url: str | None = None

    @property
    def full_text(self) -> str:
        """The text with the title as its first line, the way the seed articles
        and a pasted article start with their headline (unless it already does)."""
        if not self.title:
            return self.text
        first = self.text.lstrip().split("\n", 1)[0]
        if (
            " ".join(first.split()).casefold()
            == " ".join(self.title.split()).casefold()
        ):
            return self.text
        return f"{self.title}\n\n{self.text}"

    def metadata(self) -> dict[str, str]:
        """The title, date and url that are known, by name."""
        fields = {"title": self.title, "date": self.date, "url": self.url}
        return {name: value for name, value in fields.items() if value}


def format_of(path: Path | str) -> str:
    """The format a file's suffix names; plain text for any other suffix."""
    name = os.fspath(path)
    # This runs for every file of a folder, twice: most names are plain text
    # and need no splitext.
    if name.endswith((".txt", ".TXT")):
        return "text"
    suffix = os.path.splitext(name)[1].lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|article|main|div|p|"
    r"section|h[1-6]|meta|title|table|span|ul|ol|blockquote|figure)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_MARKDOWN_SIGNS = re.compile(
    r"\A\ufeff?(---|\+\+\+)[ \t]*\n|"  # front matter
    r"!\[[^\]\n]*\]\([^)\n]*\)|"  # an image
    r"\[[^\]\n]+\]\((https?://|/|\.)[^)\n]*\)|"  # a link
    r"^#{1,6}[ \t]+\S",  # an ATX heading
    re.MULTILINE,
)


def sniff_format(text: str) -> str:
    """The format of pasted text: "html", "markdown" or "text"."""
    if _HTML_START.match(text):
        return "html"
    if _MARKDOWN_SIGNS.search(text):
        return "markdown"
    return "text"


def parse_document(
    text: str, format: str | None = None, *, url: str | None = None
) -> Document:
    """The document in `text`, read as `format` (sniffed when None)."""
    format = format or sniff_format(text)
    if format == "html":
        from framing.text.html import parse_html

        return parse_html(text, url=url)
    if format == "markdown":
        from framing.text.markdown import parse_markdown

        document = parse_markdown(text)
    elif format == "text":
        document = Document(text=text)
    else:
        raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if url:
        return Document(
            document.text, document.title, document.date, document.format, url
        )
    return document


def read_document(
    path: Path | str,
    *,
    max_bytes: int | None = None,
    format: str | None = None,
    follow_links: bool = True,
) -> tuple[Document, str | None]:
    """The document in a file, read as `format` or else as its suffix says, and
    an encoding warning (or None). InputError if the file is missing, special,
    too large, binary or empty; with follow_links=False a link at `path` is
    refused (see framing.text.read)."""
    from framing.text.read import DEFAULT_MAX_BYTES, read_text

    text, warning = read_text(
        path, max_bytes or DEFAULT_MAX_BYTES, follow_links=follow_links
    )
    return parse_document(text, format or format_of(path)), warning
