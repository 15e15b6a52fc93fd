"""What changed between two states of a document, in words a legal officer reads.

Works on the document dicts stored in revisions, of any type an app registered (its
`documents.registry.DocumentType` gives the labels, the child lists and how values read): parent
fields old → new; child items added, removed, changed or moved (matched by their ids, so a moved
outcome is "moved", not "removed and added"); long text diffed word by word with insertions and deletions marked in words as well as colour (long
fields paragraph by paragraph first, within a budget of work). Text that differs only in its line
endings (CRLF from a browser, LF as saved) is not a change.

Values read as people write them: a choice by its label ("In force"), a date as "1 March 2017", a
boolean as Yes or No, a key by its model field's verbose name, unless the type's own labels or
`display` say otherwise. An added or removed item lists what it held (a risk's mitigation, a budget
line's amount), not only its name.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from documents.registry import DocumentType, ListLabel, document_type
from documents.text import clean_text, same_content

# Item keys never compared: the row's identity, its place (order is compared as "moved"), and its
# numbered sub-list (compared item by item as "Paragraph 2.3").
IGNORED_ITEM_KEYS = {"id", "position", "paragraphs"}
LONG_TEXT = 60


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    words: SafeString | None = None


@dataclass
class FieldValue:
    label: str
    value: str


@dataclass
class ItemChange:
    kind: str  # added, removed, changed, moved
    name: str
    old_place: int | None = None
    new_place: int | None = None
    fields: list[FieldChange] = field(default_factory=list)
    details: list[FieldValue] = field(default_factory=list)  # what an added or removed item held


@dataclass
class ListChanges:
    label: str
    items: list[ItemChange]


@dataclass
class DocumentDiff:
    fields: list[FieldChange]
    lists: list[ListChanges]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.lists

    @property
    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
        for changes in self.lists:
            for item in changes.items:
                counts[item.kind] += 1
        return counts


# Words and the spaces between them: the units of a word diff (the spaces are units too, so
# an insertion reads " and young people", with its leading space).
_TOKEN = re.compile(r"\s+|[^\s]+")
# Paragraphs: a line with the line breaks (and any indentation) after it; the last line without.
_PARAGRAPH = re.compile(r"[^\n]*\n\s*|[^\n]+")
# Sentences inside a paragraph: up to a full stop (or ! ? ; :) and the spaces after it.
_SENTENCE = re.compile(r"[\s\S]*?[.!?;:](?:\s+|\Z)|[\s\S]+")
_SPLITTERS = (_PARAGRAPH, _SENTENCE)

# The work a word diff may do is counted in pairs of words compared (a passage of m words and
# spaces against one of n costs m × n: difflib's matching grows with that product, or faster), not
# in seconds, so the same two texts always give the same result whatever the machine's load.
# After the words the two share at the start and end are set aside, a passage of up to
# WORD_DIRECT_LIMIT pairs (about 150 words a side: most fields) is compared word by word at once;
# a longer one is split into paragraphs, then sentences, and only those that differ are compared;
# one that cannot be split further is compared word by word up to WORD_PASSAGE_LIMIT pairs. Past
# WORD_DIFF_BUDGET pairs in all, what is left is shown whole, old then new, after FALLBACK_NOTE.
# (Matching paragraphs or sentences costs the units on each side plus the pairs of equal ones.)
# The most work the budget allows takes about 0.2 s of CPU; a 40 KB specification with a few
# paragraphs edited takes about 0.01 s (bench/diff.py).
WORD_DIRECT_LIMIT = 100_000
WORD_PASSAGE_LIMIT = 250_000
WORD_DIFF_BUDGET = 1_000_000
FALLBACK_NOTE = "Changed (too long to compare word by word): some passages are shown whole, old then new."

_Chunk = tuple[bool, str, str]  # (unchanged?, old text, new text)


@dataclass
class _Work:
    left: int
    fell_back: bool = False

    def spend(self, cost: int) -> bool:
        if cost > self.left:
            return False
        self.left -= cost
        return True


def _differs(old: Any, new: Any) -> bool:
    """Whether a stored value changed; text differing only in its line breaks (browsers sent CRLF,
    which old snapshots hold; saves store LF) or control characters has not."""
    return not same_content(old, new)


def word_diff(old: str, new: str, *, budget: int = WORD_DIFF_BUDGET) -> SafeString:
    """Old and new text merged, deletions in <del> and insertions in <ins>, each also labelled in words.

    Long texts are compared paragraph by paragraph (then sentence by sentence) and word by word only
    where they differ, within `budget` pairs of words compared; past it, the passages not yet
    compared are shown whole, old then new, after a note saying so.
    """
    work = _Work(budget)
    chunks = _diff_passage(clean_text(old or ""), clean_text(new or ""), 0, work)
    html = _render(chunks)
    if work.fell_back:
        html = f'<strong>{escape(FALLBACK_NOTE)}</strong> {html}'
    return mark_safe(html)


def _render(chunks: list[_Chunk]) -> str:
    out: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if old := "".join(deleted):
            out.append(
                '<del><span class="govuk-visually-hidden">[deleted: </span>'
                f'{escape(old)}<span class="govuk-visually-hidden">]</span></del>'
            )
        if new := "".join(inserted):
            out.append(
                '<ins><span class="govuk-visually-hidden">[inserted: </span>'
                f'{escape(new)}<span class="govuk-visually-hidden">]</span></ins>'
            )
        deleted.clear()
        inserted.clear()

    for same, old, new in chunks:
        if same:
            flush()
            out.append(escape(old))
        else:
            deleted.append(old)
            inserted.append(new)
    flush()
    return "".join(out)


def _common_ends(old: list[str], new: list[str]) -> tuple[int, int]:
    """How many units the two lists share at their start, and then at their end."""
    most = min(len(old), len(new))
    start = 0
    while start < most and old[start] == new[start]:
        start += 1
    end = 0
    while end < most - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def _diff_passage(old: str, new: str, level: int, work: _Work) -> list[_Chunk]:
    """Word by word if small enough; otherwise split at `level` (paragraphs, sentences); else whole."""
    if old == new:
        return [(True, old, old)]
    old_words, new_words = _TOKEN.findall(old), _TOKEN.findall(new)
    start, end = _common_ends(old_words, new_words)
    head, tail = "".join(old_words[:start]), "".join(old_words[len(old_words) - end:])
    old_words, new_words = old_words[start:len(old_words) - end], new_words[start:len(new_words) - end]
    cost = len(old_words) * len(new_words)
    last = level == len(_SPLITTERS)
    if cost <= (WORD_PASSAGE_LIMIT if last else WORD_DIRECT_LIMIT) and work.spend(cost):
        body = _diff_words(old_words, new_words)
    elif not last and cost > WORD_DIRECT_LIMIT:
        body = _diff_units("".join(old_words), "".join(new_words), level, work)
    else:
        work.fell_back = True
        body = [(False, "".join(old_words), "".join(new_words))]
    return [(True, head, head), *body, (True, tail, tail)]


def _diff_words(old: list[str], new: list[str]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            text = "".join(old[a1:a2])
            chunks.append((True, text, text))
        else:
            chunks.append((False, "".join(old[a1:a2]), "".join(new[b1:b2])))
    return chunks


def _diff_units(old: str, new: str, level: int, work: _Work) -> list[_Chunk]:
    """Match whole paragraphs (or sentences) first; compare only the ones that differ, a level down."""
    old_units, new_units = _SPLITTERS[level].findall(old), _SPLITTERS[level].findall(new)
    if len(old_units) <= 1 and len(new_units) <= 1:
        return _diff_passage(old, new, level + 1, work)
    # difflib's matching looks at every equal pair of units: repeated units (blank lines) cost most.
    counts = Counter(new_units)
    if not work.spend(len(old_units) + len(new_units) + sum(counts[unit] for unit in old_units)):
        work.fell_back = True
        return [(False, old, new)]
    chunks: list[_Chunk] = []
    matcher = difflib.SequenceMatcher(a=old_units, b=new_units, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old_block, new_block = "".join(old_units[a1:a2]), "".join(new_units[b1:b2])
        if op == "equal":
            chunks.append((True, old_block, old_block))
        elif op != "replace":
            chunks.append((False, old_block, new_block))
        elif a2 - a1 == b2 - b1 > 1 and _word_cost(old_block, new_block) > WORD_DIRECT_LIMIT:
            # As many paragraphs changed as replaced them (an edit running through them): pair them.
            for old_unit, new_unit in zip(old_units[a1:a2], new_units[b1:b2], strict=True):
                chunks += _diff_passage(old_unit, new_unit, level + 1, work)
        else:
            chunks += _diff_passage(old_block, new_block, level + 1, work)
    return chunks


def _word_cost(old: str, new: str) -> int:
    return len(_TOKEN.findall(old)) * len(_TOKEN.findall(new))


def show_words(value: Any, doc: dict[str, Any]) -> str:
    """A stored code as words: "to_be_agreed" reads "to be agreed" (for a code no model field describes)."""
    return str(value).replace("_", " ")


def show_partner(value: Any, doc: dict[str, Any]) -> str:
    """A partner id as the partner's name, from the document's own ``partners``."""
    entry = doc.get("partners", {}).get(str(value))
    return entry["name"] if entry else f"partner {value}"


def model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The field of `model` a document dict's key holds (its name or attname: "partner_id"), if any."""
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def show_stored(value: Any, stored_in: models.Field | None) -> str:
    """A stored value as the model field it came from reads: its choice's label, a date as "1 March 2017"."""
    if stored_in is not None and stored_in.choices:
        return str(dict(stored_in.flatchoices).get(value, value))
    try:
        if isinstance(stored_in, models.DateTimeField) and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "j F Y, H:i")
        if isinstance(stored_in, models.DateField) and isinstance(value, str):
            return date_format(date.fromisoformat(value), "j F Y")
    except ValueError:
        pass  # not a date after all (a hand-edited snapshot): shown as stored
    return str(value)


