"""Error messages name their field and the error summary links to it (GOV.UK error message
guidance; issue 14, item 3). Each main edit page is posted as a browser would post it with every
field left empty (hidden fields, such as the edit count, kept): Django's "This field is required."
never shows, and every link in the summary goes to an element on the page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from agreements.models import Schedule
from agreements.services.schedules import schedule_update
from agreements.services.variations import variation_propose
from documents.forms import GovukFormMixin, field_error_messages
from documents.item_lists import ItemField, ItemList, missing_required
from governance.models import Board
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

HARINGEY = "HARINGEY-S75-2017"
CHJCB = "Cambridgeshire Children's Health Joint Commissioning Board"
DJANGO_MESSAGES = ("This field is required", "Select a valid choice", "Enter a whole number", "Enter a valid date")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def hidden_names(html: str) -> set[str]:
    return {re.search(r'name="([^"]+)"', tag).group(1)
            for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', html) if 'name="' in tag}


def emptied(html: str, response) -> dict[str, str]:
    """The page's form as a browser posts it, every field a user fills left empty."""
    keep = hidden_names(html) | {name for name in form_data(response) if name.endswith("-count")}
    data = {name: (value if name in keep else "") for name, value in form_data(response).items()}
    if 'name="action" value="save"' in html:
        data["action"] = "save"
    return data


def summary_links(html: str) -> list[tuple[str, str]]:
    assert 'class="govuk-error-summary"' in html, "no error summary"
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [(target, " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split()))
            for target, text in re.findall(r'<a href="#([^"]*)">(.*?)</a>', summary, flags=re.S)]


def assert_named_and_linked(html: str, page: str) -> list[str]:
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    for message in DJANGO_MESSAGES:
        assert message not in text, f"{page}: “{message}”"
    links = summary_links(html)
    assert links, f"{page}: the summary lists no error"
    for target, message in links:
        assert target and (target == "main-content" or f'id="{target}"' in html), f"{page}: #{target} ({message})"
    return [message for _target, message in links]


def check_posted_empty(username: str, url: str, expected: list[str]) -> None:
    client = signed_in(username)
    page = client.get(url)
    assert page.status_code == 200, url
    response = client.post(url, emptied(page.content.decode(), page))
    assert response.status_code in (200, 400), (url, response.status_code)  # the import page answers 200
    messages = assert_named_and_linked(response.content.decode(), url)
    for message in expected:
        assert message in messages, (url, message, messages)


def test_the_variation_pages_posted_empty_name_every_field(demo):
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=6)
    commissioner = get_user_model().objects.get(username="haringey-commissioner")
    schedule_update(schedule=schedule, document={"fields": {"pool_manager": "Haringey Council"}},
                    expected_edit_count=None, user=commissioner, reason="Draft for the variation")
    check_posted_empty("haringey-commissioner", f"/agreements/{HARINGEY}/variations/new/",
                       ["Enter a title for the variation", "Enter the intended effective date"])
    variation = variation_propose(agreement=schedule.agreement, title="Pool manager", summary="Names the manager.",
                                  effective_date=timezone.localdate(), documents=[schedule], user=commissioner)
    check_posted_empty("haringey-legal", f"/agreements/{HARINGEY}/variations/{variation.number}/decide/",
                       ["Enter who made the decision", "Enter the date of the decision"])


def test_each_edit_page_posted_empty_names_every_field_and_links_to_it(demo):
    board = Board.objects.get(name=CHJCB)
    schedule6 = f"/agreements/{HARINGEY}/schedules/6/"
    pages = [
        ("haringey-commissioner", f"/agreements/{HARINGEY}/edit/", ["Enter the title", "Select the status",
                                                                    "Enter the reason for this change"]),
        ("haringey-commissioner", f"{schedule6}edit/", ["Enter the title", "Enter the name of service",
                                                       "Enter the text of KPI 1", "Enter the risk of risk 1"]),
        ("cambridgeshire-commissioner", f"/boards/{board.pk}/terms/edit/", ["Enter the title",
                                                                            "Enter the purpose and remit"]),
        ("cambridgeshire-commissioner", f"/boards/{board.pk}/edit/", ["Enter the board's name"]),
        ("haringey-finance", f"/agreements/{HARINGEY}/schedules/6/budgets/import/",
         ["Choose the spreadsheet to import."]),
        ("haringey-finance", "/account/api-tokens/", ["Enter a name for the token."]),
    ]
    for username, url, expected in pages:
        check_posted_empty(username, url, expected)


def test_django_messages_are_replaced_by_ones_naming_the_field():
    from django import forms

    class Example(GovukFormMixin, forms.Form):
        title = forms.CharField()
        status = forms.ChoiceField(choices=[("a", "A")])
        kpi = forms.CharField(label="KPI target")
        year = forms.IntegerField(label="Financial year (optional)")
        own = forms.CharField(error_messages={"required": "Enter what you call it"})

    form = Example({"year": "soon", "status": "z"})
    assert not form.is_valid()
    assert form.errors == {
        "title": ["Enter the title"], "status": ["Select the status from the options listed"],
        "kpi": ["Enter the KPI target"], "year": ["The financial year must be a whole number"],
        "own": ["Enter what you call it"],
    }
    assert field_error_messages("status", forms.ChoiceField())["required"] == "Select the status"


def test_item_list_errors_name_the_item_and_field_and_link_to_its_input():
    specs = {
        "kpis": ItemList("kpis", "KPI", "KPIs", (ItemField("text", "Text"),)),
        "lines": ItemList("lines", "Budget line", "Budget lines", (
            ItemField("partner_id", "Partner", kind="select"), ItemField("notes", "Notes", required=False))),
        "sections": ItemList("sections", "Section", "Sections", (ItemField("heading", "Heading", kind="text"),),
                             children=ItemList("paragraphs", "Paragraph", "Paragraphs", (ItemField("text", "Text"),))),
    }
    lists = {"kpis": [{"text": "Fewer delays"}, {"text": ""}], "lines": [{"partner_id": "", "notes": ""}],
             "sections": [{"heading": "", "paragraphs": [{"text": "x"}, {"text": ""}]}]}
    assert missing_required(lists, specs) == [
        {"anchor": "kpis-1-text", "message": "Enter the text of KPI 2"},
        {"anchor": "lines-0-partner_id", "message": "Select the partner of budget line 1"},
        {"anchor": "sections-0-heading", "message": "Enter the heading of section 1"},
        {"anchor": "sections-0-paragraphs-1-text", "message": "Enter the text of section 1, paragraph 2"},
    ]
