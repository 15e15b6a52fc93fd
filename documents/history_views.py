"""History, compare, agreed versions, "as it stood on", agree and restore, for any versioned document.

Each function takes the request and a `documents.registry.VersionedDocument` that the owning app
has already fetched through the user's partner scope, so an outsider never gets this far. An app
lists the pages with `history_urlpatterns`, giving the loader that does that fetching. The
templates are under templates/documents/history/.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone

from documents.agree_forms import AgreeForm
from documents.diffing import diff_documents
from documents.forms import DATE_PARTS, GovukDateField, GovukFormMixin
from documents.models import Decision, Revision
from documents.registry import HistoryGroup, VersionedDocument
from documents.revisions import agreed_state, latest_revision, revision_as_of, revisions_of, versions_of
from documents.services import EditConflict, NothingChanged
from partnerships.access import can, require

ENTRIES_PER_PAGE = 20


def _context(doc: VersionedDocument, agreed: tuple | None = None, **extra):
    version, draft = agreed if agreed is not None else agreed_state(doc.obj)
    return {
        "doc_ref": doc, "version": version, "draft": draft,
        "can_agree": False, "can_restore": False, **extra,
    }


def _may_agree(user, doc: VersionedDocument) -> bool:
    """Whether `user` may agree a version of `doc`: never for a document that is not agreed (a board)."""
    return doc.agree is not None and can(user, doc.agree_capability)


def history(request, doc: VersionedDocument):
    # Snapshots are read only for diffs not already in the cache (see _diffs).
    revisions = revisions_of(doc.obj).select_related("user").defer("snapshot")
    page = Paginator(revisions, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    before = None
    if entries:
        oldest = entries[-1]
        before = revisions.filter(
            Q(created_at__lt=oldest.created_at) | Q(created_at=oldest.created_at, id__lt=oldest.id)
        ).first()
    versions_by_revision: dict[int, list] = {}
    versions = versions_of(doc.obj).filter(revision__in=[e.pk for e in entries]).defer("revision__snapshot")
    for version in versions:
        version.url = doc.version_url(version.number)
        versions_by_revision.setdefault(version.revision_id, []).append(version)
    pairs = [(entries[index + 1] if index + 1 < len(entries) else before, entry) for index, entry in enumerate(entries)]
    diffs = _diffs(pairs)
    rows = []
    for older, entry in pairs:
        rows.append({
            "entry": entry,
            "diff": diffs[entry.pk],
            "versions": versions_by_revision.get(entry.pk, []),
            "previous_id": older.pk if older else None,
            "restore_url": doc.restore_url(entry.pk),
        })
    # The chooser offers this page's entries and the agreed versions; the compare page lists all.
    on_page = [entry.pk for entry in entries] + ([before.pk] if before else [])
    agreed = agreed_state(doc.obj)
    upper = entries[0].created_at if entries and page.number > 1 else None
    items = _grouped(rows, _history_groups(doc), lower=before.created_at if before else None, upper=upper)
    return render(request, "documents/history/history.html", _context(
        doc, agreed, rows=rows, items=items, page=page, compare_choices=_compare_choices(doc, include=on_page),
        can_restore=doc.restore is not None and can(request.user, doc.agree_capability), can_agree=_may_agree(request.user, doc),
        latest_id=entries[0].pk if entries and page.number == 1 else None,
    ))


def _history_groups(doc: VersionedDocument) -> list[HistoryGroup]:
    return doc.type.history_groups(doc.obj) if doc.type.history_groups is not None else []


def _grouped(rows: list[dict], groups: list[HistoryGroup], *, lower, upper) -> list[dict]:
    """The page's rows with each group's rows gathered under it, newest first.

    A group is on every page holding one of its entries; one holding none of this document's entries
    (a variation withdrawn before anything was edited in it) is on the page whose span of dates holds
    its last event, (`lower`, `upper`], the first page having no `upper` and the last no `lower`.
    """
    by_revision = {pk: group for group in groups for pk in group.revision_ids}
    gathered: dict[str, list[dict]] = {}
    items: list[dict] = []
    for row in rows:
        group = by_revision.get(row["entry"].pk)
        if group is None:
            items.append({"row": row, "when": row["entry"].created_at})
            continue
        for version in row["versions"]:
            if version.pk in group.version_ids:
                version.all_decisions = group.decisions
        gathered.setdefault(group.key, []).append(row)
    for group in groups:
        found = gathered.get(group.key)
        in_span = (lower is None or group.anchor > lower) and (upper is None or group.anchor <= upper)
        if found is None and (group.revision_ids or not in_span):
            continue
        newest = max([group.anchor, *(row["entry"].created_at for row in found or [])])
        items.append({"group": group, "rows": found or [], "when": newest})
    items.sort(key=lambda item: item["when"], reverse=True)
    return items


def version_label(version, agreed_word: str = "agreed") -> str:
    """ "Version 2, agreed 14 March 2019 by Cabinet Member Signing (CMS/12)": a version by its decision."""
    decision = version.decision
    by = f"{decision.body} ({decision.reference})" if decision.reference else decision.body
    return f"Version {version.number}, {agreed_word} {decision.decided_on:%-d %B %Y} by {by}"


def _compare_choices(doc: VersionedDocument, include: list[int] | None = None) -> list[tuple[int, str]]:
    """(revision id, label) for the compare selects: every entry, or `include` and the agreed versions.

    Each label is whole: when, who and the full reason, an agreed version first named by its decision.
    """
    version_labels = {
        v.revision_id: version_label(v, doc.agreed_word)
        for v in versions_of(doc.obj).select_related(None).select_related("decision").only(
            "revision_id", "number", "decision__body", "decision__reference", "decision__decided_on",
        )
    }
    choices = []
    revisions = revisions_of(doc.obj)
    if include is not None:
        revisions = revisions.filter(pk__in=[*include, *version_labels])
    entries = revisions.values_list(
        "pk", "created_at", "reason", "user__username", "user__first_name", "user__last_name"
    )  # plain tuples: a long history lists hundreds of entries here
    for pk, created_at, reason, username, first_name, last_name in entries:
        who = (f"{first_name} {last_name}".strip() or username) if username is not None else "the system"
        label = f"{timezone.localtime(created_at):%-d %B %Y, %H:%M}, {who}: {reason}"
        if pk in version_labels:
            label = f"{version_labels[pk]}. Entry of {label}"
        choices.append((pk, label))
    return choices


DIFF_CACHE_SECONDS = 7 * 24 * 3600


def _diffs(pairs) -> dict[int, object]:
    """The diff of each (older, entry) pair of revisions, by entry id, from the cache where it is.

    The revisions come without their snapshots; only those of uncached pairs are read, at once.

    A revision's snapshot never changes once written, so the diff between two revisions never
    changes either; keys carry both revisions' ids and dates, so ids reused after a rollback
    (SQLite in tests) never meet a stale diff.
    """
    keys = {
        entry.pk: f"s75:history-diff:v3:{older.pk if older else 0}:{older.created_at.timestamp() if older else 0}:"
                  f"{entry.pk}:{entry.created_at.timestamp()}"
        for older, entry in pairs
    }
    found = cache.get_many(list(keys.values()))
    uncached = [(older, entry) for older, entry in pairs if keys[entry.pk] not in found]
    needed = {r.pk for pair in uncached for r in pair if r is not None}
    snapshots = dict(Revision.objects.filter(pk__in=needed).values_list("pk", "snapshot")) if needed else {}
    diffs, missing = {}, {}
    for older, entry in pairs:
        diff = found.get(keys[entry.pk])
        if diff is None:
            diff = diff_documents(snapshots[older.pk] if older else None, snapshots[entry.pk])
            missing[keys[entry.pk]] = diff
        diffs[entry.pk] = diff
    if missing:
        cache.set_many(missing, DIFF_CACHE_SECONDS)
    return diffs


class CompareForm(GovukFormMixin, forms.Form):
    older = forms.TypedChoiceField(label="Compare", coerce=int, widget=forms.Select(attrs={"class": "govuk-!-width-full"}), error_messages={
        "required": "Select the entry to compare", "invalid_choice": "Select the entry to compare from the list"})
    newer = forms.TypedChoiceField(label="With", coerce=int, widget=forms.Select(attrs={"class": "govuk-!-width-full"}), error_messages={
        "required": "Select the entry to compare it with",
        "invalid_choice": "Select the entry to compare it with from the list"})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["older"].choices = choices
        self.fields["newer"].choices = choices


def compare(request, doc: VersionedDocument):
    choices = _compare_choices(doc)
    if not choices:
        raise Http404("Nothing recorded yet.")
    version, _ = agreed_state(doc.obj)
    initial = {"older": version.revision_id if version else choices[-1][0], "newer": choices[0][0]}
    form = CompareForm(request.GET or None, choices=choices, initial=initial)
    older_id, newer_id = initial["older"], initial["newer"]
    if form.is_bound and form.is_valid():
        older_id, newer_id = form.cleaned_data["older"], form.cleaned_data["newer"]
    pair = {r.pk: r for r in revisions_of(doc.obj).filter(pk__in=[older_id, newer_id]).select_related("user")}
    older, newer = pair[older_id], pair[newer_id]
    if (older.created_at, older.pk) > (newer.created_at, newer.pk):
        older, newer = newer, older
    return render(request, "documents/history/compare.html", _context(
        doc, form=form, older=older, newer=newer, diff=diff_documents(older.snapshot, newer.snapshot),
        older_label=dict(choices)[older.pk], newer_label=dict(choices)[newer.pk],
        can_agree=_may_agree(request.user, doc), newer_is_latest=newer.pk == choices[0][0],
    ))


def version_view(request, doc: VersionedDocument, number: int):
    version = versions_of(doc.obj).filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    group = next((g for g in _history_groups(doc) if version.pk in g.version_ids), None)
    return render(request, "documents/history/document_state.html", _context(
        doc, state=doc.present(version.revision.snapshot), shown_version=version, revision=version.revision,
        shown_group=group,
    ))


class AsOfForm(GovukFormMixin, forms.Form):
    date = GovukDateField(label="Date", help_text="For example, 31 1 2019. The page shows the document as it stood "
                                                  "at the end of that day.")


def _as_of_query(query) -> dict[str, str] | None:
    """The date asked for, as the date input's three boxes post it; a link's ?date=YYYY-MM-DD reads
    as those boxes too, so addresses written before the date input keep working."""
    if not query:
        return None
    if "date" not in query or any(f"date_{part}" in query for part in DATE_PARTS):
        return query
    try:
        chosen = date.fromisoformat(query["date"])
    except ValueError:  # shown back as typed, with the date input's "must be a real date"
        return {f"date_{part}": query["date"] for part in DATE_PARTS}
    return {"date_day": str(chosen.day), "date_month": str(chosen.month), "date_year": str(chosen.year)}


def as_of(request, doc: VersionedDocument):
    form = AsOfForm(_as_of_query(request.GET))
    state = revision = None
    on: date | None = None
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["date"]
        revision = revision_as_of(doc.obj, timezone.make_aware(datetime.combine(on, time.max)))
        state = doc.present(revision.snapshot) if revision else None
    return render(request, "documents/history/document_state.html", _context(
        doc, form=form, state=state, revision=revision, as_of_date=on, as_of_page=True,
    ))


class ShownRevisionForm(forms.Form):
    """The revision an agree or restore page showed, carried in a hidden field: the POST acts only on it."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _shown_revision(request, doc: VersionedDocument, action: str) -> tuple[Revision | None, list[dict[str, str]]]:
    """The revision of this document the posted form carried, or the error that says it carried none."""
    form = ShownRevisionForm(request.POST)
    revision_id = form.cleaned_data["revision"] if form.is_valid() else None
    shown = revisions_of(doc.obj).filter(pk=revision_id).first() if revision_id is not None else None
    if shown is not None:
        return shown, []
    return None, [{"anchor": "reviewed", "message": (
        "This page was sent without saying which state you reviewed, so nothing was recorded. "
        f"Check the changes shown below, then {action} again."
    )}]