def _label(labels: Mapping[str, str], name: str, model: type[models.Model] | None) -> str:
    if name in labels:
        return labels[name]
    stored_in = model_field(model, name)
    return capfirst(str(stored_in.verbose_name)) if stored_in is not None else name


def _display(
    doc_type: DocumentType, name: str, value: Any, doc: dict[str, Any], model: type[models.Model] | None = None,
    item: dict[str, Any] | None = None,
) -> Any:
    """How a stored value reads. A link to another row with no `display` of its own reads by the name
    its item keeps beside the id ("reports_to_id" by "reports_to"), else as stored."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    display = doc_type.display.get(name)
    if display is not None:
        return display(value, doc)
    stored_in = model_field(model, name)
    if item is not None and stored_in is not None and stored_in.is_relation:
        kept = item.get(stored_in.name)
        if isinstance(kept, str) and kept:
            return kept
    return show_stored(value, stored_in)


def _field_change(
    doc_type: DocumentType, labels: Mapping[str, str], name: str, old: Any, new: Any, old_doc, new_doc,
    model: type[models.Model] | None = None, old_item: dict[str, Any] | None = None,
    new_item: dict[str, Any] | None = None,
) -> FieldChange:
    old_text = _display(doc_type, name, old, old_doc, model, old_item)
    new_text = _display(doc_type, name, new, new_doc, model, new_item)
    words = None
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG_TEXT:
        words = word_diff(old, new)
    return FieldChange(_label(labels, name, model), old_text, new_text, words)


def _item_name(child_list: ListLabel | None, item: dict[str, Any], doc: dict[str, Any]) -> tuple[str, set[str]]:
    """How a change names the item, and the keys the name shows whole (not repeated in its details)."""
    if child_list is not None and child_list.name is not None:
        return child_list.name(item, doc), set()
    for key in ("heading", "risk", "role", "text", "body"):
        if item.get(key):
            text = str(item[key])
            label = f"{item['label']} " if item.get("label") else ""
            whole = {"label"} | ({key} if len(text) <= 90 else set())
            return label + (text if len(text) <= 90 else text[:87] + "…"), whole
    return "an item", set()


def _item_details(
    doc_type: DocumentType, model: type[models.Model] | None, item: dict[str, Any], doc: dict[str, Any],
    name: str, shown: set[str], ignored: set[str],
) -> list[FieldValue]:
    """What an added or removed item held, beyond its name: a risk's mitigation, a budget line's amount."""
    details = []
    for key, value in item.items():
        if key in ignored or key in shown or value is None or value == "" or isinstance(value, (list, dict)):
            continue
        stored_in = model_field(model, key)
        if key not in doc_type.display and stored_in is not None and stored_in.is_relation and not item.get(stored_in.name):
            continue  # a bare id, with no name beside it, tells a reader nothing
        text = str(_display(doc_type, key, value, doc, model, item))
        if text != name:
            details.append(FieldValue(_label(doc_type.item_field_labels, key, model), text))
    return details


def _whole_item(
    kind: str, doc_type: DocumentType, child_list: ListLabel | None, model, item, doc, ignored, **place,
) -> ItemChange:
    name, shown = _item_name(child_list, item, doc)
    return ItemChange(kind, name, details=_item_details(doc_type, model, item, doc, name, shown, ignored), **place)


def _moved_ids(old_ids: list[int], new_ids: list[int]) -> set[int]:
    """Items whose order relative to the others changed: those outside the longest common order."""
    common_new = [i for i in new_ids if i in set(old_ids)]
    common_old = [i for i in old_ids if i in set(new_ids)]
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    kept = set()
    for block in matcher.get_matching_blocks():
        kept.update(common_old[block.a:block.a + block.size])
    return set(common_new) - kept


def _diff_list(
    doc_type: DocumentType, child_list: ListLabel | None, old_items, new_items, old_doc, new_doc, numbered: bool,
    model: type[models.Model] | None = None,
) -> list[ItemChange]:
    """Changes to one child list (`child_list`; None for an item's paragraphs), whose items are rows of `model`."""
    old_by_id = {item["id"]: (index, item) for index, item in enumerate(old_items, start=1)}
    new_by_id = {item["id"]: (index, item) for index, item in enumerate(new_items, start=1)}
    moved = _moved_ids([i["id"] for i in old_items], [i["id"] for i in new_items])
    ignored = IGNORED_ITEM_KEYS | doc_type.hidden_item_keys
    changes: list[ItemChange] = []
    for item_id, (index, item) in old_by_id.items():
        if item_id not in new_by_id:
            changes.append(_whole_item("removed", doc_type, child_list, model, item, old_doc, ignored, old_place=index))
    for item_id, (index, item) in new_by_id.items():
        if item_id not in old_by_id:
            changes.append(_whole_item("added", doc_type, child_list, model, item, new_doc, ignored, new_place=index))
            continue
        old_index, old_item = old_by_id[item_id]
        field_changes = [
            _field_change(
                doc_type, doc_type.item_field_labels, key, old_item.get(key), item.get(key), old_doc, new_doc, model,
                old_item, item,
            )
            for key in item
            if key not in ignored and _differs(old_item.get(key), item.get(key))
        ]
        if field_changes:
            changes.append(ItemChange("changed", _item_name(child_list, old_item, old_doc)[0], old_index, index, field_changes))
        if item_id in moved:
            changes.append(ItemChange("moved", _item_name(child_list, item, new_doc)[0], old_index, index))
        if "paragraphs" in item:
            for paragraph_change in _diff_list(
                doc_type, None, old_item.get("paragraphs", []), item["paragraphs"], old_doc, new_doc, True,
                doc_type.list_models.get("paragraphs"),
            ):
                place = paragraph_change.new_place or paragraph_change.old_place
                paragraph_change.name = f"Paragraph {index}.{place}: {paragraph_change.name}"
                if paragraph_change.kind != "moved":
                    paragraph_change.old_place = paragraph_change.new_place = None
                changes.append(paragraph_change)
    if not numbered:
        for change in changes:
            if change.kind != "moved":
                change.old_place = change.new_place = None
    return changes


def diff_documents(old: dict[str, Any] | None, new: dict[str, Any]) -> DocumentDiff:
    """The changes from `old` (None: the document was created) to `new`, read through new's registered type."""
    doc_type = document_type(new.get("type"))
    if old is None:
        old = {"fields": {}, "partners": new.get("partners", {})}
    fields = [
        _field_change(doc_type, doc_type.field_labels, name, old["fields"].get(name), value, old, new, doc_type.model)
        for name, value in new["fields"].items()
        if _differs(old["fields"].get(name), value)
    ]
    lists = []
    for list_name, child_list in doc_type.lists.items():
        if list_name not in new:
            continue
        items = _diff_list(
            doc_type, child_list, old.get(list_name, []), new[list_name], old, new, child_list.numbered,
            doc_type.list_models.get(list_name),
        )
        if items:
            lists.append(ListChanges(child_list.label, items))
    return DocumentDiff(fields, lists)
