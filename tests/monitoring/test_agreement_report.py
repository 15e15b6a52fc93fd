"""The board's finance report of a whole agreement: every schedule's figures for a period, added up."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import BudgetLine
from agreements.services.schedules import schedule_create
from budgets.importing import budget_lines_import
from budgets.monitoring.action_plans import plan_open
from budgets.monitoring.agreement_report import agreement_periods, build_agreement_report
from budgets.monitoring.risk_rules import risk_share_set
from budgets.monitoring.services import return_present, return_save
from documents.models import Decision
from partnerships.models import Profile, Role

pytestmark = pytest.mark.django_db
REF = "HAR-S75-2017"
TODAY = date(2026, 12, 2)


@pytest.fixture
def two_schedules(schedule, lines, partners):
    council, ccg, _ = partners
    seven = schedule_create(agreement=schedule.agreement, reason="Set up for tests", document={"fields": {
        "number": 7, "title": "Public health", "service_name": "Public health", "pooled_fund": True}})
    budget_lines_import(schedule=seven, filename="seven.csv", reason="Budgets", content=(
        b"Financial year,Service,Partner,Budget type,Amount,Status,Ring-fenced public health\n"
        b"2018/19,Sexual health,LBH,Pooled,300000,,Yes\n"
        b"2018/19,Smoking cessation,Haringey CCG,Pooled,100000,,No\n"))
    seven_lines = {line.service: line for line in BudgetLine.objects.filter(schedule=seven)}
    risk_share_set(schedule=seven, rule="fixed", reason="Agreed",
                   parts=[{"partner_id": council.pk, "percent": "33.333"}, {"partner_id": ccg.pk, "percent": "66.667"}])
    six_values = {
        lines["Health visiting"].pk: {"actual_to_date": "2251200.40", "forecast_outturn": "4512000", "notes": "Agency"},
        lines["School nursing"].pk: {"actual_to_date": "330150.25", "forecast_outturn": "661500", "notes": ""},
        lines["Oral health promotion"].pk: {"actual_to_date": "31000", "forecast_outturn": "70800", "notes": ""},
        lines["Continuing care"].pk: {"actual_to_date": "400000", "forecast_outturn": "990000", "notes": ""},
    }
    six = return_save(schedule=schedule, financial_year=2018, period=6, values=six_values, reason="P6", today=TODAY)
    return_present(monitoring_return=six, decision=Decision(body="Health and Wellbeing Board",
                                                            decided_on=date(2018, 10, 18)))
    for period, (sexual, smoking) in ((3, ("70000.10", "20000")), (6, ("150000.15", "49000"))):
        return_save(schedule=seven, financial_year=2018, period=period, reason=f"P{period}", today=TODAY, values={
            seven_lines["Sexual health"].pk: {"actual_to_date": sexual, "forecast_outturn": "310000.01", "notes": ""},
            seven_lines["Smoking cessation"].pk: {"actual_to_date": smoking, "forecast_outturn": "99000", "notes": ""},
        })
    plan_open(schedule=schedule, budget_line=lines["Health visiting"], owner="Head of Commissioning",
              actions="Recruit permanent staff", target_saving=Decimal("100000"), due=date(2019, 3, 31),
              opened_in="2018/19 P6")
    return schedule, seven


def test_the_agreement_report_adds_up_every_schedule(two_schedules):
    six, seven = two_schedules
    report = build_agreement_report(six.agreement, 2018, 6)
    assert [row.schedule.number for row in report["rows"]] == [6, 7]
    total = report["total"]
    # Schedule 6: 6,120,088 budget, 6,234,300 forecast; Schedule 7: 400,000 and 409,000.01.
    assert total.budget == Decimal("6520088")
    assert total.forecast == Decimal("6643300.01")
    assert total.actual == Decimal("2251200.40") + Decimal("330150.25") + 31000 + 400000 + Decimal("150000.15") + 49000
    assert total.variance == Decimal("123212.01")
    assert total.flag.key == "red"  # over £50,000
    assert report["rows"][0].presented.startswith("Presented to Health and Wellbeing Board, 18 October 2018")
    assert report["rows"][1].presented == "Not presented"
    # Risk share: Schedule 6 by its own lines (aligned), Schedule 7 fixed 33.333/66.667 of £9,000.01.
    shares = {p["partner"]: p for p in report["shares"]}
    assert shares["NHS Haringey CCG"]["by_schedule"][1] == Decimal("6000.04")
    assert shares["Haringey Council"]["by_schedule"][1] == Decimal("2999.97")
    assert sum(p["total"] for p in report["shares"]) == report["share_total"] == total.variance
    assert shares["Haringey Council"]["total"] == Decimal("124212") + Decimal("2999.97")
    # Ring-fenced public health: only Schedule 7's sexual health line; Q1 from P3, Q2 = P6 less P3.
    quarters = {q["quarter"]: q for q in report["ring_fenced"]}
    assert quarters["Q1"]["actual"] == Decimal("70000.10") and quarters["Q1"]["missing"] == [6]
    assert quarters["Q2"]["actual"] == Decimal("80000.05") and quarters["Q2"]["missing"] == []
    assert quarters["Q3"]["actual"] is None
    assert [(s.number, plan.owner) for s, plan in report["plans"]] == [(6, "Head of Commissioning")]
    assert agreement_periods(six.agreement)[0] == {"year": 2018, "period": 6, "label": "2018/19 P6 (September)",
                                                   "schedules": [6, 7]}


def test_a_schedule_without_a_return_is_named_and_not_counted(two_schedules):
    six, _seven = two_schedules
    report = build_agreement_report(six.agreement, 2018, 3)
    assert [row.schedule.number for row in report["rows"]] == [7]
    assert [s.number for s in report["without"]] == [6]
    assert report["total"].budget == Decimal("400000")


def _client(user, partner, role=Role.FINANCE_OFFICER):
    Profile.objects.create(user=user, partner=partner)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    client = Client()
    client.force_login(user)
    return client


def test_the_page_pdf_and_xlsx(two_schedules, finance_user, partners):
    client = _client(finance_user, partners[0])
    agreement_page = client.get(reverse("agreement", args=[REF])).content.decode()
    index_url = reverse("budgets:agreement_finance_reports", args=[REF])
    assert index_url in agreement_page
    index = client.get(index_url).content.decode()
    url = reverse("budgets:agreement_finance_report", args=[REF, 2018, 6])
    assert url in index
    assert url in client.get(reverse("budgets:finance_report", args=[REF, 6, 2018, 6])).content.decode()
    page = client.get(url).content.decode()
    assert "Finance report: HAR-S75-2017, 2018/19 P6 (September)" in page
    assert "£6,520,088" in page and "£6,520,088.00" not in page and "+£123,212.01" in page
    assert "Red: overspend" in page and "Recruit permanent staff" in page
    assert page.count('data-testid="chart"') == 1
    pdf = client.get(reverse("budgets:agreement_finance_report_pdf", args=[REF, 2018, 6]))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert pdf["Content-Disposition"] == 'attachment; filename="HAR-S75-2017-finance-report-2018-P6.pdf"'
    xlsx = client.get(reverse("budgets:agreement_finance_report_xlsx", args=[REF, 2018, 6]))
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book["Schedules"]
    assert [c.value for c in sheet[1]][:3] == ["Schedule", "Title", "Budget"]
    assert sheet.auto_filter.ref == sheet.dimensions
    assert sheet["C2"].number_format == "#,##0.00"
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == [6, 7, "Total"]
    assert sheet["F4"].value == Decimal("123212.01") or float(sheet["F4"].value) == pytest.approx(123212.01)
    assert book["Risk share"]["A1"].value == "Partner"
    assert client.get(reverse("budgets:agreement_finance_report", args=[REF, 2018, 9])).status_code == 404


def test_outsiders_get_404(two_schedules, partners, django_user_model):
    outsider = django_user_model.objects.create_user(username="cambs", password="pw")
    client = _client(outsider, partners[2], Role.COMMISSIONER)
    for name in ("agreement_finance_reports",):
        assert client.get(reverse(f"budgets:{name}", args=[REF])).status_code == 404
    for name in ("agreement_finance_report", "agreement_finance_report_pdf", "agreement_finance_report_xlsx"):
        assert client.get(reverse(f"budgets:{name}", args=[REF, 2018, 6])).status_code == 404


def test_the_command_writes_the_agreement_report_without_schedule(two_schedules, tmp_path):
    for suffix, magic in (("xlsx", b"PK\x03\x04"), ("pdf", b"%PDF")):
        out = tmp_path / f"agreement.{suffix}"
        call_command("finance_report", REF, "--year", "2018/19", "--period", "P6", "--output", str(out),
                     stdout=io.StringIO())
        assert out.read_bytes()[:4] == magic
    book = load_workbook(tmp_path / "agreement.xlsx")
    assert [r[0].value for r in book["Schedules"].iter_rows(min_row=2)] == [6, 7, "Total"]
    with pytest.raises(CommandError, match="No schedule of HAR-S75-2017 has a return for 2018/19 P9"):
        call_command("finance_report", REF, "--year", "2018/19", "--period", "P9", "--output", str(out))
    with pytest.raises(CommandError, match="give --schedule N"):
        call_command("finance_report", REF, "--year", "2018/19", "--period", "P6", "--presented-version", "1",
                     "--output", str(out))