def _moved_on(doc: VersionedDocument, shown: Revision, latest: Revision | None, action: str) -> dict:
    """What the page says when the document changed after the user opened it: who, when, why, and the diff."""
    if latest is None:  # cannot happen while revisions are never deleted
        latest = shown
    who = (latest.user.get_full_name() or latest.user.username) if latest.user else "the system"
    when = f"{timezone.localtime(latest.created_at):%H:%M on %-d %B %Y}"
    message = (
        f"{doc.this_name} changed after you opened this page: {who} saved at {when} (\u201c{latest.reason}\u201d). "
        f"Check the new changes, then {action} again."
    )
    return {
        "message": message, "shown": shown, "latest": latest,
        "diff": diff_documents(shown.snapshot, latest.snapshot),
        "compare_url": doc.compare_between_url(shown.pk, latest.pk),
    }


def agree(request, doc: VersionedDocument):
    require(request.user, doc.agree_capability)
    if doc.agree is None:
        raise Http404("This document is not agreed.")
    decisions = Decision.objects.filter(
        versions__content_type__model=doc.obj._meta.model_name, versions__object_id=doc.obj.pk
    ).distinct()
    choose = AgreeForm(request.POST or None, decisions=decisions)
    current = latest_revision(doc.obj)  # what the page shows, and what the form will carry
    errors: list[dict[str, str]] = []
    moved_on = None
    if request.method == "POST":
        shown, errors = _shown_revision(request, doc, doc.agree_verb)
        decision = choose.decision()
        if shown is not None and decision is not None:
            try:
                version = doc.agree(decision=decision, user=request.user, expected_revision=shown.pk)
            except EditConflict as conflict:
                moved_on = _moved_on(doc, shown, conflict.revision, doc.agree_verb)
                errors = [{"anchor": "changed-since-opened", "message": moved_on["message"]}]
                current = moved_on["latest"]
            except ValidationError as error:
                errors = [{"anchor": "", "message": m} for m in error.messages]
            else:
                messages.success(request, f"{doc.label} is now version {version.number}, {doc.agreed_word} by {version.decision}.")
                return redirect(doc.url("detail"))
    version, draft = agreed_state(doc.obj)
    return render(request, "documents/history/agree.html", _context(
        doc, (version, draft), form=choose, choose=choose, extra_errors=choose.summary_errors() + errors, current=current,
        moved_on=moved_on, **_reviewing(doc, version, current),
    ), status=400 if request.method == "POST" else 200)


