"""`documents.diffing` on long texts: paragraphs first, words only where they differ, a work budget.

Issue "Faithful record", item 10: a word diff over a whole 40 KB field took seconds. These tests
hold what a reader sees (the same marks as before for ordinary texts, changed words inside changed
paragraphs, whole paragraphs inserted or removed, unchanged paragraphs plain), that the work done
is bounded (counted in words compared, never timed), and that a record differing only in its line
endings is not a change.
"""

from __future__ import annotations

import difflib
import random
import re
from html import unescape

import pytest
from django.utils.html import escape

from documents.diffing import FALLBACK_NOTE, WORD_DIFF_BUDGET, diff_documents, word_diff

from .test_diffing import LONG_NEW, LONG_OLD, document, only_list

# --- reading a diff back ---------------------------------------------------------------------

_HIDDEN = re.compile(r'<span class="govuk-visually-hidden">.*?</span>', re.S)


def _text(html: str) -> str:
    html = html.replace(f"<strong>{escape(FALLBACK_NOTE)}</strong> ", "")
    return unescape(re.sub(r"<[^>]+>", "", _HIDDEN.sub("", html)))


def old_side(html: str) -> str:
    """The old text, read back from the diff: everything but the insertions."""
    return _text(re.sub(r"<ins>.*?</ins>", "", html, flags=re.S))


def new_side(html: str) -> str:
    """The new text, read back from the diff: everything but the deletions."""
    return _text(re.sub(r"<del>.*?</del>", "", html, flags=re.S))


def unmarked(html: str) -> str:
    """The text outside every deletion and insertion."""
    return _text(re.sub(r"<(del|ins)>.*?</\1>", "\x00", html, flags=re.S))


def marks(html: str, kind: str) -> list[str]:
    """The text of each deletion (kind "del") or insertion ("ins"), in order."""
    return [_text(found) for found in re.findall(rf"<{kind}>(.*?)</{kind}>", html, flags=re.S)]


# --- the old algorithm, as it was, for ordinary texts ------------------------------------------

_OLD_TOKEN = re.compile(r"\s+|[^\s]+")


def old_word_diff(old: str, new: str) -> str:
    old_words, new_words = _OLD_TOKEN.findall(old or ""), _OLD_TOKEN.findall(new or "")
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append('<del><span class="govuk-visually-hidden">[deleted: </span>'
                       f'{escape("".join(old_words[a1:a2]))}<span class="govuk-visually-hidden">]</span></del>')
        if op in ("insert", "replace"):
            out.append('<ins><span class="govuk-visually-hidden">[inserted: </span>'
                       f'{escape("".join(new_words[b1:b2]))}<span class="govuk-visually-hidden">]</span></ins>')
    return "".join(out)


# --- a long specification -----------------------------------------------------------------------

SUBJECTS = ["The lead commissioner", "The host partner", "The pool manager", "Each partner", "The provider",
            "The joint board", "The council", "The integrated care board"]
VERBS = ["will commission", "shall monitor", "will report on", "is responsible for", "will review", "shall agree"]
OBJECTS = ["services for children and young people", "the pooled fund budget", "the agreed outcomes",
           "safeguarding arrangements", "quarterly finance returns", "the risk register", "the eligibility criteria"]


def specification(paragraphs: int = 60, seed: int = 75) -> list[str]:
    """Numbered paragraphs of 60–120 words each: 60 of them are about 30 KB."""
    rng = random.Random(seed)
    out = []
    for number in range(1, paragraphs + 1):
        sentences, words = [], 0
        size = rng.randint(60, 120)
        while words < size:
            sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
            sentences.append(sentence)
            words += len(sentence.split())
        out.append(f"{number}. " + " ".join(sentences))
    return out


EDITED = "12. The lead commissioner will review services for children quarterly in public. The council shall agree."
INSERTED = "Paragraph inserted: the partners will publish an annual report on these arrangements."


def edited_specification() -> tuple[list[str], list[str]]:
    """Old and new paragraphs: one edited in two words, one inserted after 30, paragraph 45 removed."""
    old = specification()
    new = list(old)
    new[11] = EDITED
    old[11] = EDITED.replace("quarterly", "monthly").replace("shall agree", "will agree")
    new.insert(30, INSERTED)
    del new[45]  # old paragraph 45 (index 44), one place later after the insertion
    return old, new


