"""What agreements make due (registered in `AgreementsConfig.ready()`, listed by `partnerships.due`).

An agreement's review date, its expiry, the last day to give notice before expiry (its notice
period back from the expiry date), and each schedule's quarterly report on ring-fenced public
health spending, due a set number of working days after each quarter of a financial year in
which the schedule has ring-fenced lines. Past review, expiry and notice dates stay on the list
as overdue while the agreement is live; past quarterly reports drop off (there is no record yet
of a report being made).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.urls import reverse

from agreements.models import Agreement, AgreementStatus, BudgetLine, Party
from partnerships.due import DueItem, DueKind
from partnerships.working_days import add_months, add_working_days

PH_REPORT_WORKING_DAYS = 20   # a quarter's ring-fenced public health report is due 20 working days after it ends

REVIEW = DueKind("agreement_review", "Agreement review", remind_days=30)
EXPIRY = DueKind("agreement_expiry", "Agreement expires", remind_days=60)
NOTICE = DueKind("agreement_notice", "Last day to give notice", remind_days=60)
PH_REPORT = DueKind("public_health_report", "Ring-fenced public health report", remind_days=10)
KINDS = [REVIEW, EXPIRY, NOTICE, PH_REPORT]

_ENDED = {AgreementStatus.EXPIRED, AgreementStatus.REPLACED, AgreementStatus.TERMINATED}


def _audiences(agreements) -> dict[int, frozenset[int]]:
    parties: dict[int, set[int]] = defaultdict(set)
    for agreement_id, partner_id in Party.objects.filter(agreement__in=agreements).values_list("agreement_id", "partner_id"):
        parties[agreement_id].add(partner_id)
    return {key: frozenset(value) for key, value in parties.items()}


def _quarter_ends(financial_year: int) -> list[tuple[str, date]]:
    y = financial_year
    return [("Q1", date(y, 6, 30)), ("Q2", date(y, 9, 30)), ("Q3", date(y, 12, 31)), ("Q4", date(y + 1, 3, 31))]


def agreement_items(partner_ids: set[int] | None, *, today: date, until: date) -> list[DueItem]:
    """Every agreement date and quarterly report due up to `until` for agreements the partners are party to (3 queries)."""
    agreements = Agreement.objects.exclude(status__in=_ENDED)
    if partner_ids is not None:
        agreements = agreements.filter(parties__partner_id__in=partner_ids).distinct()
    rows = list(agreements.order_by().values_list("pk", "reference", "title", "review_due", "expires", "notice_period_months"))
    audience = _audiences(agreements)
    items: list[DueItem] = []
    for pk, reference, title, review_due, expires, notice_months in rows:
        url = reverse("agreement", args=[reference])
        common = {"url": url, "audience": audience.get(pk, frozenset()), "agreement": reference}
        if review_due and review_due <= until:
            items.append(DueItem(REVIEW.code, f"agreement-{pk}-review", review_due, f"Review {reference}: {title}", **common))
        if expires and expires <= until:
            items.append(DueItem(EXPIRY.code, f"agreement-{pk}-expiry", expires, f"{reference} expires: {title}", **common))
        if expires and notice_months:
            notice = add_months(expires, -notice_months)
            if notice <= until:
                items.append(DueItem(
                    NOTICE.code, f"agreement-{pk}-notice", notice, f"Last day to give notice on {reference}",
                    detail=f"{notice_months} months before it expires on {expires:%-d %B %Y}", **common,
                ))
    items.extend(_public_health_reports(agreements, audience, today=today, until=until))
    return items


def _public_health_reports(agreements, audience, *, today: date, until: date) -> list[DueItem]:
    first_year = (today.year if today.month >= 4 else today.year - 1) - 1
    lines = (
        BudgetLine.objects.filter(schedule__agreement__in=agreements, ring_fenced_public_health=True,
                                  financial_year__gte=first_year, financial_year__lte=until.year)
        .order_by().values_list("schedule__agreement_id", "schedule__agreement__reference", "schedule__number",
                                "financial_year").distinct()
    )
    items = []
    for agreement_id, reference, number, year in lines:
        for quarter, ends in _quarter_ends(year):
            due = add_working_days(ends, PH_REPORT_WORKING_DAYS)
            if today <= due <= until:
                items.append(DueItem(
                    PH_REPORT.code, f"schedule-{reference}-{number}-ph-{year}-{quarter}", due,
                    f"Ring-fenced public health report, {quarter} {year}/{(year + 1) % 100:02d}: {reference} Schedule {number}",
                    url=reverse("budgets:schedule_reports", args=[reference, number]),
                    audience=audience.get(agreement_id, frozenset()), agreement=reference,
                    detail=f"{PH_REPORT_WORKING_DAYS} working days after the quarter ended on {ends:%-d %B %Y}",
                ))
    return items