def _reviewing(doc: VersionedDocument, version, current: Revision | None) -> dict:
    """What the agree page shows of the state being agreed: its diff since the last version, or all of it."""
    if current is None:
        return {}
    if version is None:
        return {"state": doc.present(current.snapshot)}
    return {
        "diff": diff_documents(version.revision.snapshot, current.snapshot),
        "reviewed_compare_url": doc.compare_between_url(version.revision_id, current.pk),
    }


class RestoreForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for restoring", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason for restoring this entry"},
    )


def restore(request, doc: VersionedDocument, revision_id: int):
    require(request.user, doc.agree_capability)
    if doc.restore is None:
        raise Http404("This document cannot be restored.")
    target = revisions_of(doc.obj).filter(pk=revision_id).first()
    current = revisions_of(doc.obj).first()  # what the page shows, and what the form will carry
    if target is None or current is None:
        raise Http404("No such entry.")
    form = RestoreForm(request.POST or None)
    errors: list[dict[str, str]] = []
    moved_on = None
    if request.method == "POST":
        shown, errors = _shown_revision(request, doc, "restore")
        if shown is not None and form.is_valid():
            try:
                doc.restore(
                    revision=target, user=request.user, reason=form.cleaned_data["reason"], expected_revision=shown.pk,
                )
            except EditConflict as conflict:
                moved_on = _moved_on(doc, shown, conflict.revision, "restore")
                errors = [{"anchor": "changed-since-opened", "message": moved_on["message"]}]
                current = moved_on["latest"]
            except NothingChanged:
                errors = [{"anchor": "", "message": "The document already reads exactly as that entry."}]
            except ValidationError as error:
                errors = [{"anchor": "", "message": m} for m in error.messages]
            else:
                messages.success(request, f"{doc.label} restored. The restore is a new entry in its history.")
                return redirect(doc.url("history"))
    return render(request, "documents/history/restore.html", _context(
        doc, form=form, target=target, diff=diff_documents(current.snapshot, target.snapshot), extra_errors=errors,
        current=current, moved_on=moved_on,
    ), status=400 if request.method == "POST" else 200)


