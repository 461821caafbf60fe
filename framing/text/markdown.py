"""Markdown to the plain text that segmentation reads.

Front matter (YAML between `---` lines, or TOML between `+++`) gives the title and
date and is not text. Headings, paragraphs, list items and block quotes become
blocks separated by blank lines, so a list item is its own paragraph and a `##`
subheading is a short line that the junk filter drops. Images, code, raw HTML and
tables are dropped (indented lines are prose, not code); a link keeps its words
and loses its address; emphasis loses its markers. Line breaks inside a paragraph
are kept as line breaks, so a Markdown file is split exactly like the same words
in a .txt file.
"""

import re

from framing.text.dates import iso_date
from framing.text.document import Document

_FRONT_MATTER = re.compile(
    r"\A\ufeff?[ \t]*(---|\+\+\+)[ \t]*\n(.*?)\n[ \t]*(?:\1|\.\.\.)[ \t]*(?:\n|\Z)",
    re.DOTALL,
)
_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*$")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "pubdate", "published_at", "created")
# Blocks whose inline content is not prose.
_SKIPPED = {"table_open": "table_close"}


def split_front_matter(source: str) -> tuple[dict[str, str], str]:
    """(fields, body): the top-level `key: value` scalars of a leading front-matter
    block, with quotes removed, and the text after it. Nested or multi-line values
    are ignored: only the title and date are needed."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    fields: dict[str, str] = {}
    for line in match.group(2).split("\n"):
        field = _FIELD.match(line)
        if not field:
            continue
        value = field.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if value and value not in ("|", ">", "[]", "{}"):
            fields.setdefault(field.group(1).lower(), value)
    return fields, source[match.end() :]


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        # image (its alt text is a caption), html_inline and markers: dropped
    return "".join(parts).strip()


def markdown_blocks(body: str) -> list[tuple[str, str]]:
    """(kind, text) for each heading, paragraph and list item of a Markdown body,
    in order; kind is "heading" or "paragraph"."""
    from markdown_it import MarkdownIt

    # Indented code blocks are off: pasted prose is often indented, and news has
    # no code; fenced code (```) is still dropped.
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("code")
    blocks: list[tuple[str, str]] = []
    skip_until = None
    kind = "paragraph"
    for token in parser.parse(body):
        if skip_until:
            if token.type == skip_until:
                skip_until = None
            continue
        if token.type in _SKIPPED:
            skip_until = _SKIPPED[token.type]
        elif token.type == "heading_open":
            kind = "heading"
        elif token.type == "paragraph_open":
            kind = "paragraph"
        elif token.type == "inline":
            text = _inline_text(token)
            if text:
                blocks.append((kind, text))
    return blocks


def parse_markdown(source: str) -> Document:
    """The text, title and date of a Markdown document."""
    fields, body = split_front_matter(source)
    blocks = markdown_blocks(body)
    title = next((fields[key] for key in _TITLE_KEYS if fields.get(key)), None)
    if title is None and blocks and blocks[0][0] == "heading":
        title = " ".join(blocks[0][1].split())
    dates = (iso_date(fields.get(key)) for key in _DATE_KEYS)
    date = next((value for value in dates if value), None)
    return Document(
        text="\n\n".join(text for _kind, text in blocks),
        title=title,
        date=date,
        format="markdown",
    )
