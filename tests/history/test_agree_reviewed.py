"""Agree (approve) and restore only what the user reviewed: the form carries the revision its page
showed, and the service refuses, under the row lock, when the document has moved on since."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from agreements.models import Agreement, Schedule
from agreements.services.agreements import agreement_restore, agreement_update
from agreements.services.schedules import schedule_restore, schedule_update
from documents.models import Decision, Revision, RevisionKind
from documents.revisions import latest_revision, revisions_of, versions_of
from documents.services import EditConflict, document_agree
from governance.models import Board, TermsOfReference, TermsStatus
from governance.services import terms_restore, terms_update
from governance.views import terms_document
from partnerships.models import Partner, Profile, Role
from tests.history.conftest import AGREEMENT_URL, HARINGEY, SCHEDULE_URL

pytestmark = pytest.mark.django_db

CHJCB = "Cambridgeshire Children's Health Joint Commissioning Board"
MISSING = "This page was sent without saying which state you reviewed, so nothing was recorded."


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def hidden_revision(response) -> int:
    """The revision id the page's form carries."""
    return int(re.search(r'<input type="hidden" name="revision" value="(\d+)">', response.content.decode()).group(1))


def who_when(revision: Revision) -> str:
    user = revision.user
    return f"{user.get_full_name() or user.username} saved at {timezone.localtime(revision.created_at):%H:%M on %-d %B %Y}"


# ----------------------------------------------------------------------------- the three documents


@dataclass(frozen=True)
class Case:
    """One kind of versioned document, as the agree and restore pages see it."""

    name: str
    legal: str
    editor: str
    this_name: str  # how the refusal starts: "This schedule"
    verb: str  # "agree" or "approve"
    get: Callable[[], models.Model]
    url: Callable[[], str]  # the document's page
    agree_path: str
    edit: Callable[[models.Model, object, str], Revision]  # (document, user, reason) → its new revision
    restore: Callable[..., Revision]

    def agree_url(self) -> str:
        return self.url() + self.agree_path

    def restore_url(self, revision: Revision) -> str:
        return f"{self.url()}restore/{revision.pk}/"


def _edit_schedule(schedule, user, reason):
    return schedule_update(schedule=schedule, document={"fields": {"pool_manager": reason}},
                           expected_edit_count=None, user=user, reason=reason)


def _edit_agreement(agreement, user, reason):
    title = f"{Agreement.objects.get(pk=agreement.pk).title} ({reason})"
    return agreement_update(agreement=agreement, document={"fields": {"title": title}},
                            expected_edit_count=None, user=user, reason=reason)


def _edit_terms(terms, user, reason):
    return terms_update(terms=terms, document={"fields": {"quorum": reason}},
                        expected_edit_count=None, user=user, reason=reason)


CASES = {
    "schedule": Case(
        "schedule", "haringey-legal", "haringey-commissioner", "This schedule", "agree",
        lambda: Schedule.objects.select_related("agreement").get(agreement__reference=HARINGEY, number=6),
        lambda: SCHEDULE_URL, "agree/", _edit_schedule,
        lambda doc, **kw: schedule_restore(schedule=doc, **kw),
    ),
    "agreement": Case(
        "agreement", "haringey-legal", "haringey-commissioner", "This agreement", "agree",
        lambda: Agreement.objects.get(reference=HARINGEY),
        lambda: AGREEMENT_URL, "agree/", _edit_agreement,
        lambda doc, **kw: agreement_restore(agreement=doc, **kw),
    ),
    "terms": Case(
        "terms", "cambridgeshire-legal", "cambridgeshire-commissioner", "These terms of reference", "approve",
        lambda: TermsOfReference.objects.select_related("board").get(board__name=CHJCB),
        lambda: f"/boards/{Board.objects.get(name=CHJCB).pk}/terms/", "approve/", _edit_terms,
        lambda doc, **kw: terms_restore(terms=doc, **kw),
    ),
}


@pytest.fixture
def cambridgeshire_legal(demo):
    user = get_user_model().objects.create_user(
        "cambridgeshire-legal", password="test-password-2026", first_name="Ruth", last_name="Ellis"
    )
    user.groups.add(Group.objects.get_or_create(name=Role.LEGAL_OFFICER.value)[0])
    Profile.objects.create(user=user, partner=Partner.objects.get(code="E10000003"))
    return user


@pytest.fixture(params=list(CASES))
def case(request, demo, cambridgeshire_legal) -> Case:
    return CASES[request.param]


