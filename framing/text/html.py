"""The article in a web page: main text, title and date, with trafilatura.

trafilatura finds the main text and leaves out navigation, cookie banners,
sidebars, comments, scripts and footers; it reads the title and publication date
from the page's metadata. docs/html-extraction.md compares it with
readability-lxml and jusText on the pages in tests/_pages.py.

Two things are added around it. Runs of `<br>` are turned into paragraph breaks
first, because old table-layout pages separate paragraphs only with `<br><br>`
and trafilatura would otherwise run them, and the navigation, into one
paragraph. And a fragment with no main text that trafilatura recognises (a
pasted `<p>...</p>`) is read as all its visible text. Either way the text then
goes through the junk filter (framing.text.segment), which drops the captions,
"Read more" links and furniture that a site puts inside the article.
"""

import re

from framing.errors import InputError
from framing.text.dates import iso_date
from framing.text.document import Document

_BR_RUN = re.compile(r"(?:<br\s*/?>\s*){2,}", re.IGNORECASE)
# Elements that start a new block, in HTML and in trafilatura's output XML.
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 head li item ul ol list blockquote quote pre table tr "
    "row td th cell section article main header footer aside figure figcaption dd "
    "dt dl address body doc".split()
)
_LINE_BREAKS = frozenset(("br", "lb"))
_INVISIBLE = frozenset(
    "script style noscript template title iframe svg button form select "
    "textarea nav".split()
)
# A page title is often "Headline | Site" or "Site :: Headline".
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||::|»)\s+")

INSTALL_HINT = (
    "reading HTML needs trafilatura: pip install 'framing[html]' (in a checkout: "
    "pip install '.[html]')"
)


def check_html(what: str) -> None:
    """Fail before any work if web pages (`what`) are to be read and the HTML
    extra is not installed."""
    try:
        _trafilatura()
    except InputError as exc:
        raise InputError(f"{what}: {exc}") from None


def _trafilatura():
    try:
        import trafilatura
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    return trafilatura


def element_text(element) -> str:
    """The visible text of an lxml element, with a blank line between blocks and
    a line break for each <br>."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in _INVISIBLE:
            parts.append(node.tail or "")
            return
        block = tag in _BLOCKS
        if block:
            parts.append("\n\n")
        elif tag in _LINE_BREAKS:
            parts.append("\n")
        if isinstance(node.tag, str):  # not a comment or processing instruction
            parts.append(node.text or "")
        for child in node:
            walk(child)
        if block:
            parts.append("\n\n")
        parts.append(node.tail or "")

    walk(element)
    text = "".join(parts)
    return re.sub(r"\n[ \t\r\f\v]*\n(?:[ \t\r\f\v]*\n)*", "\n\n", text).strip()


def clean_title(title: str | None) -> str | None:
    """A page title without the site's name: the longest part between separators
    such as " | " and " :: " (a site's name is shorter than a headline)."""
    if not title:
        return None
    title = " ".join(title.split())
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part]
    return max(parts, key=len) if parts else None


def _visible_text(html: str) -> str:
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    return element_text(root)


def parse_html(html: str, *, url: str | None = None) -> Document:
    """The main text, title and date of a web page (or a fragment of one)."""
    trafilatura = _trafilatura()
    prepared = _BR_RUN.sub("<p>", html)
    result = trafilatura.bare_extraction(
        prepared,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        # Only dates the page states (meta tags, <time>, JSON-LD): a guess from a
        # copyright line or the text would put articles in the wrong month.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = element_text(result.body) if result is not None else ""
    if not text.strip():
        text = _visible_text(prepared)
    title = clean_title(result.title) if result is not None else None
    date = iso_date(result.date) if result is not None else None
    return Document(text=text, title=title, date=date, format="html", url=url)
