"""The budget lines table (/agreements/<ref>/schedules/<n>/budget-lines/) through the test client:
the filter, editing, adding and removing rows without JavaScript, errors by row, the conflict check,
lines outside the filter left alone, and the schedule page's year switcher."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.budget_table import BudgetFilter, merge_rows
from agreements.models import BudgetLine, Schedule
from budgets.importing import budget_lines_import
from documents.revisions import latest_revision, revisions_of
from tests.agreements.conftest import HARINGEY
from tests.agreements.test_pages import text_of
from tests.html_forms import form_data

URL = f"/agreements/{HARINGEY}/schedules/6/budget-lines/"
SCHEDULE_URL = f"/agreements/{HARINGEY}/schedules/6/"
COMMISSIONER, FINANCE = "haringey-commissioner", "haringey-finance"
# Two lines of 2019/20, beside the demo's eighteen aligned lines of 2018/19.
LINES_2019 = (b"Financial year,Service,Partner,Budget type,Amount\n"
              b"2019/20,Health visiting,LBH,Pooled,4500000\n"
              b"2019/20,School nursing,LBH,Aligned,950000\n")

pytestmark = pytest.mark.django_db


def schedule_6() -> Schedule:
    return Schedule.objects.get(agreement__reference=HARINGEY, number=6)


def with_2019_lines() -> Schedule:
    schedule = schedule_6()
    budget_lines_import(schedule=schedule, filename="2019.csv", content=LINES_2019, reason="2019/20 budget")
    return schedule


def open_table(client, query: str = "") -> dict[str, str]:
    response = client.get(URL + query)
    assert response.status_code == 200, text_of(response)[:1000]
    return form_data(response)


def stored(schedule: Schedule) -> list[tuple]:
    return list(schedule.budget_lines.order_by("id").values_list(
        "id", "service", "partner__short_name", "financial_year", "budget_type", "amount", "status",
        "ring_fenced_public_health", "notes"))


def row_of(data: dict[str, str], service: str) -> int:
    return row_services(data).index(service)


def row_services(data: dict[str, str]) -> list[str]:
    return [data[f"budget_lines-{i}-service"] for i in range(int(data["budget_lines-count"]))]


# ----------------------------------------------------------------------------- the page and its filter


def test_the_table_shows_one_row_per_line_with_money_right_aligned(client_for):
    response = client_for(FINANCE).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    data = form_data(response)
    assert data["budget_lines-count"] == "18"
    assert data["budget_lines-0-financial_year"] == "2018/19"
    assert data["budget_lines-0-service"] == "Health visiting"
    assert data["budget_lines-0-amount"] == "£4,388,588"
    assert data["budget_lines-0-budget_type"] == "aligned"
    assert data["budget_lines-0-ring_fenced_public_health"] == "on"
    assert html.count('data-testid="budget-line-row"') == 18 + 1  # and the blank row the script copies
    assert re.search(r'<input class="govuk-input govuk-!-text-align-right"[^>]*id="budget_lines-0-amount"', html)
    assert 'class="govuk-table__header govuk-table__header--numeric">Amount (£)' in html
    # Each input has a label naming its column and row.
    assert re.search(r'<label[^>]*for="budget_lines-2-service">Service, row <span data-row-number>3</span>', html)
    assert "static/js/budget-table.js" in html


def test_the_script_is_only_on_the_table_page(client_for):
    assert "budget-table.js" not in client_for(COMMISSIONER).get(SCHEDULE_URL).content.decode()


def test_the_filter_shows_only_the_lines_of_a_year_and_type(client_for):
    with_2019_lines()
    client = client_for(COMMISSIONER)
    everything = open_table(client)
    assert everything["budget_lines-count"] == "20"
    only_2019 = open_table(client, "?year=2019/20")
    assert sorted(row_services(only_2019)) == ["Health visiting", "School nursing"]
    pooled_2019 = open_table(client, "?year=2019/20&type=pooled")
    assert row_services(pooled_2019) == ["Health visiting"]
    aligned = open_table(client, "?type=aligned")
    assert aligned["budget_lines-count"] == "19"
    page = text_of(client.get(URL + "?year=2019/20&type=pooled"))
    assert ("Schedule 6 has 20 budget lines, 1 of them in 2019/20, pooled fund. "
            "Lines outside this filter are kept as they are.") in page
    assert "Schedule 6 has 20 budget lines." in text_of(client.get(URL))


def test_an_unreadable_year_in_the_address_is_said_and_everything_shown(client_for):
    response = client_for(COMMISSIONER).get(URL + "?year=2019/21")
    assert response.status_code == 200
    assert form_data(response)["budget_lines-count"] == "18"
    assert "Financial year: “2019/21” is not a financial year" in text_of(response)


# ----------------------------------------------------------------------------- saving


def test_editing_one_line_saves_one_revision_with_the_reason(client_for):
    schedule = schedule_6()
    before = revisions_of(schedule).count()
    client = client_for(FINANCE)
    data = open_table(client)
    line_id = int(data["budget_lines-2-id"])
    data.update({"budget_lines-2-amount": "£450,000.50", "budget_lines-2-notes": "After the review",
                 "reason": "Family nurse partnership uplift", "action": "save"})
    response = client.post(URL, data)
    assert response.status_code == 302, text_of(response)[:2000]
    assert response["Location"] == SCHEDULE_URL + "#budgets"
    assert revisions_of(schedule).count() == before + 1
    revision = latest_revision(schedule)
    assert revision.reason == "Family nurse partnership uplift"
    assert revision.user.username == FINANCE
    line = BudgetLine.objects.get(pk=line_id)
    assert str(line.amount) == "450000.50"
    assert line.notes == "After the review"
    assert schedule.budget_lines.count() == 18
    page = text_of(client.get(response["Location"]))
    assert "Budget lines for Schedule 6 saved (1 changed). The change is in its history." in page


def test_rows_outside_the_filter_are_left_untouched(client_for):
    schedule = with_2019_lines()
    outside = [line for line in stored(schedule) if line[3] == 2018]
    outside_history = BudgetLine.history.filter(id__in=[line[0] for line in outside]).count()
    client = client_for(COMMISSIONER)
    data = open_table(client, "?year=2019/20")
    assert data["budget_lines-count"] == "2"
    school = row_of(data, "School nursing")
    data.update({f"budget_lines-{school}-amount": "975000", "reason": "School nursing uplift", "action": "save"})
    response = client.post(URL + "?year=2019/20", data)
    assert response.status_code == 302, text_of(response)[:2000]
    assert response["Location"] == SCHEDULE_URL + "?year=2019/20#budgets"
    assert [line for line in stored(schedule) if line[3] == 2018] == outside
    assert BudgetLine.history.filter(id__in=[line[0] for line in outside]).count() == outside_history
    school = schedule.budget_lines.get(financial_year=2019, service="School nursing")
    assert str(school.amount) == "975000.00"
    assert schedule.budget_lines.count() == 20


def test_adding_a_row_without_javascript_then_saving(client_for):
    schedule = with_2019_lines()
    client = client_for(COMMISSIONER)
    data = open_table(client, "?year=2019/20&type=pooled")
    data["action"] = "add:budget_lines"
    redrawn = client.post(URL + "?year=2019/20&type=pooled", data)
    assert redrawn.status_code == 200
    assert "There is a problem" not in text_of(redrawn)
    added = form_data(redrawn)
    assert added["budget_lines-count"] == "2"
    # A new row starts in the filter's year and type.
    assert added["budget_lines-1-financial_year"] == "2019/20"
    assert added["budget_lines-1-budget_type"] == "pooled"
    assert 'data-focus="budget_lines-1-financial_year"' in redrawn.content.decode()
    ccg = next(value for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>',
                                                    redrawn.content.decode()) if label == "NHS Haringey CCG")
    added.update({"budget_lines-1-service": "Family nurse partnership", "budget_lines-1-partner_id": ccg,
                  "budget_lines-1-amount": "120,000", "budget_lines-1-status": "confirmed",
                  "reason": "CCG contribution", "action": "save"})
    before = schedule.budget_lines.count()
    response = client.post(URL + "?year=2019/20&type=pooled", added)
    assert response.status_code == 302, text_of(response)[:2000]
    line = schedule.budget_lines.get(service="Family nurse partnership", financial_year=2019)
    assert (line.partner.short_name, line.budget_type, str(line.amount)) == ("NHS Haringey CCG", "pooled", "120000.00")
    assert schedule.budget_lines.count() == before + 1
    assert "saved (1 added)" in text_of(client.get(response["Location"]))


def test_removing_a_row_without_javascript_then_saving(client_for):
    schedule = schedule_6()
    client = client_for(COMMISSIONER)
    data = open_table(client)
    removed_id = int(data["budget_lines-3-id"])
    data["action"] = "remove:budget_lines:3"
    redrawn = client.post(URL, data)
    assert redrawn.status_code == 200
    left = form_data(redrawn)
    assert left["budget_lines-count"] == "17"
    assert str(removed_id) not in [left[f"budget_lines-{i}-id"] for i in range(17)]
    assert schedule.budget_lines.filter(pk=removed_id).exists()  # nothing is saved by the button
    left.update({"reason": "Line no longer funded", "action": "save"})
    response = client.post(URL, left)
    assert response.status_code == 302, text_of(response)[:2000]
    assert not schedule.budget_lines.filter(pk=removed_id).exists()
    assert schedule.budget_lines.count() == 17
    assert latest_revision(schedule).reason == "Line no longer funded"


def test_a_row_error_names_the_row_and_field_and_changes_nothing(client_for):
    schedule = schedule_6()
    before, revisions = stored(schedule), revisions_of(schedule).count()
    client = client_for(COMMISSIONER)
    data = open_table(client)
    data.update({"budget_lines-2-financial_year": "", "budget_lines-4-amount": "lots",
                 "budget_lines-5-service": "", "budget_lines-0-notes": "Kept as typed",
                 "reason": "Trying", "action": "save"})
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#budget_lines-2-financial_year">Row 3: enter the financial year, such as 2018/19</a>' in html
    assert re.search(r'<a href="#budget_lines-4-amount">Row 5: “lots” is not an amount in pounds', html)
    assert '<a href="#budget_lines-5-service">Row 6: enter the service</a>' in html
    assert 'id="budget_lines-2-financial_year-error"' in html
    assert form_data(response)["budget_lines-0-notes"] == "Kept as typed"
    assert stored(schedule) == before
    assert revisions_of(schedule).count() == revisions


def test_a_refusal_by_the_model_names_the_table_row(client_for):
    schedule = with_2019_lines()
    before = stored(schedule)
    client = client_for(COMMISSIONER)
    data = open_table(client, "?year=2019/20")
    data.update({"budget_lines-1-amount": "", "budget_lines-1-status": "confirmed", "reason": "Trying",
                 "action": "save"})
    response = client.post(URL + "?year=2019/20", data)
    assert response.status_code == 400
    assert '<a href="#budget_lines-1-financial_year">Row 2: a confirmed line needs an amount</a>' in response.content.decode()
    assert stored(schedule) == before


def test_a_duplicate_of_a_line_outside_the_filter_is_refused(client_for):
    schedule = with_2019_lines()
    before = stored(schedule)
    client = client_for(COMMISSIONER)
    data = open_table(client, "?year=2019/20&type=pooled")
    assert row_services(data) == ["Health visiting"]
    data.update({"budget_lines-0-budget_type": "aligned", "budget_lines-0-service": "School nursing",
                 "reason": "Trying", "action": "save"})
    response = client.post(URL + "?year=2019/20&type=pooled", data)
    assert response.status_code == 400
    assert "Row 1: this schedule already has a line for this service, partner, financial year and budget type" in text_of(response), text_of(response)[:1500]
    assert stored(schedule) == before


def test_a_stale_edit_count_answers_409_and_saves_nothing(client_for):
    schedule = schedule_6()
    first, second = client_for(COMMISSIONER), client_for(FINANCE)
    mine, theirs = open_table(first), open_table(second)
    mine.update({"budget_lines-0-notes": "First", "reason": "First save", "action": "save"})
    assert first.post(URL, mine).status_code == 302
    before, revisions = stored(schedule), revisions_of(schedule).count()
    theirs.update({"budget_lines-1-notes": "Second", "reason": "Second save", "action": "save"})
    response = second.post(URL, theirs)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="conflict"' in html
    assert f'href="{SCHEDULE_URL}#budgets"' in html
    assert "Your changes were not saved: Amina Okafor changed this" in text_of(response)
    assert form_data(response)["budget_lines-1-notes"] == "Second"
    assert stored(schedule) == before
    assert revisions_of(schedule).count() == revisions


def test_saving_an_unchanged_table_says_nothing_changed(client_for):
    schedule = schedule_6()
    revisions = revisions_of(schedule).count()
    client = client_for(COMMISSIONER)
    data = open_table(client)
    data.update({"reason": "No change", "action": "save"})
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "No changes to save" in text_of(response)
    assert revisions_of(schedule).count() == revisions


def test_only_budget_editors_may_open_it(client_for):
    for username in ("haringey-legal", "haringey-viewer"):
        response = client_for(username).get(URL)
        assert response.status_code == 403
        assert "Only commissioners or finance officers can edit and import budget lines" in response.content.decode()
    assert client_for("cambridgeshire-commissioner").get(URL).status_code == 404


def test_the_page_takes_a_fixed_number_of_queries(client_for):
    client = client_for(COMMISSIONER)
    client.get(URL)  # sessions and the like, once
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    with_2019_lines()
    with CaptureQueriesContext(connection) as larger:
        assert client.get(URL).status_code == 200
    assert len(larger) == len(small), "the table's queries grow with its lines"
    assert len(small) <= 12, [query["sql"][:120] for query in small.captured_queries]  # 20 when it read the whole document


# ----------------------------------------------------------------------------- the merge


def test_the_merge_keeps_each_line_in_its_place():
    lines = [
        {"id": n, "position": n, "service": s, "partner_id": 1, "financial_year": y, "budget_type": "pooled",
         "amount": "1.00", "status": "confirmed", "ring_fenced_public_health": False, "notes": ""}
        for n, (s, y) in enumerate([("A", 2018), ("B", 2019), ("C", 2018), ("D", 2019)], start=1)
    ]
    rows = [{**lines[2], "amount": "2.00"}, {**lines[0], "id": None, "service": "E"}]  # C changed, A removed, E new
    merge = merge_rows(lines, BudgetFilter(2018), rows)
    assert [(line["id"], line["service"]) for line in merge.lines] == [(2, "B"), (3, "C"), (4, "D"), (None, "E")]
    assert (merge.added, merge.changed, merge.removed) == (1, 1, 1)
    assert merge.rows_at == {2: 1, 4: 2}  # position among all the lines -> the table's row
    assert merge.summary() == "1 added, 1 changed, 1 removed"

    # An id posted twice, or one outside the table, is a new row, never a line silently dropped or moved.
    twice = merge_rows(lines, BudgetFilter(2018), [lines[0], {**lines[0], "service": "F"}, {**lines[1], "service": "G"}])
    assert [(line["id"], line["service"]) for line in twice.lines] == [
        (1, "A"), (2, "B"), (4, "D"), (None, "F"), (None, "G")]  # B, outside the table, is as stored
    assert (twice.added, twice.changed, twice.removed) == (2, 0, 1)


# ----------------------------------------------------------------------------- the schedule page


def test_the_schedule_page_shows_the_latest_year_with_a_switcher(client_for):
    with_2019_lines()
    client = client_for(COMMISSIONER)
    html = client.get(SCHEDULE_URL).content.decode()
    assert re.search(r'<a class="govuk-link s75-year-switcher__current" href="\?year=2019/20#budgets" aria-current="true">', html)
    assert '<a class="govuk-link" href="?year=2018/19#budgets">2018/19</a>' in html
    assert "Pooled fund 2019/20" in html and "Aligned budgets 2018/19" not in html
    older = client.get(SCHEDULE_URL + "?year=2018/19").content.decode()
    assert "Aligned budgets 2018/19" in older and "Pooled fund 2019/20" not in older
    assert re.search(r'href="\?year=2018/19#budgets" aria-current="true"', older)
    assert f'href="{URL}?year=2018/19" data-testid="change-budget-lines"' in older


def test_the_change_link_is_for_budget_editors_only(client_for):
    assert 'data-testid="change-budget-lines"' in client_for(FINANCE).get(SCHEDULE_URL).content.decode()
    for username in ("haringey-viewer", "haringey-legal"):
        assert 'data-testid="change-budget-lines"' not in client_for(username).get(SCHEDULE_URL).content.decode()


def test_the_as_of_page_still_shows_every_year(client_for):
    schedule = with_2019_lines()
    on = latest_revision(schedule).created_at
    response = client_for(COMMISSIONER).get(reverse("schedule_as_of", args=[HARINGEY, 6]) + f"?date={on:%Y-%m-%d}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aligned budgets 2018/19" in body and "Pooled fund 2019/20" in body
    assert 'data-testid="budget-years"' not in body
    assert 'data-testid="change-budget-lines"' not in body


# ----------------------------------------------------------------------------- inside a variation


def test_in_an_open_variation_the_table_saves_only_as_part_of_it(client_for):
    from datetime import date

    from django.contrib.auth import get_user_model

    from agreements.services.variations import variation_propose

    schedule = with_2019_lines()  # a draft change since the agreed version
    commissioner = get_user_model().objects.get(username=COMMISSIONER)
    variation = variation_propose(agreement=schedule.agreement, title="2019/20 budgets", summary="New year.",
                                  effective_date=date(2019, 4, 1), documents=[schedule], user=commissioner)
    client = client_for(COMMISSIONER)
    before = stored(schedule)
    outside = client.get(URL)
    assert 'data-testid="locked-by-variation"' in outside.content.decode()
    data = form_data(outside)
    data.update({"budget_lines-0-notes": "Outside the variation", "reason": "Trying", "action": "save"})
    refused = client.post(URL, data)
    assert refused.status_code == 400
    assert f"variation {variation.number}" in text_of(refused)
    assert stored(schedule) == before

    inside_url = f"{URL}?variation={variation.number}"
    inside = client.get(inside_url)
    html = inside.content.decode()
    assert f"This change is part of variation {variation.number}" in text_of(inside)
    assert f'<input type="hidden" name="variation" value="{variation.number}">' in html  # the filter keeps it
    data = form_data(inside)
    data.update({"budget_lines-0-notes": "Inside the variation", "reason": "Part of the variation", "action": "save"})
    assert client.post(inside_url, data).status_code == 302
    assert schedule.budget_lines.filter(notes="Inside the variation").count() == 1


def test_a_line_of_a_partner_not_party_is_never_moved_to_another_partner_unseen(client_for):
    from partnerships.models import Partner

    schedule = with_2019_lines()
    england = Partner.objects.get(name="NHS England")
    line = schedule.budget_lines.get(financial_year=2019, service="School nursing")
    BudgetLine.objects.filter(pk=line.pk).update(partner=england)  # as an old import might have left it
    client = client_for(COMMISSIONER)
    response = client.get(URL + "?year=2019/20")
    index = row_of(form_data(response), "School nursing")
    assert re.search(rf'<select[^>]*id="budget_lines-{index}-partner_id".*?<option value="{england.pk}" selected>NHS England',
                     response.content.decode(), re.S)
    data = form_data(response)
    other = 1 - index
    data.update({f"budget_lines-{other}-notes": "Changed beside it", "reason": "Note", "action": "save"})
    before = stored(schedule)
    refused = client.post(URL + "?year=2019/20", data)
    # Its partner is offered as it stands, so the save cannot quietly move it to the first party listed:
    # the model's rule is said for that row instead, and nothing changes.
    assert refused.status_code == 400
    assert f"Row {index + 1}: NHS England is not a party to agreement {HARINGEY}" in text_of(refused)
    assert stored(schedule) == before