# Agreements and schedules bind every party: they are agreed by a variation (tests/variations), so
# the single agree page is the terms' alone (one board approves them).
@pytest.fixture(params=["terms"])
def agree_case(request, demo, cambridgeshire_legal) -> Case:
    return CASES[request.param]


def decision_post(revision_id=None, **extra) -> dict:
    data = {
        "choose-source": "new", "decision-body": "Cabinet Member Signing",
        "decision-decided_on_day": "1", "decision-decided_on_month": "4", "decision-decided_on_year": "2026",
        "decision-reference": "CMS-2026-04", **extra,
    }
    if revision_id is not None:
        data["revision"] = str(revision_id)
    return data


def written(obj) -> tuple[int, int, int]:
    """What an agree or restore writes: revisions, versions and decisions."""
    return revisions_of(obj).count(), versions_of(obj).count(), Decision.objects.count()


# ----------------------------------------------------------------------------- services


def test_document_agree_refuses_a_document_that_moved_on_and_writes_nothing(schedule6, user):
    commissioner = user("haringey-commissioner")
    reviewed = _edit_schedule(schedule6, commissioner, "Reviewed by legal")
    newer = _edit_schedule(schedule6, commissioner, "Saved after legal opened the page")
    before = written(schedule6)
    with pytest.raises(EditConflict) as refused:
        document_agree(document=schedule6, decision=Decision(body="Cabinet", decided_on="2026-04-01"),
                       user=user("haringey-legal"), expected_revision=reviewed.pk)
    assert refused.value.revision == newer
    assert written(schedule6) == before

    version = document_agree(document=schedule6, decision=Decision(body="Cabinet", decided_on="2026-04-01"),
                             user=user("haringey-legal"), expected_revision=newer)  # a Revision works too
    assert (version.number, version.revision_id) == (2, newer.pk)


@pytest.mark.parametrize("name", list(CASES))
def test_restore_refuses_a_document_that_moved_on_and_writes_nothing(name, demo, cambridgeshire_legal):
    case = CASES[name]
    doc, editor = case.get(), get_user_model().objects.get(username=case.editor)
    target = revisions_of(doc).last()
    seen = case.edit(doc, editor, "Seen on the restore page")
    newer = case.edit(doc, editor, "Saved after the restore page was opened")
    before = written(doc)
    with pytest.raises(EditConflict) as refused:
        case.restore(doc, revision=target, user=cambridgeshire_legal, reason="Back", expected_revision=seen.pk)
    assert refused.value.revision == newer
    assert written(doc) == before
    assert latest_revision(doc) == newer

    restored = case.restore(doc, revision=target, user=cambridgeshire_legal, reason="Back", expected_revision=newer.pk)
    assert restored.kind == RevisionKind.RESTORED
    kept = {"reference", "status", "number"}  # what a restore leaves as it stands
    assert {k: v for k, v in restored.snapshot["fields"].items() if k not in kept} == {
        k: v for k, v in target.snapshot["fields"].items() if k not in kept
    }


def test_approving_draft_terms_that_moved_on_writes_not_even_the_status(demo, cambridgeshire_legal):
    terms = CASES["terms"].get()
    commissioner = get_user_model().objects.get(username="cambridgeshire-commissioner")
    reviewed = terms_update(terms=terms, document={"fields": {"status": TermsStatus.DRAFT}}, expected_edit_count=None,
                            user=commissioner, reason="Back to draft for the review")
    _edit_terms(terms, commissioner, "Five members")
    before = written(terms)
    approve = terms_document(terms).agree
    with pytest.raises(EditConflict):
        approve(decision=Decision(body="CHJCB", decided_on=date(2026, 11, 20)), user=cambridgeshire_legal,
                expected_revision=reviewed.pk)
    assert written(terms) == before
    terms.refresh_from_db()
    assert terms.status == TermsStatus.DRAFT

    version = approve(decision=Decision(body="CHJCB", decided_on=date(2026, 11, 20)), user=cambridgeshire_legal,
                      expected_revision=latest_revision(terms).pk)
    terms.refresh_from_db()
    assert terms.status == TermsStatus.APPROVED
    assert version.revision.snapshot["fields"]["quorum"] == "Five members"


# ----------------------------------------------------------------------------- the agree page


def test_the_agree_page_shows_and_carries_the_revision_being_agreed(agree_case, client_for):
    doc = agree_case.get()
    latest = agree_case.edit(doc, get_user_model().objects.get(username=agree_case.editor), "Wording for legal to check")
    response = client_for(agree_case.legal).get(agree_case.agree_url())
    assert response.status_code == 200
    assert hidden_revision(response) == latest.pk
    page = text_of(response)
    reviewed = page.split("What you are", 1)[1]
    assert "“Wording for legal to check”" in reviewed
    version = versions_of(doc).order_by("-number").first()
    assert f"Changes since version {version.number}" in reviewed
    assert "Wording for legal to check" in reviewed.split("Changes since", 1)[1]  # the edited value, in the diff
    assert f'href="{agree_case.url()}compare/?older={version.revision_id}&amp;newer={latest.pk}"' in response.content.decode()


