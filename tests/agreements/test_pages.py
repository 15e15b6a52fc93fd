"""The agreement pages through the Django test client: who sees what, and what each edit does."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from agreements.models import Agreement, Schedule
from documents.revisions import latest_revision, revisions_of
from tests.agreements.conftest import HARINGEY
from tests.html_forms import form_data

AGREEMENT_URL = f"/agreements/{HARINGEY}/"
SCHEDULE_URL = f"/agreements/{HARINGEY}/schedules/6/"
SCHEDULE_EDIT_URL = f"/agreements/{HARINGEY}/schedules/6/edit/"
SCHEDULE_NEW_URL = f"/agreements/{HARINGEY}/schedules/new/"
AGREEMENT_EDIT_URL = f"/agreements/{HARINGEY}/edit/"
EDIT_URLS = [SCHEDULE_EDIT_URL, SCHEDULE_NEW_URL, AGREEMENT_EDIT_URL]
FORBIDDEN_TEXT = "Only commissioners can edit agreements and schedules."

pytestmark = pytest.mark.django_db


# ----------------------------------------------------------------------------- helpers


def text_of(response) -> str:
    """The page's visible text, tags dropped and white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def textarea_value(response, html_id: str) -> str:
    match = re.search(rf'<textarea[^>]*\bid="{re.escape(html_id)}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert match, f"no textarea #{html_id} on the page"
    return unescape(match.group(1)).strip()


def schedule_6() -> Schedule:
    return Schedule.objects.get(agreement__reference=HARINGEY, number=6)


def revision_count(document) -> int:
    return revisions_of(document).count()


# ----------------------------------------------------------------------------- home


def test_home_lists_the_agreement_for_haringey_users(client_for):
    Agreement.objects.filter(reference=HARINGEY).update(review_due=date.today() + timedelta(days=30))
    for username in ("haringey-commissioner", "haringey-legal", "haringey-finance", "haringey-viewer"):
        response = client_for(username).get("/")
        assert response.status_code == 200
        text = text_of(response)
        assert HARINGEY in text
        assert "Section 75 Partnership Agreement between Haringey Council and NHS Haringey CCG" in text
        assert "Haringey Council" in text and "NHS Haringey CCG" in text
        assert "In force" in text
        assert re.search(r'govuk-table__cell--numeric">\s*6\s*<', response.content.decode()), "6 schedules"
        assert (date.today() + timedelta(days=30)).strftime("%-d %B %Y") in text
        assert "Review due within 90 days" in text
        assert "Review overdue" not in text


def test_home_marks_an_overdue_review(client_for):
    Agreement.objects.filter(reference=HARINGEY).update(review_due=date.today() - timedelta(days=1))
    text = text_of(client_for("haringey-commissioner").get("/"))
    assert "Review overdue" in text
    assert "Review due within 90 days" not in text


def test_home_shows_no_tag_for_a_distant_review(client_for):
    Agreement.objects.filter(reference=HARINGEY).update(review_due=date.today() + timedelta(days=400))
    text = text_of(client_for("haringey-commissioner").get("/"))
    assert HARINGEY in text
    assert "Review overdue" not in text and "Review due within 90 days" not in text


@pytest.mark.parametrize("query, found", [
    ({"q": "HARINGEY-S75"}, True),
    ({"q": "haringey-s75-2017"}, True),
    ({"q": "Partnership Agreement between"}, True),
    ({"q": "no such agreement"}, False),
    ({"status": "in_force"}, True),
    ({"status": "draft"}, False),
    ({"status": "in_force", "q": "Haringey"}, True),
    ({"status": "expired", "q": "Haringey"}, False),
])
def test_home_search_and_status_filter(client_for, query, found):
    response = client_for("haringey-commissioner").get("/", query)
    assert response.status_code == 200
    text = text_of(response)
    assert (HARINGEY in text) is found
    if not found:
        assert "No agreements match your search." in text


def test_home_ignores_an_unknown_status(client_for):
    response = client_for("haringey-commissioner").get("/", {"status": "nonsense"})
    assert response.status_code == 200
    assert HARINGEY in text_of(response)


# ----------------------------------------------------------------------------- agreement page


def test_agreement_page_shows_parties_dates_and_schedules(client_for):
    response = client_for("haringey-commissioner").get(AGREEMENT_URL)
    assert response.status_code == 200
    text = text_of(response)
    html = response.content.decode()
    assert "Parties Change parties Haringey Council Party NHS Haringey CCG Party" in text
    assert "Dated 1 March 2017" in text
    assert "Effective from 1 March 2017" in text
    assert "Section 75 of the National Health Service Act 2006" in text
    for number in range(1, 7):
        assert f'href="{AGREEMENT_URL}schedules/{number}/"' in html
        assert f"Schedule {number}:" in text
    assert "Schedule 6: Children's commissioned services Lead commissioning, Aligned budgets In force Haringey Council: £6,447,725" in text
    assert "Budget 2018/19" in text


def test_agreement_page_offers_schedule_7_to_commissioners(client_for):
    response = client_for("haringey-commissioner").get(AGREEMENT_URL)
    html = response.content.decode()
    assert re.search(rf'href="{SCHEDULE_NEW_URL}"[^>]*>Add schedule 7<', html)
    assert re.search(rf'href="{AGREEMENT_EDIT_URL}"[^>]*>Edit the whole agreement<', html)


# ----------------------------------------------------------------------------- schedule page

SCHEDULE_ROWS_IN_ORDER = [
    "Name of service", "Type of agreement", "Type of service", "Delegated function", "The services",
    "Aim of the services", "Outcomes", "Strategy/framework documents", "Eligibility",
    "Key performance indicators", "Resources",
]


def test_schedule_page_shows_every_field_in_the_signed_order(client_for):
    response = client_for("haringey-commissioner").get(SCHEDULE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    headers = [unescape(h).strip() for h in re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>', html)]
    positions = []
    for label in SCHEDULE_ROWS_IN_ORDER:
        matching = [i for i, header in enumerate(headers) if header.startswith(label)]
        assert matching, f"row {label!r} is missing; rows are {headers}"
        positions.append(matching[0])
    assert positions == sorted(positions), f"rows out of order: {headers}"

    text = text_of(response)
    order = [
        "Name of service Children's commissioned services",
        "Outcomes of the services A co-ordinated preventative approach",
        "Resources",
        "Budgets",
        "Health visiting £4,388,588",
        "Not applicable",
        "Part of the provider block contract, subject to the community services financial work",
        "Final amount to be agreed following the service review of specialist therapies",
        "Total £6,447,725 of which £840,000 to be agreed",
        "Risks and mitigations",
        "Fail to agree and effectively measure outcomes",
        "Outline specification",
        "1. Context",
        "1.1",
    ]
    found = [text.find(part) for part in order]
    assert all(index >= 0 for index in found), dict(zip(order, found, strict=True))
    assert found == sorted(found), dict(zip(order, found, strict=True))
    assert re.search(r"1\.1 .+ 1\.2 .+ 2\. ", text[found[-1]:]), "numbered specification paragraphs"


def test_schedule_page_numbers_the_outcomes(client_for):
    response = client_for("haringey-commissioner").get(SCHEDULE_URL)
    outcomes = re.search(r'data-testid="outcomes">(.*?)</ol>', response.content.decode(), re.S).group(1)
    assert len(re.findall(r"<li>", outcomes)) == 8
    assert "Improved quality of community health services for children and young people." in unescape(outcomes)


# ----------------------------------------------------------------------------- scoping and roles


def test_outsider_does_not_see_the_haringey_agreement(client_for):
    client = client_for("cambridgeshire-commissioner")
    response = client.get("/")
    assert response.status_code == 200
    assert HARINGEY not in response.content.decode()
    assert HARINGEY not in client.get("/", {"q": "HARINGEY"}).content.decode()


@pytest.mark.parametrize("url", [AGREEMENT_URL, SCHEDULE_URL, f"/agreements/{HARINGEY}/schedules/1/", *EDIT_URLS])
def test_outsider_gets_404_on_every_haringey_url(client_for, url):
    client = client_for("cambridgeshire-commissioner")
    assert client.get(url).status_code == 404
    if url in EDIT_URLS:
        assert client.post(url, {"action": "save", "reason": "Trying"}).status_code == 404


def test_missing_schedule_is_404_for_a_party(client_for):
    assert client_for("haringey-commissioner").get(f"/agreements/{HARINGEY}/schedules/99/").status_code == 404


@pytest.mark.parametrize("username", ["haringey-viewer", "haringey-legal", "haringey-finance"])
@pytest.mark.parametrize("url", EDIT_URLS)
def test_non_commissioners_get_403_on_edit_pages(client_for, username, url):
    client = client_for(username)
    before = revision_count(schedule_6())
    for response in (client.get(url), client.post(url, {"action": "save", "reason": "Trying"})):
        assert response.status_code == 403
        text = text_of(response)
        assert "You cannot use this page" in text
        assert FORBIDDEN_TEXT in text
    assert revision_count(schedule_6()) == before


@pytest.mark.parametrize("username", ["haringey-viewer", "haringey-legal", "haringey-finance"])
def test_non_commissioners_see_no_edit_actions(client_for, username):
    client = client_for(username)
    for url in (AGREEMENT_URL, SCHEDULE_URL):
        response = client.get(url)
        assert response.status_code == 200
        text = text_of(response)
        html = response.content.decode()
        assert "Edit the whole schedule" not in text
        assert not re.search(r'data-testid="change-(?!budget-lines)', html), "no section is offered for change"
        assert "Edit the whole agreement" not in text
        assert "Add schedule" not in text
        for edit_url in EDIT_URLS:
            assert f'href="{edit_url}"' not in html


@pytest.mark.parametrize("url", ["/", AGREEMENT_URL, SCHEDULE_URL, *EDIT_URLS])
def test_anonymous_is_sent_to_sign_in(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# ----------------------------------------------------------------------------- saving a schedule

NEW_OUTCOME = "Improved quality of community health services, measured each quarter with families."


def open_edit(client, url=SCHEDULE_EDIT_URL) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response)


def test_form_parser_reads_the_whole_schedule(client_for):
    data = open_edit(client_for("haringey-commissioner"))
    assert data["outcomes-count"] == "8"
    assert data["outcomes-2-text"] == "Improved quality of community health services for children and young people."
    assert data["risks-count"] == "4"
    assert data["budget_lines-count"] == "18"
    assert "number" not in data  # disabled: a schedule keeps its number
    assert data["lead_commissioning"] == "on"


def test_changing_outcome_3_saves_one_revision_with_the_reason(client_for):
    client = client_for("haringey-commissioner")
    schedule = schedule_6()
    before = revision_count(schedule)
    data = open_edit(client)
    data.update({"outcomes-2-text": NEW_OUTCOME, "reason": "Outcome 3 made measurable", "action": "save"})
    response = client.post(SCHEDULE_EDIT_URL, data)
    assert response.status_code == 302, text_of(response)[:2000]
    assert response["Location"] == SCHEDULE_URL
    assert revision_count(schedule) == before + 1
    revision = latest_revision(schedule)
    assert revision.reason == "Outcome 3 made measurable"
    assert revision.user.username == "haringey-commissioner"
    assert [o.text for o in schedule.outcomes.order_by("position")][2] == NEW_OUTCOME
    assert schedule.outcomes.count() == 8

    page = client.get(SCHEDULE_URL)
    assert NEW_OUTCOME in text_of(page)
    assert "Schedule 6 saved" in text_of(page)
    assert "Outcome 3 made measurable" in text_of(page)


def test_saving_without_a_reason_shows_the_error_summary_and_keeps_the_input(client_for):
    client = client_for("haringey-commissioner")
    schedule = schedule_6()
    before = revision_count(schedule)
    data = open_edit(client)
    data.update({"outcomes-2-text": NEW_OUTCOME, "reason": "", "action": "save"})
    response = client.post(SCHEDULE_EDIT_URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert re.search(r'<a href="#id_reason">Enter the reason for this change</a>', html)
    assert textarea_value(response, "outcomes-2-text") == NEW_OUTCOME
    assert revision_count(schedule) == before
    assert NEW_OUTCOME not in schedule.outcomes.values_list("text", flat=True)


def test_emptying_a_required_item_names_it_in_the_error_summary(client_for):
    client = client_for("haringey-commissioner")
    data = open_edit(client)
    data.update({"outcomes-2-text": "", "outcomes-3-text": "Kept text", "reason": "Trying", "action": "save"})
    response = client.post(SCHEDULE_EDIT_URL, data)
    assert response.status_code == 400
    assert '<a href="#outcomes-2-text">Enter the text of outcome 3</a>' in response.content.decode()
    assert textarea_value(response, "outcomes-3-text") == "Kept text"


def test_a_stale_edit_count_answers_409_naming_who_changed_it(client_for):
    amina = client_for("haringey-commissioner")
    first = open_edit(amina)
    second = open_edit(client_for("haringey-commissioner"))

    first.update({"outcomes-2-text": NEW_OUTCOME, "reason": "First save", "action": "save"})
    assert amina.post(SCHEDULE_EDIT_URL, first).status_code == 302

    mine = "A different outcome 4 that must not be lost."
    second.update({"outcomes-3-text": mine, "reason": "Second save", "action": "save"})
    schedule = schedule_6()
    before = revision_count(schedule)
    response = client_for("haringey-commissioner").post(SCHEDULE_EDIT_URL, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="conflict"' in html and 'data-testid="conflict"' in html
    text = text_of(response)
    assert "Your changes were not saved: Amina Okafor changed this" in text
    assert "First save" in text
    assert textarea_value(response, "outcomes-3-text") == mine
    assert revision_count(schedule) == before
    outcomes = list(schedule.outcomes.order_by("position").values_list("text", flat=True))
    assert outcomes[2] == NEW_OUTCOME
    assert mine not in outcomes


@pytest.mark.parametrize("action, expected", [
    ("add:outcomes", lambda o: o + [""]),
    ("remove:outcomes:2", lambda o: o[:2] + o[3:]),
    ("up:outcomes:2", lambda o: [o[0], o[2], o[1], *o[3:]]),
    ("down:outcomes:2", lambda o: [o[0], o[1], o[3], o[2], *o[4:]]),
])
def test_list_buttons_redraw_the_page_and_save_nothing(client_for, action, expected):
    client = client_for("haringey-commissioner")
    schedule = schedule_6()
    stored = list(schedule.outcomes.order_by("position").values_list("text", flat=True))
    before = revision_count(schedule)
    data = open_edit(client)
    data.update({"outcomes-0-text": "Typed but not saved", "action": action, "reason": ""})
    response = client.post(SCHEDULE_EDIT_URL, data)
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()
    typed = ["Typed but not saved", *stored[1:]]
    redrawn = form_data(response)
    shown = [redrawn[f"outcomes-{i}-text"] for i in range(int(redrawn["outcomes-count"]))]
    assert shown == expected(typed)
    assert revision_count(schedule) == before
    assert list(schedule.outcomes.order_by("position").values_list("text", flat=True)) == stored


def test_moving_a_risk_up_then_saving_stores_the_new_order(client_for):
    client = client_for("haringey-commissioner")
    schedule = schedule_6()
    risks = list(schedule.risks.order_by("position").values_list("risk", flat=True))
    data = open_edit(client)
    data["action"] = "up:risks:1"
    moved = form_data(client.post(SCHEDULE_EDIT_URL, data))
    moved.update({"reason": "Risk 2 matters more", "action": "save"})
    response = client.post(SCHEDULE_EDIT_URL, moved)
    assert response.status_code == 302, text_of(response)[:2000]
    assert list(schedule.risks.order_by("position").values_list("risk", flat=True)) == [risks[1], risks[0], *risks[2:]]


def test_adding_a_kpi_then_saving_keeps_it(client_for):
    client = client_for("haringey-commissioner")
    data = open_edit(client)
    count = int(data["kpis-count"])
    data["action"] = "add:kpis"
    added = client.post(SCHEDULE_EDIT_URL, data)
    assert f'id="kpis-{count}-text"' in added.content.decode()
    data = form_data(added)
    data.update({f"kpis-{count}-text": "Waiting times for speech and language therapy", "reason": "New KPI",
                 "action": "save"})
    assert client.post(SCHEDULE_EDIT_URL, data).status_code == 302
    assert "Waiting times for speech and language therapy" in text_of(client.get(SCHEDULE_URL))


def test_saving_an_unchanged_schedule_says_nothing_changed(client_for):
    client = client_for("haringey-commissioner")
    before = revision_count(schedule_6())
    data = open_edit(client)
    data.update({"reason": "No change", "action": "save"})
    response = client.post(SCHEDULE_EDIT_URL, data)
    # Not an error: the user is told, stays on the page with what they typed, and nothing is recorded.
    assert response.status_code == 200
    assert "No changes to save" in text_of(response)
    assert "There is a problem" not in text_of(response)
    assert 'value="No change"' in response.content.decode() or "No change</textarea>" in response.content.decode()
    assert revision_count(schedule_6()) == before


# ----------------------------------------------------------------------------- adding schedule 7


def test_adding_schedule_7_proposes_7_and_creates_it_with_two_outcomes(client_for):
    client = client_for("haringey-commissioner")
    response = client.get(SCHEDULE_NEW_URL)
    assert response.status_code == 200
    assert "Add schedule 7" in text_of(response)
    data = form_data(response)
    assert data["number"] == "7"
    data["action"] = "add:outcomes"
    data = form_data(client.post(SCHEDULE_NEW_URL, data))
    data["action"] = "add:outcomes"
    data = form_data(client.post(SCHEDULE_NEW_URL, data))
    assert data["outcomes-count"] == "2"
    data.update({
        "title": "Short breaks for disabled children", "service_name": "Short breaks",
        "pooled_fund": "on", "outcomes-0-text": "More families get a short break",
        "outcomes-1-text": "Fewer children placed away from home", "reason": "Cabinet agreed short breaks",
        "action": "save",
    })
    response = client.post(SCHEDULE_NEW_URL, data)
    assert response.status_code == 302, text_of(response)[:2000]
    assert response["Location"] == f"/agreements/{HARINGEY}/schedules/7/"
    schedule = Schedule.objects.get(agreement__reference=HARINGEY, number=7)
    assert list(schedule.outcomes.order_by("position").values_list("text", flat=True)) == [
        "More families get a short break", "Fewer children placed away from home",
    ]
    assert latest_revision(schedule).reason == "Cabinet agreed short breaks"
    page = client.get(response["Location"])
    assert "More families get a short break" in text_of(page)
    assert "Add schedule 8" in text_of(client.get(AGREEMENT_URL))


def test_adding_a_schedule_without_an_arrangement_is_refused_with_the_input_kept(client_for):
    client = client_for("haringey-commissioner")
    data = form_data(client.get(SCHEDULE_NEW_URL))
    data.update({"title": "Short breaks", "service_name": "Short breaks", "action": "save"})
    response = client.post(SCHEDULE_NEW_URL, data)
    assert response.status_code == 400
    assert "Choose at least one type of arrangement" in text_of(response)
    assert 'value="Short breaks"' in response.content.decode()
    assert not Schedule.objects.filter(agreement__reference=HARINGEY, number=7).exists()


# ----------------------------------------------------------------------------- agreement edit


def test_removing_the_ccg_party_is_refused(client_for):
    client = client_for("haringey-commissioner")
    agreement = Agreement.objects.get(reference=HARINGEY)
    before = revision_count(agreement)
    data = open_edit(client, AGREEMENT_EDIT_URL)
    assert data["parties-count"] == "2"
    data["action"] = "remove:parties:1"
    data = form_data(client.post(AGREEMENT_EDIT_URL, data))
    assert data["parties-count"] == "1"
    data.update({"reason": "Trying to drop the CCG", "action": "save"})
    response = client.post(AGREEMENT_EDIT_URL, data)
    assert response.status_code == 400
    text = text_of(response)
    assert "There is a problem" in text
    assert "NHS body" in text
    assert revision_count(agreement) == before
    assert agreement.parties.count() == 2


def test_editing_the_agreement_title_saves_a_revision(client_for):
    client = client_for("haringey-commissioner")
    agreement = Agreement.objects.get(reference=HARINGEY)
    before = revision_count(agreement)
    data = open_edit(client, AGREEMENT_EDIT_URL)
    data.update({"title": data["title"] + " (as varied)", "reason": "Varied in 2018", "action": "save"})
    response = client.post(AGREEMENT_EDIT_URL, data)
    assert response.status_code == 302, text_of(response)[:2000]
    assert revision_count(agreement) == before + 1
    assert "(as varied)" in text_of(client.get(AGREEMENT_URL))