# --- tests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [
    (LONG_OLD, LONG_NEW),
    ("the board meets quarterly in public", "the board meets monthly in public"),
    ("services for children", "services for children and young people"),
    ("services for children and young people", "services for children"),
    ("a <b> & c", "a <i> & c"),
    ("First paragraph.\n\nSecond paragraph, about budgets.", "First paragraph.\n\nSecond paragraph, about risks."),
    ("Aims:\n- one\n- two\n- three", "Aims:\n- one\n- three\n- four"),
    ("", "Now there is text."),
    ("There was text.", ""),
])
def test_ordinary_texts_give_the_same_html_as_before(old, new):
    assert word_diff(old, new) == old_word_diff(old, new)


def test_a_changed_paragraph_shows_its_words_inserted_and_deleted():
    old_paragraphs, new_paragraphs = edited_specification()
    old, new = "\n\n".join(old_paragraphs), "\n\n".join(new_paragraphs)
    html = word_diff(old, new)
    assert FALLBACK_NOTE not in html
    assert "[deleted: </span>monthly" in html and "[inserted: </span>quarterly" in html
    assert "monthly" in marks(html, "del") and "quarterly" in marks(html, "ins")
    # Only the words that changed in paragraph 12 are marked, not the paragraph.
    assert "12. The lead commissioner will review services for children " in unmarked(html)
    assert " in public. The council " in unmarked(html)
    # The diff holds both texts exactly.
    assert old_side(html) == old and new_side(html) == new


def test_inserted_and_removed_paragraphs_are_marked_whole():
    old_paragraphs, new_paragraphs = edited_specification()
    html = word_diff("\n\n".join(old_paragraphs), "\n\n".join(new_paragraphs))
    [inserted] = [mark for mark in marks(html, "ins") if "Paragraph inserted" in mark]
    assert inserted.strip() == INSERTED
    [removed] = [mark for mark in marks(html, "del") if mark.strip().startswith("45. ")]
    assert removed.strip() == old_paragraphs[44]
    # Nothing else is marked: the edit in paragraph 12 (two words each way), the insertion, the removal.
    assert len(marks(html, "del")) == 3 and len(marks(html, "ins")) == 3


def test_unchanged_paragraphs_are_not_marked():
    old_paragraphs, new_paragraphs = edited_specification()
    html = word_diff("\n\n".join(old_paragraphs), "\n\n".join(new_paragraphs))
    plain = unmarked(html)
    for index, paragraph in enumerate(old_paragraphs):
        if index not in (11, 44):
            assert paragraph in plain, f"paragraph {index + 1} should be shown unmarked"


def test_long_texts_are_compared_paragraph_by_paragraph_not_whole(monkeypatch):
    """The fix itself: difflib never sees the whole field word by word (the old algorithm did)."""
    seen: list[int] = []

    class Recording(difflib.SequenceMatcher):
        def __init__(self, isjunk=None, a="", b="", autojunk=True):
            seen.append(len(a) * len(b))
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(difflib, "SequenceMatcher", Recording)
    old_paragraphs, new_paragraphs = edited_specification()
    old, new = "\n\n".join(old_paragraphs), "\n\n".join(new_paragraphs)
    assert len(old) > 30_000
    word_diff(old, new)
    whole = len(_OLD_TOKEN.findall(old)) * len(_OLD_TOKEN.findall(new))
    assert seen and max(seen) < whole / 1000
    assert sum(seen) <= WORD_DIFF_BUDGET


def test_an_edit_running_through_every_paragraph_is_still_shown_word_by_word():
    old_paragraphs = specification()
    new_paragraphs = [paragraph.replace("The council", "The borough council") for paragraph in old_paragraphs]
    old, new = "\n\n".join(old_paragraphs), "\n\n".join(new_paragraphs)
    html = word_diff(old, new)
    assert FALLBACK_NOTE not in html
    assert {mark.strip() for mark in marks(html, "ins")} == {"borough"}
    assert len(marks(html, "ins")) == sum(paragraph.count("The council") for paragraph in old_paragraphs)
    assert not marks(html, "del")
    assert old_side(html) == old and new_side(html) == new