def test_a_stale_agree_is_refused_with_who_when_why_and_a_link_then_a_fresh_one_works(agree_case, client_for):
    doc = agree_case.get()
    editor = get_user_model().objects.get(username=agree_case.editor)
    agree_case.edit(doc, editor, "Wording for legal to check")
    legal = client_for(agree_case.legal)
    shown = hidden_revision(legal.get(agree_case.agree_url()))
    newer = agree_case.edit(doc, editor, "Late change")
    before = written(doc)

    response = legal.post(agree_case.agree_url(), decision_post(shown))
    assert response.status_code == 400
    page = text_of(response)
    assert (
        f"{agree_case.this_name} changed after you opened this page: {who_when(newer)} (“Late change”). "
        f"Check the new changes, then {agree_case.verb} again."
    ) in page
    assert "There is a problem" in page and "Nothing was recorded." in page
    assert f'href="{agree_case.url()}compare/?older={shown}&amp;newer={newer.pk}"' in response.content.decode()
    assert "Changed after you opened this page" in page and "Late change" in page.split("Changed after you opened", 1)[1]
    assert written(doc) == before
    assert hidden_revision(response) == newer.pk  # the page now shows, and carries, the new state

    response = legal.post(agree_case.agree_url(), decision_post(hidden_revision(response)))
    assert response.status_code == 302, text_of(response)[:2000]
    version = versions_of(doc).order_by("-number").first()
    assert version.revision_id == newer.pk


@pytest.mark.parametrize("value", [None, "", "not-a-number", "foreign"])
def test_an_agree_without_the_reviewed_revision_is_refused_clearly(agree_case, client_for, value):
    doc = agree_case.get()
    agree_case.edit(doc, get_user_model().objects.get(username=agree_case.editor), "Wording for legal to check")
    if value == "foreign":  # a revision of another document
        value = revisions_of(CASES["terms" if agree_case.name != "terms" else "schedule"].get()).first().pk
    before = written(doc)
    data = decision_post()
    if value is not None:
        data["revision"] = value
    response = client_for(agree_case.legal).post(agree_case.agree_url(), data)
    assert response.status_code == 400
    page = text_of(response)
    assert f"{MISSING} Check the changes shown below, then {agree_case.verb} again." in page
    assert 'href="#reviewed"' in response.content.decode()
    assert written(doc) == before


# ----------------------------------------------------------------------------- the restore page


def test_a_stale_restore_is_refused_then_a_fresh_one_works(case, client_for):
    doc = case.get()
    editor = get_user_model().objects.get(username=case.editor)
    target = revisions_of(doc).last()
    seen = case.edit(doc, editor, "Seen on the restore page")
    legal = client_for(case.legal)
    response = legal.get(case.restore_url(target))
    assert hidden_revision(response) == seen.pk
    assert "“Seen on the restore page”" in text_of(response)
    newer = case.edit(doc, editor, "Late change")
    before = written(doc)

    response = legal.post(case.restore_url(target), {"reason": "Back to the original", "revision": str(seen.pk)})
    assert response.status_code == 400
    page = text_of(response)
    assert (
        f"{case.this_name} changed after you opened this page: {who_when(newer)} (“Late change”). "
        "Check the new changes, then restore again."
    ) in page
    assert f'href="{case.url()}compare/?older={seen.pk}&amp;newer={newer.pk}"' in response.content.decode()
    assert written(doc) == before
    assert hidden_revision(response) == newer.pk

    response = legal.post(case.restore_url(target), {"reason": "Back to the original", "revision": str(newer.pk)})
    assert response.status_code == 302
    restored = latest_revision(doc)
    assert (restored.kind, restored.reason) == (RevisionKind.RESTORED, "Back to the original")


def test_a_restore_without_the_revision_it_showed_is_refused_clearly(case, client_for):
    doc = case.get()
    case.edit(doc, get_user_model().objects.get(username=case.editor), "Something to undo")
    target = revisions_of(doc).last()
    before = written(doc)
    response = client_for(case.legal).post(case.restore_url(target), {"reason": "Back to the original"})
    assert response.status_code == 400
    assert f"{MISSING} Check the changes shown below, then restore again." in text_of(response)
    assert written(doc) == before