def history_urlpatterns(
    route: str, prefix: str, load: Callable[..., VersionedDocument], *, agreed: bool = True,
    agree_route: str | None = "agree/",
) -> list[URLPattern]:
    """The history pages of one document type, for its app's urls.py.

    `route` is the document's own path ("boards/<int:pk>/terms/"), `prefix` its URL names' prefix
    (`VersionedDocument.url_prefix`: "terms" gives terms_history, terms_compare, terms_as_of,
    terms_restore, terms_version, terms_agree) and `load(request, **route_kwargs)` returns the
    document the signed-in user may see, raising Http404 otherwise. A type that is never agreed
    (`agreed=False`, a board) has no version or agree pages; one agreed otherwise than by the agree
    page (`agree_route=None`: an agreement's documents, agreed by a variation of every party) has
    version pages but no agree page.
    """
    def page(view: Callable[..., Any], *passed: str):
        @login_required
        def handle(request, **kwargs):
            values = [kwargs.pop(name) for name in passed]  # the page's own part of the path
            return view(request, load(request, **kwargs), *values)
        handle.__name__ = f"{prefix}_{view.__name__}"
        return handle

    patterns = [
        path(f"{route}history/", page(history), name=f"{prefix}_history"),
        path(f"{route}compare/", page(compare), name=f"{prefix}_compare"),
        path(f"{route}as-of/", page(as_of), name=f"{prefix}_as_of"),
        path(f"{route}restore/<int:revision>/", page(restore, "revision"), name=f"{prefix}_restore"),
    ]
    if agreed:
        patterns += [
            path(f"{route}versions/<int:version>/", page(version_view, "version"), name=f"{prefix}_version"),
        ]
    if agreed and agree_route is not None:
        patterns.append(path(f"{route}{agree_route}", page(agree), name=f"{prefix}_agree"))
    return patterns

