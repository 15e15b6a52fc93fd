"""The agreement's dates and the terms of reference's review date are typed in the GOV.UK date
input (day, month, year), with its error messages naming the date, as every other date is."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from agreements.models import Agreement
from documents.revisions import latest_revision
from governance.models import Board, TermsOfReference
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

HARINGEY = "HARINGEY-S75-2017"
AGREEMENT_EDIT = f"/agreements/{HARINGEY}/edit/"
CHJCB = "Cambridgeshire Children's Health Joint Commissioning Board"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_agreement_dates_are_govuk_date_inputs(demo):
    client = signed_in("haringey-commissioner")
    page = client.get(AGREEMENT_EDIT)
    html = page.content.decode()
    assert 'type="date"' not in html
    for name, legend in (("dated", "Date of the agreement"), ("effective_from", "Effective from date"),
                         ("expires", "Expiry date"), ("review_due", "Review date")):
        assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>' in html
        for part in ("day", "month", "year"):
            assert f'name="{name}_{part}"' in html
    agreement = Agreement.objects.get(reference=HARINGEY)
    data = form_data(page)
    assert (data["dated_day"], data["dated_month"], data["dated_year"]) == (
        str(agreement.dated.day), str(agreement.dated.month), str(agreement.dated.year))

    before = latest_revision(agreement)
    refused = client.post(AGREEMENT_EDIT, {**data, "action": "save", "reason": "Dates",
                                           "expires_day": "31", "expires_month": "", "expires_year": "2030"})
    assert refused.status_code in (200, 400)  # shown again with its error
    assert '<a href="#id_expires_0">The expiry date must include a month</a>' in refused.content.decode()
    assert latest_revision(agreement) == before

    saved = client.post(AGREEMENT_EDIT, {**data, "action": "save", "reason": "Review brought forward",
                                         "review_due_day": "31", "review_due_month": "March", "review_due_year": "2027"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Agreement.objects.get(pk=agreement.pk).review_due == date(2027, 3, 31)
    assert Agreement.objects.get(pk=agreement.pk).dated == agreement.dated  # the other dates kept as they were


def test_the_terms_review_date_is_a_govuk_date_input(demo):
    board = Board.objects.get(name=CHJCB)
    url = f"/boards/{board.pk}/terms/edit/"
    client = signed_in("cambridgeshire-commissioner")
    page = client.get(url)
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Next review date</legend>' in page.content.decode()
    data = {**form_data(page), "reason": "Review date set"}
    refused = client.post(url, {**data, "review_due_day": "31", "review_due_month": "2", "review_due_year": "2027"})
    assert refused.status_code == 400
    assert "The next review date must be a real date, for example 14 1 2027" in refused.content.decode()
    saved = client.post(url, {**data, "review_due_day": "1", "review_due_month": "4", "review_due_year": "2027"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert TermsOfReference.objects.get(board=board).review_due == date(2027, 4, 1)
