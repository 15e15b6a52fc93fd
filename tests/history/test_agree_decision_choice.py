"""The agree page asks which decision agreed the document with GOV.UK radios and a conditional
reveal: a decision already recorded (its own radios) or a new decision (its fields). Only the chosen
branch is read and checked; every error names its field and links to an input on the page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape

from documents.agree_forms import AgreeForm
from documents.models import Decision
from documents.revisions import versions_of
from tests.history.test_agree_reviewed import (  # noqa: F401 (cambridgeshire_legal is a fixture)
    CASES,
    cambridgeshire_legal,
    hidden_revision,
    text_of,
    written,
)

pytestmark = pytest.mark.django_db

TERMS = CASES["terms"]


@pytest.fixture
def page(demo, client_for, request):
    """The terms' approve page after an edit, as Cambridgeshire's legal officer opens it."""
    request.getfixturevalue("cambridgeshire_legal")
    doc = TERMS.get()
    TERMS.edit(doc, get_user_model().objects.get(username=TERMS.editor), "Quorum agreed at the away day")
    legal = client_for(TERMS.legal)
    return legal, legal.get(TERMS.agree_url())


def recorded_decisions():
    doc = TERMS.get()
    return Decision.objects.filter(versions__content_type__model=doc._meta.model_name,
                                   versions__object_id=doc.pk).distinct()


def summary_links(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">', summary)


def test_the_choice_is_govuk_radios_revealing_the_recorded_decisions_or_the_new_decision(page):
    legal, response = page
    html = response.content.decode()
    assert '<select name="choose-existing"' not in html and "Choose a recorded decision" not in html
    radios = html.split('data-testid="decision-source"', 1)[1]
    assert 'data-module="govuk-radios"' in html.split('data-testid="decision-source"', 1)[0][-80:]
    assert "Which decision is it approved by?" in text_of(response)
    for value, label in (("existing", "Use a decision already recorded"), ("new", "Record a new decision")):
        radio = re.search(rf'<input class="govuk-radios__input" id="([^"]+)" name="choose-source" type="radio" '
                          rf'value="{value}" data-aria-controls="([^"]+)">', radios)
        assert radio, value
        assert f'for="{radio.group(1)}">{label}</label>' in radios
        # the revealed block exists (hidden only once GOV.UK Frontend's script runs: without it, all shows)
        assert f'class="govuk-radios__conditional govuk-radios__conditional--hidden" id="{radio.group(2)}"' in radios
    existing, new = radios.split('value="new"', 1)
    recorded = recorded_decisions()
    assert recorded.exists()
    for decision in recorded:
        assert f'name="choose-existing" type="radio" value="{decision.pk}"' in existing
        assert f">{escape(str(decision))}</label>" in existing
    for name in ("decision-body", "decision-decided_on_day", "decision-reference", "decision-key_decision"):
        assert f'name="{name}"' in new and f'name="{name}"' not in existing


def test_using_a_recorded_decision_ignores_the_new_decisions_fields(page):
    legal, response = page
    doc = TERMS.get()
    decision = recorded_decisions().first()
    decisions_before = Decision.objects.count()
    response = legal.post(TERMS.agree_url(), {
        "revision": hidden_revision(response), "choose-source": "existing", "choose-existing": decision.pk,
        "decision-body": "", "decision-decided_on_day": "31", "decision-decided_on_month": "2",  # left half typed
    })
    assert response.status_code == 302, text_of(response)[:1500]
    assert versions_of(doc).order_by("-number").first().decision == decision
    assert Decision.objects.count() == decisions_before


def test_a_new_decision_left_empty_names_each_field_and_links_to_it(page):
    legal, response = page
    doc = TERMS.get()
    before = written(doc)
    response = legal.post(TERMS.agree_url(), {"revision": hidden_revision(response), "choose-source": "new"})
    assert response.status_code == 400
    html, text = response.content.decode(), text_of(response)
    assert "This field is required" not in text
    assert "Enter who made the decision" in text and "Enter the date of the decision" in text
    assert summary_links(html) == ["id_decision-body", "id_decision-decided_on_0"]
    for target in summary_links(html):
        assert f'id="{target}"' in html
    # the chosen branch stays open, and the recorded decisions are not reported
    assert 'value="new" checked' in html and "Select the decision already recorded" not in text
    assert written(doc) == before


def test_no_choice_or_no_recorded_decision_chosen_is_refused_clearly(page):
    legal, response = page
    doc = TERMS.get()
    revision = hidden_revision(response)
    before = written(doc)
    response = legal.post(TERMS.agree_url(), {"revision": revision, "decision-body": "Board"})
    assert response.status_code == 400
    assert "Select whether to use a decision already recorded or record a new one" in text_of(response)
    assert summary_links(response.content.decode()) == ["id_choose-source_0"]
    assert "Enter the date of the decision" not in text_of(response)  # the new branch was not chosen

    response = legal.post(TERMS.agree_url(), {"revision": revision, "choose-source": "existing"})
    assert response.status_code == 400
    assert "Select the decision already recorded" in text_of(response)
    html = response.content.decode()
    assert summary_links(html) == ["id_choose-existing_0"] and 'id="id_choose-existing_0"' in html
    assert written(doc) == before


def test_without_recorded_decisions_the_form_asks_only_for_the_new_one(db):
    form = AgreeForm({"decision-body": "Cabinet", "decision-decided_on_day": "6", "decision-decided_on_month": "2",
                      "decision-decided_on_year": "2018"}, decisions=Decision.objects.none())
    assert "source" not in form.fields and "existing" not in form.fields
    decision = form.decision()
    assert decision is not None and decision.pk is None  # saved by the agree service, not the form
    assert (decision.body, str(decision.decided_on)) == ("Cabinet", "2018-02-06")
    empty = AgreeForm({}, decisions=Decision.objects.none())
    assert empty.decision() is None
    assert [e["message"] for e in empty.summary_errors()] == ["Enter who made the decision",
                                                              "Enter the date of the decision"]
