"""Segmentation: text in, the prose paragraphs out (framing.text.segment)."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.text.segment import (
    _TERMINAL,
    clean_text,
    is_junk,
    split_blocks,
    split_paragraphs,
    split_paragraphs_counted,
)

# A scraped article: headline, byline, counters, a subheading, a hard-wrapped
# paragraph, two paragraphs separated only by a line break after a full stop, the
# headline repeated, a credit line and a sign-off.
SCRAPED = """Met police chief resigns after damning report

By Jane Smith

687

0

The Commissioner stepped down on Monday after an inquiry found
that the force had failed to act on repeated warnings about
misconduct in its ranks.

What happens next

The Home Secretary said a successor would be named within weeks.
Campaigners said the change did not go far enough.

Met police chief resigns after damning report

Source: Read Full Article

Images: Getty

Spread the news

Alex Charlton, London
"""

SCRAPED_PROSE = [
    "Met police chief resigns after damning report",
    "The Commissioner stepped down on Monday after an inquiry found that the force "
    "had failed to act on repeated warnings about misconduct in its ranks.",
    "The Home Secretary said a successor would be named within weeks.",
    "Campaigners said the change did not go far enough.",
]


def test_segment_scraped_article_keeps_only_prose_in_order():
    assert split_paragraphs(SCRAPED) == SCRAPED_PROSE


def test_segment_blank_line_separates_paragraphs():
    text = "Officers arrived at noon and\n\nthe crowd dispersed quietly"
    # No terminal punctuation anywhere: only the blank line can split them.
    assert split_blocks(text) == [
        "Officers arrived at noon and",
        "the crowd dispersed quietly",
    ]


def test_segment_blank_line_with_spaces_still_separates():
    assert split_blocks("First part here\n  \t \nSecond part here") == [
        "First part here",
        "Second part here",
    ]


@pytest.mark.parametrize("end", [".", "!", "?", ":", "”", '"', ")"])
def test_segment_line_break_after_terminal_punctuation_separates(end):
    text = f"The chief spoke to reporters{end}\nThe inquiry opens next week."
    assert split_blocks(text) == [
        f"The chief spoke to reporters{end}",
        "The inquiry opens next week.",
    ]


def test_segment_hard_wrapped_lines_are_joined():
    text = "The report found that officers\nhad ignored complaints for\nyears."
    assert split_paragraphs(text) == [
        "The report found that officers had ignored complaints for years."
    ]


def test_segment_windows_newlines_and_extra_spaces_are_normalised():
    text = "The report   found\r\nfailures.\r\n\r\nThe force   replied."
    assert split_paragraphs(text) == [
        "The report found failures.",
        "The force replied.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "687",
        "12 / 40",
        "— 3 —",
        "By Jane Smith",
        "By Tony O'Reilly-",
        "Source: Read Full Article",
        "Read more",
        "Images: Getty",
        "Photo: Reuters",
        "Share this article",
        "Follow us on Twitter",
        "Subscribe to our newsletter",
        "Advertisement",
    ],
)
def test_segment_junk_line_is_dropped(line):
    prose = "The chief left on Monday, the force said."
    # After the first line, and as the first line (where the subheading rule does not
    # apply, so only the counter and boilerplate rules can drop it).
    after = f"Police chief resigns\n\n{line}\n\n{prose}"
    assert split_paragraphs(after) == ["Police chief resigns", prose]
    assert split_paragraphs(f"{line}\n\n{prose}") == [prose]


# Junk that news pages put between paragraphs, with its marker, and that can be
# longer than a byline (issue 10): captions and credits, links to other stories,
# page furniture, and attribution lead-ins whose quote is the next paragraph.
@pytest.mark.parametrize(
    "line",
    [
        "[Image credit: X - Own work, Public Domain,]",
        "Image caption, Sir Mark Rowley said the force would be rebuilt from the "
        "bottom up after the report into standards and culture was published",
        "Image source, Getty Images",
        "Photo credit: Jane Smith for the Herald",
        "(Photo by John Smith/Getty Images)",
        "Photograph by Tom Jones",
        "Main image: officers outside New Scotland Yard on Monday",
        "Pictured: protesters outside the station on Saturday afternoon",
        "Caption: the vigil on Clapham Common in March 2021",
        "Read more: Met officers sacked after inquiry into messages shared in a "
        "WhatsApp group found racist and misogynistic jokes",
        "READ MORE: Police chief quits",
        "Related: Home Secretary orders review of vetting",
        "See also: How vetting works",
        "Watch: footage of the arrest",
        "Reporting by Jane Smith; Editing by John Doe",
        "Additional reporting by PA",
        "© Guardian News & Media Limited 2024",
        "Copyright 2024 The Associated Press. All rights reserved.",
        "Published: 12 March 2024",
        "Updated 14:05 GMT",
        "Click here to read the full report",
        "Story continues below",
        "Related articles",
        "Was this page useful?",
        "A spokesperson from the group said:",
        "In a statement, the Metropolitan Police said:",
        "Sir Mark told reporters outside New Scotland Yard:",
        "Ken Marsh, chairman of the Met’s Police Federation branch, said in a "
        "statement:",
        "The letter reads:",
        "He added:",
    ],
)
def test_segment_caption_credit_link_and_lead_in_are_dropped(line):
    prose = "The chief left on Monday, the force said."
    assert split_paragraphs(f"Police chief resigns\n\n{line}\n\n{prose}") == [
        "Police chief resigns",
        prose,
    ]
    assert split_paragraphs(f"{line}\n\n{prose}") == [prose]


# Prose that starts or ends like junk and must be kept.
@pytest.mark.parametrize(
    "line",
    [
        "Photos of the arrest were shared widely on social media, and the force "
        "referred itself to the watchdog.",
        "Published on Monday, the report found that complaints took a year to resolve.",
        "Related concerns were raised by the Home Affairs Committee in 2022.",
        "Read the room: the public no longer trusts the Met.",
        "Above all, the force must be held to account.",
        "Sir Mark said: “The most urgent thing is to remove the cancer from the body.”",
        "Campaigners said the reforms did not go far enough and listed what was "
        "missing from the plan, from vetting to the complaints system and "
        "independent oversight of how allegations are handled:",
        "The report made three recommendations:",
    ],
)
def test_segment_prose_that_looks_like_junk_is_kept(line):
    assert split_paragraphs(f"Police chief resigns\n\n{line}") == [
        "Police chief resigns",
        line,
    ]


def test_segment_repeated_headline_is_dropped_ignoring_case():
    text = "Police chief resigns\n\nThe chief left on Monday.\n\nPOLICE CHIEF RESIGNS"
    assert split_paragraphs(text) == [
        "Police chief resigns",
        "The chief left on Monday.",
    ]


def test_segment_repeated_paragraph_is_dropped():
    prose = "The chief left on Monday after the inquiry reported."
    assert split_paragraphs(f"{prose}\n\n{prose}") == [prose]


def test_segment_short_unpunctuated_line_after_first_is_dropped():
    # A subheading in the middle and a sign-off at the end.
    text = (
        "The inquiry reported on Monday.\n\n"
        "Conversation with an off-duty officer\n\n"
        "The officer said morale was low.\n\n"
        "Alex Charlton, London"
    )
    assert split_paragraphs(text) == [
        "The inquiry reported on Monday.",
        "The officer said morale was low.",
    ]


def test_segment_first_line_is_kept_without_punctuation():
    assert split_paragraphs("Met rotten from top to bottom\n\nDisband it now.") == [
        "Met rotten from top to bottom",
        "Disband it now.",
    ]


def test_segment_long_unpunctuated_paragraph_is_kept():
    # More than ten words: prose that lost its full stop, not a subheading.
    long_line = (
        "Officers in three forces said they had seen colleagues ignore complaints"
    )
    text = f"Headline here\n\n{long_line}"
    assert split_paragraphs(text) == ["Headline here", long_line]


def test_segment_short_punctuated_paragraph_is_kept():
    text = "Headline here\n\nPolice refused.\n\nNo comment."
    assert split_paragraphs(text) == ["Headline here", "Police refused.", "No comment."]


def test_segment_long_line_starting_like_a_byline_is_kept():
    # "By ..." boilerplate is short; a sentence that starts with "By" is prose.
    sentence = (
        "By the end of the year the force had dismissed forty officers for "
        "misconduct, the report said."
    )
    assert split_paragraphs(f"Headline\n\n{sentence}") == ["Headline", sentence]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", " \t\r\n \u00a0 \n", "\u200b"])
def test_segment_empty_or_whitespace_only_text_gives_no_paragraphs(text):
    assert split_paragraphs(text) == []


def test_segment_only_junk_gives_no_paragraphs():
    assert split_paragraphs("0\n\n687\n\n---") == []


def test_segment_clean_text_drops_control_and_format_characters():
    assert clean_text("po\u200blice\x00 a\u202ebc\r\nnext") == "police abc\nnext"


def test_segment_is_junk_uses_position_for_headings():
    assert not is_junk("A short heading", 0, set())
    assert is_junk("A short heading", 1, set())
    assert is_junk("seen before.", 3, {"seen before."})


def test_segment_invisible_set_matches_unicodedata():
    import sys
    import unicodedata

    from framing.text.segment import _INVISIBLE

    wanted = {
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs", "Co")
    } - {"\n", "\t"}
    matched = {chr(cp) for cp in range(sys.maxunicode + 1) if _INVISIBLE.match(chr(cp))}
    assert matched == wanted


# The straightforward segmentation that split_paragraphs replaced (it split every
# paragraph twice): the fast version must give exactly its paragraphs.
_REFERENCE_BLANK_LINE = re.compile(r"\n[ \t\f\v\u00a0\u200b\u3000]*\n")


def _reference_split_blocks(text: str) -> list[str]:
    paragraphs = []
    for block in _REFERENCE_BLANK_LINE.split(clean_text(text)):
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


def _reference_split_paragraphs(text: str) -> list[str]:
    kept: list[str] = []
    seen: set[str] = set()
    for position, paragraph in enumerate(_reference_split_blocks(text)):
        if not is_junk(paragraph, position, seen):
            kept.append(paragraph)
        seen.add(paragraph.casefold())
    return kept


_PIECES = st.one_of(
    st.sampled_from(
        [
            "police",
            "The chief said.",
            "By Jane Smith",
            "Images: Getty",
            "687",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\n \n",
            "\n\t\n",
            "\t",
            "\r",
            "\r\n",
            "\f",
            "\v",
            "\xa0",
            "\u3000",
            "\u2028",
            "\u200b",
            "\x85",
            ".",
            ":",
        ]
    ),
    st.characters(exclude_categories=()),
)
_TEXTS = st.one_of(
    st.lists(_PIECES, max_size=60).map("".join),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=120),
)


@settings(max_examples=400, deadline=None)
@given(text=_TEXTS)
def test_segment_fast_split_gives_the_reference_paragraphs(text):
    assert split_blocks(text) == _reference_split_blocks(text)
    assert split_paragraphs(text) == _reference_split_paragraphs(text)
    # The words counted on the way are what the scorer would count.
    paragraphs, words = split_paragraphs_counted(text)
    assert words == [len(paragraph.split()) for paragraph in paragraphs]


def test_segment_fast_split_gives_the_reference_paragraphs_on_the_seed_articles():
    articles = sorted((Path(__file__).parents[1] / "data" / "articles").glob("*.txt"))
    assert articles
    for path in articles:
        text = path.read_text(encoding="utf-8")
        assert split_paragraphs(text) == _reference_split_paragraphs(text)
