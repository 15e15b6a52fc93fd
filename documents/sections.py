"""Editing a document one section at a time, as GOV.UK services do: the document's page is a
summary with a "Change" link per section, and each link opens a short page holding only that
section's fields and lists, with its own reason and conflict check.

A section page posts part of the document. The services already treat a partial document as
"leave the rest alone" (`apply_fields` skips missing fields, `sync_children` only the lists
given), so a section save is the same one revision, reason and edit-count check as the
whole-document editor, and the banner afterwards names what changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from documents.diffing import diff_documents
from documents.editing import EditPage, handle_edit_post, read_lists
from documents.item_lists import ItemList
from documents.revisions import latest_revision


@dataclass(frozen=True)
class Section:
    """A part of a document edited on a page of its own."""

    slug: str  # in the URL: /edit/<slug>/
    title: str  # "Aims of the services": the page's heading and the Change link's hidden text
    fields: tuple[str, ...] = ()  # form fields of the document's own row
    lists: tuple[str, ...] = ()  # item lists (children)
    fields_template: str = "documents/includes/section_fields.html"

    @property
    def is_one_list(self) -> bool:
        """A section that is one list and nothing else: the page's heading names it, so its legend is hidden."""
        return not self.fields and len(self.lists) == 1


def find_section(sections: Sequence[Section], slug: str) -> Section:
    for section in sections:
        if section.slug == slug:
            return section
    raise Http404("No such section")


def section_form_class(form_class: type[forms.Form], section: Section, keep: Sequence[str] = ("reason", "edit_count")):
    """`form_class` holding only the section's fields (and the reason and edit count): a model
    form validates and saves only the fields it holds, so the rest of the row is left alone."""
    wanted = {*section.fields, *keep}

    class SectionForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in [name for name in self.fields if name not in wanted]:
                del self.fields[name]

    SectionForm.__name__ = f"{form_class.__name__}For{section.slug.title().replace('-', '')}"
    return SectionForm


def section_specs(specs: dict[str, ItemList], section: Section) -> dict[str, ItemList]:
    return {name: specs[name] for name in section.lists}


def section_lists(lists: dict[str, list[dict[str, Any]]], section: Section) -> dict[str, list[dict[str, Any]]]:
    return {name: lists[name] for name in section.lists}


def count_fields(html: str) -> int:
    """Form controls a person can fill in on a rendered page (hidden inputs and buttons aside)."""
    controls = re.findall(r"<(input|select|textarea)\b([^>]*)>", html)
    return sum(1 for tag, attrs in controls if not (tag == "input" and re.search(r'type="(hidden|submit)"', attrs)))


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{number} {kind}" for kind, number in counts.items() if number)


def change_summary(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """What a save changed, in a sentence for the banner: "Title and Status changed; Aims: 1 added"."""
    diff = diff_documents(old, new)
    parts = []
    if diff.fields:
        labels = [change.label for change in diff.fields]
        parts.append((", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else labels[0]) + " changed")
    for changes in diff.lists:
        counts = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
        for item in changes.items:
            counts[item.kind] += 1
        parts.append(f"{changes.label}: {_counted(counts)}")
    return "; ".join(parts)


def saved_message(label: str, old: dict[str, Any] | None) -> Callable[[Any], str]:
    """The banner after a save: `label` ("Schedule 6"), what changed, and where the change is kept."""

    def message(revision) -> str:
        summary = change_summary(old, revision.snapshot)
        what = f" {summary}." if summary else ""
        return f"{label} saved.{what} The change is in the history."

    return message


@dataclass
class SectionPage:
    """Everything a document type tells the section flow: its form, lists and how to save."""

    doc_ref: Any  # documents.registry.VersionedDocument: label, title, breadcrumbs
    instance: Any
    form_class: type[forms.Form]
    specs: dict[str, ItemList]
    current_lists: Callable[[], dict[str, list[dict[str, Any]]]]  # the lists as stored, for the first view
    to_document: Callable[[Any, dict], dict[str, Any]]
    save: Callable[[Any, dict[str, Any]], Any]  # (form, document) -> the new revision
    document_url: str
    edit_all_url: str
    form_kwargs: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)


def edit_section(request: HttpRequest, page: SectionPage, section: Section) -> HttpResponse:
    """GET: the section's fields and lists as stored. POST: save them as one revision with its
    reason (or redraw with the user's input, the errors or the conflict), then back to the
    document with a banner naming what changed."""
    form_class = section_form_class(page.form_class, section)
    specs = section_specs(page.specs, section)
    context = {**page.context, "section": section, "doc_ref": page.doc_ref,
               "document_url": page.document_url, "edit_all_url": page.edit_all_url}
    template = "documents/section_edit.html"
    if request.method == "POST":
        form = form_class(request.POST, instance=page.instance, **page.form_kwargs)
        edit = EditPage(request, form, specs, read_lists(request, specs), template, context)
        before = latest_revision(page.instance)
        return handle_edit_post(
            edit, to_document=page.to_document, save=lambda document: page.save(form, document),
            success_url=page.document_url,
            success_message=saved_message(page.doc_ref.label, before.snapshot if before else None),
        )
    form = form_class(instance=page.instance, initial={"edit_count": page.instance.edit_count}, **page.form_kwargs)
    lists = section_lists(page.current_lists(), section) if section.lists else {}
    return EditPage(request, form, specs, lists, template, context).render()


def section_links(sections: Sequence[Section], url_name: str, args: Sequence[Any]) -> dict[str, str]:
    """Each section's "Change" address, keyed by its slug with underscores (for templates)."""
    return {section.slug.replace("-", "_"): reverse(url_name, args=[*args, section.slug]) for section in sections}
