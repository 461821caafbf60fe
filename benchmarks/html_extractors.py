"""Compare main-text extractors on the realistic pages in tests/_pages.py.

For each library: how many of the article's paragraphs come out exactly (after
framing's segmentation and junk filter), how many other paragraphs come out with
them, how many of the pages' junk strings (navigation, cookie banner, captions,
links to other stories, comments, footer) are in the library's own text and how
many survive the junk filter, whether the title and the date are right, and the
time per page. docs/html-extraction.md has the figures and the choice.

    pip install -e '.[html]' readability-lxml justext
    python benchmarks/html_extractors.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _pages import PAGES  # noqa: E402

from framing.text.html import _BR_RUN, clean_title, element_text  # noqa: E402
from framing.text.segment import split_paragraphs  # noqa: E402

_DATES = {"extensive_search": False, "original_date": True}


def trafilatura_plain(html: str):
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATES,
    )
    if result is None:
        return "", None, None
    return element_text(result.body), result.title, result.date


def trafilatura_framing(html: str):
    """What framing.text.html does: <br><br> runs become paragraph breaks first."""
    text, title, date = trafilatura_plain(_BR_RUN.sub("<p>", html))
    return text, clean_title(title), date


def readability_lxml(html: str):
    import lxml.html
    from readability import Document

    document = Document(html)
    fragment = lxml.html.fromstring(document.summary(html_partial=True))
    return element_text(fragment), document.short_title(), None


def justext_paragraphs(html: str):
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate), None, None


EXTRACTORS = {
    "trafilatura 2.3 + <br><br> pre-pass (framing)": trafilatura_framing,
    "trafilatura 2.3 alone": trafilatura_plain,
    "readability-lxml 0.9": readability_lxml,
    "jusText 3.0": justext_paragraphs,
}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def measure(extract) -> dict:
    totals = dict.fromkeys(
        ("found", "gold", "extra", "junk_raw", "junk_kept", "titles", "dates"), 0
    )
    seconds = 0.0
    for page in PAGES:
        text, title, date = extract(page.html)
        start = time.perf_counter()
        for _ in range(10):
            extract(page.html)
        seconds += (time.perf_counter() - start) / 10
        kept = [_norm(p) for p in split_paragraphs(text)]
        kept = [p for p in kept if p != _norm(page.title)]
        gold = [_norm(p) for p in page.paragraphs]
        totals["found"] += sum(p in kept for p in gold)
        totals["gold"] += len(gold)
        totals["extra"] += sum(p not in gold for p in kept)
        totals["junk_raw"] += sum(_norm(j) in _norm(text) for j in page.junk)
        totals["junk_kept"] += sum(_norm(j) in " ".join(kept) for j in page.junk)
        totals["titles"] += bool(title) and _norm(title) == _norm(page.title)
        totals["dates"] += (date or None) == page.date
    totals["ms"] = 1000 * seconds / len(PAGES)
    return totals


def main() -> None:
    junk = sum(len(page.junk) for page in PAGES)
    print(
        "| extractor | article paragraphs found | other paragraphs kept | "
        f"junk strings in its text (of {junk}) | junk after framing's filter | "
        f"titles (of {len(PAGES)}) | dates (of {len(PAGES)}) | ms per page |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, extract in EXTRACTORS.items():
        t = measure(extract)
        print(
            f"| {name} | {t['found']}/{t['gold']} | {t['extra']} | {t['junk_raw']} | "
            f"{t['junk_kept']} | {t['titles']} | {t['dates']} | {t['ms']:.1f} |"
        )


if __name__ == "__main__":
    main()
