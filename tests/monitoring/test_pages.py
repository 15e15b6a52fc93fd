"""The monitoring pages of a schedule: the periods, a return with its flags, the table editor."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from agreements.models import BudgetLine, Schedule
from budgets.monitoring.models import MonitoringReturn

REF = "HARINGEY-S75-2017"
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_module, db):  # the demo, once per module (tests/conftest.py)
    return Schedule.objects.get(agreement__reference=REF, number=6)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _line(schedule, service):
    return BudgetLine.objects.get(schedule=schedule, financial_year=2018, service=service, partner__code="E09000014")


def test_entering_a_return_in_the_table_editor(demo):
    client = _client("haringey-finance")
    url = reverse("budgets:monitoring_edit", args=[REF, 6, 2018, 8])  # the demo has P1 to P6
    page = client.get(url)
    assert page.status_code == 200 and "Health visiting" in page.content.decode()
    visiting = _line(demo, "Health visiting")
    nursing = _line(demo, "School nursing")
    response = client.post(url, {
        "edit_count": 0, "reason": "P3 from the ledger",
        f"line-{visiting.pk}-actual": "1,100,000", f"line-{visiting.pk}-forecast": "£4,600,000",
        f"line-{visiting.pk}-notes": "Agency cover",
        f"line-{nursing.pk}-actual": "300000", f"line-{nursing.pk}-forecast": "250000",
    }, follow=True)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Red: overspend" in text and "+£211,412" in text and "+£211,412.00" not in text
    assert "forecast outturn £250,000 is below the actual to date £300,000" in text  # a warning, saved anyway
    monitoring_return = MonitoringReturn.objects.get(schedule=demo, financial_year=2018, period=8)
    assert monitoring_return.entries.count() == 2


def test_bad_figures_are_named_and_nothing_is_saved(demo):
    client = _client("haringey-commissioner")
    url = reverse("budgets:monitoring_edit", args=[REF, 6, 2018, 9])
    visiting = _line(demo, "Health visiting")
    response = client.post(url, {"edit_count": 0, f"line-{visiting.pk}-actual": "lots",
                                 f"line-{visiting.pk}-forecast": "-5"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Health visiting (Haringey Council), actual to date (£): “lots” is not an amount" in text
    assert "“-5” is negative" in text
    assert not MonitoringReturn.objects.filter(period=9).exists()


def test_viewers_read_and_cannot_edit(demo):
    assert _client("haringey-viewer").get(reverse("budgets:monitoring", args=[REF, 6])).status_code == 200
    assert _client("haringey-viewer").get(reverse("budgets:monitoring_edit", args=[REF, 6, 2018, 1])).status_code == 403


def test_import_upload_preview_confirm(demo, settings, tmp_path):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    example = Path(__file__).resolve().parents[2] / "fixtures/monitoring/haringey-schedule-6-2018-19-P6.csv"
    client = _client("haringey-finance")
    upload = client.post(reverse("budgets:monitoring_import", args=[REF, 6]),
                         {"file": SimpleUploadedFile("p7.csv", example.read_bytes().replace(b",P6,", b",P7,"))})
    assert upload.status_code == 302
    preview = client.get(upload["Location"])
    assert "Confirm the import" in preview.content.decode() and not MonitoringReturn.objects.filter(period=7).exists()
    page = client.post(upload["Location"], follow=True).content.decode()
    assert "+£126,471" in page and "+2.3 %" in page  # the README's projected overspend
    assert "Red: overspend" in page


def test_a_red_line_needs_an_action_plan_until_one_is_opened_and_closed(demo):
    from budgets.monitoring.models import ActionPlan
    from budgets.monitoring.services import return_save

    ActionPlan.objects.all().delete()  # the demo's plan for health visiting: this test opens its own
    visiting = _line(demo, "Health visiting")
    return_save(schedule=demo, financial_year=2018, period=6, reason="P6",
                values={visiting.pk: {"actual_to_date": "2251200.40", "forecast_outturn": "4512000", "notes": ""}})
    client = _client("haringey-finance")
    page = client.get(reverse("budgets:return", args=[REF, 6, 2018, 6])).content.decode()
    assert "needs an action plan" in page
    new = reverse("budgets:action_plan_new", args=[REF, 6, 2018, 6, visiting.pk])
    response = client.post(new, {"owner": "Head of Commissioning", "actions": "Recruit to vacancies",
                                 "target_saving": "120000",
                                 "due_day": "31", "due_month": "3", "due_year": "2019"})
    assert response.status_code == 302
    page = client.get(reverse("budgets:return", args=[REF, 6, 2018, 6])).content.decode()
    assert "needs an action plan" not in page and "Recruit to vacancies" in page
    report = client.get(reverse("budgets:finance_report", args=[REF, 6, 2018, 6])).content.decode()
    assert "Recruit to vacancies" in report and "Risk share" in report
    client.post(response["Location"], {"action": "progress", "financial_year": 2018, "period": 6, "note": "Two hired"})
    client.post(response["Location"], {"action": "close", "closing_note": "Vacancies filled"})
    page = client.get(reverse("budgets:return", args=[REF, 6, 2018, 6])).content.decode()
    assert "needs an action plan" in page  # still red, and the plan is closed