def test_past_the_budget_the_rest_is_shown_whole_with_a_note():
    rng = random.Random(7)
    # One 40 KB paragraph, no sentence breaks to split it at, a fifth of its words changed.
    words = [rng.choice(["pooled", "fund", "budget", "council", "board", "services", "children"])
             for _ in range(6_000)]
    old = " ".join(words)
    new = " ".join(word if rng.random() > 0.2 else "changed" for word in words)
    html = word_diff(old, new)
    assert html.startswith(f"<strong>{escape(FALLBACK_NOTE)}</strong> ")
    assert "too long to compare word by word" in html
    # Shown whole, old then new (from the first word that differs to the last): nothing lost or shredded.
    [deleted], [inserted] = marks(html, "del"), marks(html, "ins")
    assert len(deleted) > 0.9 * len(old) and len(inserted) > 0.9 * len(new)
    assert html.index("<del>") < html.index("<ins>")
    assert old_side(html) == old and new_side(html) == new


def test_the_budget_is_work_not_time():
    old_paragraphs, new_paragraphs = edited_specification()
    old, new = "\n\n".join(old_paragraphs), "\n\n".join(new_paragraphs)
    # The same texts give the same result every time, and a smaller budget falls back sooner.
    assert word_diff(old, new) == word_diff(old, new)
    assert FALLBACK_NOTE not in word_diff(old, new)
    starved = word_diff(old, new, budget=100)
    assert FALLBACK_NOTE in starved
    assert old_side(starved) == old and new_side(starved) == new
    # Unchanged paragraphs are still shown unmarked when the budget runs out.
    assert old_paragraphs[0] in unmarked(starved)
    # Short texts cost little: a small budget is enough for them.
    assert FALLBACK_NOTE not in word_diff("the board meets quarterly", "the board meets monthly", budget=100)


@pytest.mark.parametrize(("old", "new"), [
    ("\n\nleading breaks", "\n\nleading breaks, changed"),
    ("trailing spaces   ", "trailing spaces and more   \n"),
    ("a\n\n\n\nb\n", "a\nb\n\n"),
    ("   indented\n   lines\n", "   indented\n      lines\n"),
    ("no breaks at all", "\n"),
])
def test_odd_layouts_keep_both_texts_exactly(old, new):
    for budget in (WORD_DIFF_BUDGET, 0):
        html = word_diff(old * 200, new * 200, budget=budget)
        assert old_side(html) == old * 200 and new_side(html) == new * 200


def test_word_diff_ignores_line_endings():
    html = word_diff("The board meets\r\nquarterly in public.\r\n\r\nMinutes follow.",
                     "The board meets\nquarterly in public.\n\nMinutes follow, within a week.")
    assert marks(html, "del") == ["follow."] and marks(html, "ins") == ["follow, within a week."]
    assert word_diff("line one\r\nline two", "line one\nline two") == "line one\nline two"


def test_a_field_differing_only_in_line_endings_is_not_a_change():
    old = document()
    services = "Health visiting.\nSchool nursing.\n\nFamily nurse partnership."
    old["fields"] = {**old["fields"], "services": services.replace("\n", "\r\n")}
    new = document()
    new["fields"] = {**new["fields"], "services": services}
    diff = diff_documents(old, new)
    assert diff.fields == []
    assert diff.empty


def test_a_list_item_differing_only_in_line_endings_is_not_a_change():
    old = document(risks=[{"id": 21, "risk": "Overspend", "mitigation": "Monthly monitoring\r\nby the board"}])
    new = document(risks=[{"id": 21, "risk": "Overspend", "mitigation": "Monthly monitoring\nby the board"}])
    assert diff_documents(old, new).empty
    # A real change beside a line-ending one lists only the real change.
    changed = document(risks=[{"id": 21, "risk": "Overspending", "mitigation": "Monthly monitoring\nby the board"}])
    [item] = only_list(diff_documents(old, changed), "Risks and mitigations")
    assert [f.label for f in item.fields] == ["Risk"]
