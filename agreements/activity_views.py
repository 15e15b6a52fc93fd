"""The agreement's activity page: every change to it and to its documents, filtered, newest first."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from agreements.activity import SYSTEM, activity_documents, activity_revisions, activity_users, entry_url
from agreements.selectors import agreement_for
from documents.forms import GovukFormMixin
from documents.history_views import ENTRIES_PER_PAGE
from documents.models import RevisionKind


def _choice(label: str, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, error_messages={
        "invalid_choice": f"Choose {what} from the list: \u201c%(value)s\u201d is not one of them",
    })


class ActivityFilterForm(GovukFormMixin, forms.Form):
    document = _choice("Document", "a document")
    user = _choice("Made by", "a person")
    kind = _choice("Kind of change", "a kind of change")

    def __init__(self, *args, documents, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", "Every document"), *((d.key, d.label) for d in documents)]
        self.fields["user"].choices = [
            ("", "Anyone"), *((str(u.pk), u.get_full_name() or u.username) for u in users), (SYSTEM, "The system"),
        ]
        self.fields["kind"].choices = [("", "Any kind"), *RevisionKind.choices]


@login_required
def agreement_activity(request, reference: str):
    agreement = agreement_for(request.user, reference)
    documents = activity_documents(agreement, request.user)
    form = ActivityFilterForm(request.GET or None, documents=documents, users=activity_users(documents))
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    by_key = {document.key: document for document in documents}
    revisions = activity_revisions(
        documents, document=by_key.get(chosen.get("document", "")), user=chosen.get("user") or None,
        kind=chosen.get("kind") or None,
    )
    page = Paginator(revisions, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    by_object = {(document.content_type_id, document.object_id): document for document in documents}
    rows = []
    for revision in page.object_list:
        document = by_object[(revision.content_type_id, revision.object_id)]
        rows.append({"entry": revision, "document": document, "url": entry_url(document, revision)})
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "agreements/agreement_activity.html", {
        "agreement": agreement, "form": form, "rows": rows, "page": page, "filters": filters.urlencode(),
        "filtered": any(chosen.values()),
    })
