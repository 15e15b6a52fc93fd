"""The "What's due" page: bands, filters, links, scoping and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.services import board_add_agreement
from tests.due.conftest import TODAY
from tests.factories import make_agreement, make_board, make_schedule


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("partnerships.due_views.timezone.localdate", lambda: TODAY)


def test_the_page_bands_items_and_links_each_to_where_it_is_dealt_with(world):
    make_agreement(partners=[world.council, world.ccg], reference="RIVER-2", status="in_force", review_due="2026-12-20")
    page = world.client("commissioner").get("/due/").content.decode()
    overdue = page.index('data-testid="due-overdue"')
    soon = page.index('data-testid="due-soon"')
    later = page.index('data-testid="due-later"')
    assert overdue < page.index("Review RIVER-S75:") < soon  # 30 November: overdue
    assert soon < page.index("Review RIVER-2:") < later  # 20 December: within 30 days
    assert later < page.index("Riverside Joint Board meets")  # 14 January, moved to the 21st
    assert 'href="/agreements/RIVER-S75/"' in page and f'href="/boards/{world.board.pk}/meetings/"' in page
    assert "Last day to give notice on RIVER-S75" in page and "HILL-S75" not in page


def test_outsiders_see_only_their_own(world):
    page = world.client("outsider").get("/due/").content.decode()
    assert "HILL-S75" in page and "RIVER-S75" not in page and "Riverside Joint Board" not in page


def test_filters_by_agreement_board_and_kind(world):
    client = world.client("viewer")
    by_kind = client.get("/due/", {"kind": "board_meeting"}).content.decode()
    assert "Riverside Joint Board meets" in by_kind and "Review RIVER-S75" not in by_kind
    by_board = client.get("/due/", {"board": world.board.pk}).content.decode()
    assert "Riverside Joint Board meets" in by_board and "Last day to give notice on" not in by_board
    by_agreement = client.get("/due/", {"agreement": "RIVER-S75"}).content.decode()
    assert "Review RIVER-S75" in by_agreement and "Riverside Joint Board meets" not in by_agreement


def test_a_filter_value_that_is_not_offered_is_named_and_ignored(world):
    response = world.client("viewer").get("/due/", {"agreement": "HILL-S75", "kind": "nonsense"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "“HILL-S75” is not an agreement of yours with items due: choose one from the list." in page
    assert "“nonsense” is not a kind of item: choose one from the list." in page
    assert "Hilltop" not in page and "Review RIVER-S75" in page  # shown unfiltered, nothing of the outsider's


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/due/").status_code == 200
    return len(captured)


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_agreements_and_boards(world):
    client = world.client("commissioner")
    client.get("/due/")  # the session's first read
    few = _queries(client)
    for n in range(6):
        agreement = make_agreement(partners=[world.council, world.ccg], status="in_force",
                                   review_due="2027-02-01", expires="2028-03-31", notice_period_months=3)
        board = make_board(f"Extra board {n}")
        board_add_agreement(board=board, agreement=agreement, reason="Test")
        _give_every_other_kind(agreement, world.council if n % 2 else world.ccg, n)  # the decider, by turns
    page = client.get("/due/").content.decode()
    for shown in ("Monitoring return 2026/27 P8", "Action plan for Health visiting", "Decision needed:",
                  "Waiting for Riverside CCG", "Review the terms", "Ring-fenced public health report",
                  f"Review {agreement.reference} Schedule 1: Test services"):
        assert shown in page, shown
    # six schedules' P8 returns, due the same day, are one row linking to them listed; by kind each is a row
    assert "Monitoring return 2026/27 P8 for 6 schedules" in page and 'href="/due/?kind=monitoring_return"' in page
    assert page.count("Monitoring return 2026/27 P8:") == 0
    listed = client.get("/due/", {"kind": "monitoring_return"}).content.decode()
    assert listed.count("Monitoring return 2026/27 P8:") == 6 and 'data-testid="due-group"' not in listed
    many = _queries(client)
    assert few == many <= 15, (few, many)


def _give_every_other_kind(agreement, decider, n):
    """A schedule in force with a review date, budget and ring-fenced lines and one return made, an open
    action plan, an open variation `decider` has agreed, and terms of reference due for review."""
    from datetime import date

    from agreements.models import BudgetLine, PartyDecision, Variation
    from budgets.monitoring.models import ActionPlan, MonitoringReturn
    from documents.models import Decision
    from governance.models import TermsOfReference

    schedule = make_schedule(agreement=agreement, fields={"status": "in_force", "review_due": date(2027, 1, 10)})
    line = BudgetLine.objects.create(schedule=schedule, service="Health visiting", partner=decider, financial_year=2026,
                                     budget_type="pooled", amount="10.00", status="confirmed", ring_fenced_public_health=True)
    MonitoringReturn.objects.create(schedule=schedule, financial_year=2026, period=1)
    ActionPlan.objects.create(schedule=schedule, budget_line=line, owner="Head of Finance", actions="Cut",
                              target_saving="1.00", due=date(2027, 1, 31), opened_in="2026/27 P7")
    variation = Variation.objects.create(agreement=agreement, number=1, title=f"Change {n}", summary="Change",
                                         effective_date=date(2027, 4, 1))
    PartyDecision.objects.create(variation=variation, partner=decider, outcome="agreed", variation_edit_count=0,
                                 decision=Decision.objects.create(body="Cabinet", decided_on=date(2026, 12, 1)))
    board = agreement.boards.get()
    TermsOfReference.objects.create(board=board, title=f"Terms {n}", purpose="Test", review_due=date(2027, 1, 5))


def test_text_people_typed_is_escaped_in_the_rows(world):
    make_agreement(partners=[world.council, world.ccg], reference="RIVER-3", status="in_force", review_due="2026-12-20",
                   title='Care <script>alert("x")</script> & support')
    page = world.client("commissioner").get("/due/").content.decode()
    assert "Review RIVER-3: Care &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; support" in page
    assert '<script>alert("x")' not in page
    assert 'href="/due/agreement-' in page and '.ics" download>Add to calendar' in page
