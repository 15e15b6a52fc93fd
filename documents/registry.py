"""How an app tells the kernel about its versioned documents: one `DocumentType` each, registered once.

The kernel (diffing, the history pages) knows no agreement, schedule, board or budget. It works on
document dicts (``{"type": ..., "id": ..., "fields": {...}, <child lists>..., "partners": {...}}``)
and asks the registered `DocumentType` of the dict's ``"type"`` how to label, display and present
it. Each app registers its types in its ``AppConfig.ready()``::

    # governance/apps.py
    class GovernanceConfig(AppConfig):
        name = "governance"

        def ready(self) -> None:
            from documents.registry import register
            from governance.presenters import TERMS

            register(TERMS)

    # governance/presenters.py
    TERMS = DocumentType(
        kind="terms",  # the "type" of the dicts governance.snapshots.terms_snapshot writes
        present=present_terms, body_template="governance/includes/terms_body.html",
        agree_capability=Capability.APPROVE_TERMS,
        field_labels={"purpose": "Purpose and remit", "chair": "Chair", ...},
        lists={"duties": ListLabel("Duties"), "members": ListLabel("Members"), ...},
        item_field_labels={"label": "Label", "text": "Text", "role": "Role", ...},
        model=TermsOfReference, list_models={"duties": Duty, "members": Member, ...},
        display={"organisation_id": show_partner},
        hidden_item_keys=frozenset({"reports_to", "organisation"}),
        agreed_word="approved", agree_verb="approve", this_name="These terms of reference",
    )

A page about one document wraps it in a `VersionedDocument` (its type, the object, its name, its
URLs, how to agree and restore it) and passes that to the views of `documents.history_views`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse

if TYPE_CHECKING:
    from documents.models import Revision
    from partnerships.access import Capability

Display = Callable[[Any, dict[str, Any]], Any]  # (a stored value, the whole document dict) -> what a reader sees


@dataclass(frozen=True)
class ListLabel:
    """How one list of child rows in a document dict (``"outcomes": [{"id": 11, "text": ...}, ...]``) reads in a diff."""

    label: str  # "Outcomes": the heading of its changes
    numbered: bool = False  # whether its items are numbered, so a change says "Outcome 3"
    # How a change names one item (item, document dict) -> "Overspend"; by default the first of its
    # heading, risk, role, text or body (after its label, if it has one).
    name: Callable[[dict[str, Any], dict[str, Any]], str] | None = None


@dataclass(frozen=True)
class DocumentType:
    """Everything the kernel needs to know about one kind of versioned document."""

    kind: str  # the "type" key of its document dicts: "schedule", "agreement", "terms"
    present: Callable[[dict[str, Any]], dict[str, Any]]  # document dict -> the context `body_template` renders
    body_template: str  # the document's body, shared by its own page, its versions and "as it stood on"
    agree_capability: Capability  # who may agree a version of it, and restore an earlier state
    field_labels: Mapping[str, str] = field(default_factory=dict)  # "fields" key -> label; else the model's
    lists: Mapping[str, ListLabel] = field(default_factory=dict)  # child lists, in the order diffs list them
    item_field_labels: Mapping[str, str] = field(default_factory=dict)  # child-item key -> label; else the model's
    # The models the dict's values come from: `model` for "fields", `list_models` for each child list's items
    # (and "paragraphs" for an item's numbered sub-list). Diffs take from them what no mapping here says:
    # a key's label (the field's verbose_name), a choice's label ("In force", not "in_force") and a date as
    # people write it ("1 March 2017"). Keys are field names or attnames ("partner_id").
    model: type[models.Model] | None = None
    list_models: Mapping[str, type[models.Model]] = field(default_factory=dict)
    # How a value of a parent or item field reads, by key; wins over the model (blank and yes/no are the kernel's).
    display: Mapping[str, Display] = field(default_factory=dict)
    hidden_item_keys: frozenset[str] | set[str] = frozenset()  # item keys kept for pages, never diffed
    agreed_word: str = "agreed"  # "approved" for terms of reference
    agree_verb: str = "agree"  # "approve" for terms of reference
    this_name: str = "This document"  # "This schedule": starts a sentence about the document
    # Revision -> its snapshot rebuilt from django-simple-history's rows alone (`documents.history_as_of`),
    # which shows the snapshot is a view of those rows; None: not rebuildable.
    rebuild: Callable[[Revision], dict[str, Any]] | None = None
    # Document object -> the units its history shows together (`HistoryGroup`, e.g. an agreement's
    # variations), so the kernel draws them without knowing what they are; None: no groups.
    history_groups: Callable[[models.Model], list[HistoryGroup]] | None = None


@dataclass(frozen=True)
class HistoryEvent:
    """One dated step of a history group: "Proposed by …", "Test CCG agreed: Governing body, 3 May 2026 (GB/12)"."""

    when: datetime
    text: str


@dataclass(frozen=True)
class HistoryGroup:
    """Entries of one document's history that are a single unit, shown together on its history page.

    An agreement's variation is one: proposed, each party's decision, took effect. The owning app
    builds them (`DocumentType.history_groups`); the kernel only places and draws them.
    """

    key: str  # unique on the page: "variation-3"
    title: str  # "Variation 3: Add Schedule 7"
    url: str  # the unit's own page
    status: str  # "Agreed by every party", "Withdrawn"
    events: tuple[HistoryEvent, ...]  # oldest first
    anchor: datetime  # where the unit sits among the entries, newest first: its last event
    revision_ids: frozenset[int] = frozenset()  # this document's entries that belong to the unit
    version_ids: frozenset[int] = frozenset()  # this document's versions the unit made
    decisions: tuple[str, ...] = ()  # what made those versions: every decision, not only the last


_types: dict[str, DocumentType] = {}


def register(document_type: DocumentType) -> DocumentType:
    """Make `document_type` known by its kind; call it from the owning app's ``AppConfig.ready()``."""
    known = _types.get(document_type.kind)
    if known is not None and known is not document_type:
        raise ImproperlyConfigured(f"Document type {document_type.kind!r} is registered twice.")
    _types[document_type.kind] = document_type
    return document_type


