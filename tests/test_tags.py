"""Tags hold statuses of one to three words (GOV.UK tag guidance); what a status means, a date or
a version, is text beside the tag. Checked on the pages that show versions, reviews and tokens,
each in the state that draws every one of its tags."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from agreements.models import Agreement
from agreements.services.agreements import agreement_update
from governance.models import Board, TermsOfReference
from governance.services import terms_update
from partnerships.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

HARINGEY = "HARINGEY-S75-2017"
CHJCB = "Cambridgeshire Children's Health Joint Commissioning Board"
TAG = re.compile(r'<strong class="govuk-tag[^"]*"[^>]*>(.*?)</strong>', re.S)


def tags(html: str) -> list[str]:
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", tag)).split()) for tag in TAG.findall(html)]


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def pages(demo) -> dict[str, str]:
    """Each page's HTML with a review due, draft changes since a version and a revoked token."""
    soon = date.today() + timedelta(days=30)
    agreement = Agreement.objects.get(reference=HARINGEY)
    Agreement.objects.filter(pk=agreement.pk).update(review_due=soon)
    commissioner = get_user_model().objects.get(username="haringey-commissioner")
    agreement_update(agreement=agreement, document={"fields": {"title": f"{agreement.title} (draft)"}},
                     expected_edit_count=None, user=commissioner, reason="A draft change")
    board = Board.objects.get(name=CHJCB)
    terms = TermsOfReference.objects.get(board=board)
    TermsOfReference.objects.filter(pk=terms.pk).update(review_due=soon)
    terms_update(terms=TermsOfReference.objects.get(pk=terms.pk), document={"fields": {"quorum": "Four members"}},
                 expected_edit_count=None, reason="A draft change")
    token, _key = api_token_create(user=commissioner, name="Ledger")
    api_token_revoke(token=token)
    haringey, cambridgeshire = signed_in("haringey-commissioner"), signed_in("cambridgeshire-commissioner")
    urls = {
        "home": (haringey, "/"),
        "agreement": (haringey, f"/agreements/{HARINGEY}/"),
        "agreement history": (haringey, f"/agreements/{HARINGEY}/history/"),
        "schedule": (haringey, f"/agreements/{HARINGEY}/schedules/6/"),
        "budget table": (haringey, f"/agreements/{HARINGEY}/schedules/6/budget-lines/"),
        "activity": (haringey, f"/agreements/{HARINGEY}/activity/"),
        "api tokens": (haringey, "/account/api-tokens/"),
        "boards": (cambridgeshire, "/boards/"),
        "board": (cambridgeshire, f"/boards/{board.pk}/"),
        "terms": (cambridgeshire, f"/boards/{board.pk}/terms/"),
        "terms history": (cambridgeshire, f"/boards/{board.pk}/terms/history/"),
    }
    found = {}
    for name, (client, url) in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        found[name] = response.content.decode()
    return found


def test_every_tag_is_a_status_of_one_to_three_words(pages):
    for name, html in pages.items():
        for tag in tags(html):
            assert 1 <= len(tag.split()) <= 3, f"{name}: the tag “{tag}” holds a sentence"


def test_what_a_status_means_reads_beside_its_tag(pages):
    def text(html: str) -> str:
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())

    assert "Review due" in tags(pages["home"]) and "Review due within 90 days" in text(pages["home"])
    assert {"Version 1", "Draft changes"} <= set(tags(pages["agreement"]))
    assert "Draft changes since version 1" in text(pages["agreement"])
    assert "Draft changes since version 1" in text(pages["agreement history"])
    assert {"Version 1", "Draft changes", "Review due"} <= set(tags(pages["terms"]))
    assert "Version 1 approved 15 April 2014" in text(pages["terms"])
    assert "Draft changes since version 1, not approved yet" in text(pages["terms"])
    assert "Version 1 approved 15 April 2014 by" in text(pages["terms history"])
    assert "Review due within 90 days" in text(pages["board"])
    assert "Revoked" in tags(pages["api tokens"])
    assert re.search(r"Revoked \d{1,2} \w+ \d{4} \d\d:\d\d", text(pages["api tokens"]))
