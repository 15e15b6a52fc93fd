"""The monitoring page of a period reads in a fixed number of queries, whatever the schedule's size."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import BudgetLine
from budgets.importing import budget_lines_import
from budgets.monitoring.models import MonitoringEntry
from budgets.monitoring.services import return_save
from partnerships.models import Profile, Role

pytestmark = pytest.mark.django_db
LIMIT = 15


def _grow(schedule, lines: int) -> None:
    rows = "".join(f"2018/19,Service {i},LBH,Aligned,{1000 + i},\n" for i in range(lines))
    budget_lines_import(schedule=schedule, filename="lines.csv", reason="Lines",
                        content=f"Financial year,Service,Partner,Budget type,Amount,Status\n{rows}".encode())
    ids = BudgetLine.objects.filter(schedule=schedule).values_list("pk", flat=True)
    for period in (3, 6):  # a quarter-end and the period shown: enough to show the count does not grow
        return_save(schedule=schedule, financial_year=2018, period=period, reason=f"P{period}",
                    values={pk: {"actual_to_date": period * 10, "forecast_outturn": 1100, "notes": ""} for pk in ids})


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["budgets:return", "budgets:finance_report"])
def test_the_period_pages_take_the_same_queries_for_5_and_40_lines(schedule, partners, finance_user, page):
    Profile.objects.create(user=finance_user, partner=partners[0])
    finance_user.groups.add(Group.objects.get_or_create(name=Role.FINANCE_OFFICER.value)[0])
    client = Client()
    client.force_login(finance_user)
    url = reverse(page, args=[schedule.agreement.reference, 6, 2018, 6])
    _grow(schedule, 5)
    client.get(url)  # warm the session and content types
    small = _queries(client, url)
    _grow(schedule, 35)
    assert _queries(client, url) == small
    if page == "budgets:return":
        assert small <= LIMIT, small


def _lines_and_periods(schedule, lines: int, periods: int) -> None:
    rows = "".join(f"2018/19,Service {i:03d},LBH,Aligned,{1000 + i},\n" for i in range(lines))
    budget_lines_import(schedule=schedule, filename="lines.csv", reason="Lines",
                        content=f"Financial year,Service,Partner,Budget type,Amount,Status\n{rows}".encode())
    ids = list(BudgetLine.objects.filter(schedule=schedule).values_list("pk", flat=True))
    for period in range(1, periods + 1):
        return_save(schedule=schedule, financial_year=2018, period=period, reason=f"P{period}",
                    values={pk: {"actual_to_date": period * 10, "forecast_outturn": 1000 + period, "notes": ""}
                            for pk in ids})


def test_the_monitoring_pages_of_100_lines_by_12_periods_take_at_most_15_queries_as_for_3_by_2(
        schedule, partners, agreement, finance_user):
    """The index (the year's twelve periods) and the P12 return page: the same count for a small schedule."""
    from agreements.services.schedules import schedule_create

    Profile.objects.create(user=finance_user, partner=partners[0])
    finance_user.groups.add(Group.objects.get_or_create(name=Role.FINANCE_OFFICER.value)[0])
    client = Client()
    client.force_login(finance_user)
    small = schedule_create(agreement=agreement, reason="Set up", document={"fields": {
        "number": 7, "title": "Small", "service_name": "Small", "aligned_budgets": True}})
    _lines_and_periods(small, 3, 12)
    _lines_and_periods(schedule, 100, 12)
    assert MonitoringEntry.objects.filter(monitoring_return__schedule=schedule).count() == 1200
    ref = agreement.reference
    for name, args in (("budgets:return", [2018, 12]), ("budgets:monitoring", [])):
        client.get(reverse(name, args=[ref, 7, *args]))  # warm the session and content types
        few = _queries(client, reverse(name, args=[ref, 7, *args]))
        many = _queries(client, reverse(name, args=[ref, 6, *args]))
        assert many == few, (name, few, many)
        assert many <= LIMIT, (name, many)