def document_type(kind: str | None) -> DocumentType:
    """The registered type of documents whose dicts say ``"type": kind``."""
    try:
        return _types[kind]  # type: ignore[index]
    except KeyError:
        raise LookupError(
            f"No document type {kind!r} is registered: register it with documents.registry.register() "
            f"in its app's AppConfig.ready()."
        ) from None


@dataclass
class VersionedDocument:
    """One document on a history page: the object, its type, how to name it, its URLs, how to agree and restore it.

    Built by the URL's own view after fetching the object through the user's partner scope.
    """

    type: DocumentType
    obj: models.Model
    label: str  # "Schedule 6"
    title: str  # "Schedule 6 — Children's commissioned services"
    url_prefix: str  # url name prefix: "schedule", "agreement" or "terms"
    url_args: list[Any]
    # (*, decision, user, expected_revision) -> the new Version; None: never agreed (a board), no agree pages
    agree: Callable[..., Any] | None = None
    restore: Callable[..., Any] | None = None  # (*, revision, user, reason, expected_revision); None: cannot be restored
    # The trail above the page, (text, url) from the service's home down to the document itself;
    # the history page adds its own crumb ("History", "Compare", ...) after it.
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    # Further pages its history pages link to, (text, url): an agreement's activity across its schedules.
    related_links: list[tuple[str, str]] = field(default_factory=list)

    # What the type says, read where the pages and templates read it.
    @property
    def present(self) -> Callable[[dict[str, Any]], dict[str, Any]]:
        return self.type.present

    @property
    def body_template(self) -> str:
        return self.type.body_template

    @property
    def agree_capability(self) -> Capability:
        return self.type.agree_capability

    @property
    def agreed_word(self) -> str:
        return self.type.agreed_word

    @property
    def agree_verb(self) -> str:
        return self.type.agree_verb

    @property
    def this_name(self) -> str:
        return self.type.this_name

    def url(self, page: str, *extra: Any) -> str:
        name = self.url_prefix if page == "detail" else f"{self.url_prefix}_{page}"
        return reverse(name, args=[*self.url_args, *extra])

    # For templates, which cannot pass arguments.
    @property
    def detail_url(self) -> str:
        return self.url("detail")

    @property
    def history_url(self) -> str:
        return self.url("history")

    @property
    def compare_url(self) -> str:
        return self.url("compare")

    @property
    def as_of_url(self) -> str:
        return self.url("as_of")

    @property
    def agree_url(self) -> str:
        return self.url("agree")

    def compare_between_url(self, older_id: int, newer_id: int) -> str:
        return f"{self.compare_url}?older={older_id}&newer={newer_id}"

    def version_url(self, number: int) -> str:
        return self.url("version", number)

    def restore_url(self, revision_id: int) -> str:
        return self.url("restore", revision_id)
