"""What agreements make due (registered in `AgreementsConfig.ready()`, listed by `partnerships.due`).

An agreement's review date, its expiry, the last day to give notice before expiry (its notice
period back from the expiry date), each schedule's review date, each schedule's quarterly report
on ring-fenced public health spending (due a set number of working days after each quarter of a
financial year in which the schedule has ring-fenced lines), and each open variation: "Decision
needed" for the parties yet to decide, "Waiting for …" for those that have, due on the date the
variation is meant to take effect. Past review, expiry and notice dates and open variations stay on
the list as overdue while the agreement is live; past quarterly reports drop off (there is no
record yet of a report being made).

`live_agreements` and `live_schedules` are read once per listing (`partnerships.due.shared_read`)
and serve every agreement-based source, the monitoring returns and action plans of `budgets` too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import FilteredRelation, Q, QuerySet

from agreements.models import Agreement, AgreementStatus, Party, Schedule, ScheduleStatus, Variation, VariationStatus
from partnerships.due import DueItem, DueKind, shared_read
from partnerships.working_days import add_months, add_working_days

PH_REPORT_WORKING_DAYS = 20   # a quarter's ring-fenced public health report is due 20 working days after it ends

REVIEW = DueKind("agreement_review", "Agreement review", remind_days=30)
EXPIRY = DueKind("agreement_expiry", "Agreement expires", remind_days=60)
NOTICE = DueKind("agreement_notice", "Last day to give notice", remind_days=60)
SCHEDULE_REVIEW = DueKind("schedule_review", "Schedule review", remind_days=30)
PH_REPORT = DueKind("public_health_report", "Ring-fenced public health report", remind_days=10)
KINDS = [REVIEW, EXPIRY, NOTICE, SCHEDULE_REVIEW, PH_REPORT]
VARIATION_DECISION = DueKind("variation_decision", "Variation decision needed", remind_days=14)
VARIATION_WAITING = DueKind("variation_waiting", "Variation waiting for another party", remind_days=7)
VARIATION_KINDS = [VARIATION_DECISION, VARIATION_WAITING]

_ENDED = {AgreementStatus.EXPIRED, AgreementStatus.REPLACED, AgreementStatus.TERMINATED}


@dataclass
class LiveAgreement:
    pk: int
    reference: str
    title: str
    review_due: date | None
    expires: date | None
    notice_months: int | None
    parties: dict[int, str] = field(default_factory=dict)  # partner id: name, in the agreement's order

    @property
    def audience(self) -> frozenset[int]:
        return frozenset(self.parties)


@dataclass
class LiveSchedule:
    pk: int
    agreement: LiveAgreement
    number: int
    title: str
    status: str
    review_due: date | None
    years: set[int] = field(default_factory=set)            # financial years with budget lines, from `first_year`
    ring_fenced_years: set[int] = field(default_factory=set)


def financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def first_year(today: date) -> int:
    """The earliest financial year anything is listed for: the previous one, so the list stays short."""
    return financial_year(today) - 1


def live_agreement_query(partner_ids: set[int] | None) -> QuerySet[Agreement]:
    """Agreements not ended that any of the partners is party to (every one for None), as a subquery."""
    agreements = Agreement.objects.exclude(status__in=_ENDED)
    if partner_ids is not None:
        agreements = agreements.filter(parties__partner_id__in=partner_ids)
    return agreements.order_by().values("pk")


def live_agreements(partner_ids: set[int] | None, shared: dict) -> dict[int, LiveAgreement]:
    """The live agreements with their parties, by id (1 query, once per listing)."""
    def read() -> dict[int, LiveAgreement]:
        found: dict[int, LiveAgreement] = {}
        rows = (Party.objects.filter(agreement__in=live_agreement_query(partner_ids))
                .order_by("agreement_id", "position", "id")
                .values_list("agreement_id", "agreement__reference", "agreement__title", "agreement__review_due",
                             "agreement__expires", "agreement__notice_period_months", "partner_id", "partner__name"))
        for pk, reference, title, review_due, expires, notice, partner_id, partner_name in rows:
            agreement = found.get(pk) or found.setdefault(pk, LiveAgreement(pk, reference, title, review_due, expires, notice))
            agreement.parties[partner_id] = partner_name
        return found

    return shared_read(shared, f"agreements:{sorted(partner_ids) if partner_ids is not None else 'all'}", read)


def live_schedules(partner_ids: set[int] | None, shared: dict, *, today: date, until: date) -> list[LiveSchedule]:
    """The live agreements' schedules not withdrawn, with the years of their budget lines from the previous
    financial year to `until`'s (1 query, once per listing)."""
    agreements = live_agreements(partner_ids, shared)

    def read() -> list[LiveSchedule]:
        found: dict[int, LiveSchedule] = {}
        recent = Q(budget_lines__financial_year__gte=first_year(today), budget_lines__financial_year__lte=until.year)
        rows = (Schedule.objects.filter(agreement__in=live_agreement_query(partner_ids))
                .exclude(status=ScheduleStatus.WITHDRAWN)
                .annotate(recent=FilteredRelation("budget_lines", condition=recent))
                .order_by().values_list("pk", "agreement_id", "number", "title", "status", "review_due",
                                        "recent__financial_year", "recent__ring_fenced_public_health").distinct())
        for pk, agreement_id, number, title, status, review_due, year, ring_fenced in rows:
            if agreement_id not in agreements:
                continue
            schedule = found.get(pk) or found.setdefault(
                pk, LiveSchedule(pk, agreements[agreement_id], number, title, status, review_due))
            if year is not None:
                schedule.years.add(year)
                if ring_fenced:
                    schedule.ring_fenced_years.add(year)
        return sorted(found.values(), key=lambda s: (s.agreement.reference, s.number))

    return shared_read(shared, "schedules", read)


def _quarter_ends(financial_year: int) -> list[tuple[str, date]]:
    y = financial_year
    return [("Q1", date(y, 6, 30)), ("Q2", date(y, 9, 30)), ("Q3", date(y, 12, 31)), ("Q4", date(y + 1, 3, 31))]


def agreement_items(partner_ids: set[int] | None, *, today: date, until: date, shared: dict) -> list[DueItem]:
    """Agreement and schedule dates and quarterly reports due up to `until` for the partners' agreements (2 queries)."""
    items: list[DueItem] = []
    for agreement in live_agreements(partner_ids, shared).values():
        reference = agreement.reference
        common = {"link": ("agreement", (reference,)), "audience": agreement.audience, "agreement": reference}
        if agreement.review_due and agreement.review_due <= until:
            items.append(DueItem(REVIEW.code, f"agreement-{agreement.pk}-review", agreement.review_due,
                                 f"Review {reference}: {agreement.title}", **common))
        if agreement.expires and agreement.expires <= until:
            items.append(DueItem(EXPIRY.code, f"agreement-{agreement.pk}-expiry", agreement.expires,
                                 f"{reference} expires: {agreement.title}", **common))
        if agreement.expires and agreement.notice_months:
            notice = add_months(agreement.expires, -agreement.notice_months)
            if notice <= until:
                items.append(DueItem(
                    NOTICE.code, f"agreement-{agreement.pk}-notice", notice, f"Last day to give notice on {reference}",
                    detail=f"{agreement.notice_months} months before it expires on {agreement.expires:%-d %B %Y}", **common,
                ))
    for schedule in live_schedules(partner_ids, shared, today=today, until=until):
        items.extend(_schedule_items(schedule, today=today, until=until))
    return items


def _schedule_items(schedule: LiveSchedule, *, today: date, until: date) -> list[DueItem]:
    reference, number = schedule.agreement.reference, schedule.number
    who = {"audience": schedule.agreement.audience, "agreement": reference}
    items = []
    if schedule.review_due and schedule.review_due <= until:
        items.append(DueItem(
            SCHEDULE_REVIEW.code, f"schedule-{schedule.pk}-review", schedule.review_due,
            f"Review {reference} Schedule {number}: {schedule.title}",
            link=("schedule", (reference, number)), **who,
        ))
    for year in sorted(schedule.ring_fenced_years):
        for quarter, ends in _quarter_ends(year):
            due = add_working_days(ends, PH_REPORT_WORKING_DAYS)
            if today <= due <= until:
                items.append(DueItem(
                    PH_REPORT.code, f"schedule-{reference}-{number}-ph-{year}-{quarter}", due,
                    f"Ring-fenced public health report, {quarter} {year}/{(year + 1) % 100:02d}: {reference} Schedule {number}",
                    link=("budgets:schedule_reports", (reference, number)),
                    detail=f"{PH_REPORT_WORKING_DAYS} working days after the quarter ended on {ends:%-d %B %Y}", **who,
                ))
    return items


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def variation_items(partner_ids: set[int] | None, *, today: date, until: date, shared: dict) -> list[DueItem]:
    """Each open variation of the partners' live agreements, due on its intended effective date (1 query):
    "Decision needed" for each party yet to decide, "Waiting for …" for those that have decided."""
    agreements = live_agreements(partner_ids, shared)
    if not agreements:
        return []
    rows = (Variation.objects.filter(status=VariationStatus.PROPOSED, agreement__in=live_agreement_query(partner_ids),
                                     effective_date__lte=until)
            .order_by().values_list("pk", "agreement_id", "number", "title", "effective_date", "decisions__partner_id"))
    variations: dict[int, tuple[LiveAgreement, int, str, date, set[int]]] = {}
    for pk, agreement_id, number, title, effective, decided in rows:
        if agreement_id in agreements:
            variations.setdefault(pk, (agreements[agreement_id], number, title, effective, set()))[4].add(decided)
    items = []
    for pk, (agreement, number, title, effective, decided) in variations.items():
        reference = agreement.reference
        waiting = [name for partner_id, name in agreement.parties.items() if partner_id not in decided]
        common = {"link": ("variation", (reference, number)), "agreement": reference,
                  "detail": f"Intended to take effect on {effective:%-d %B %Y}"}
        undecided = frozenset(p for p in agreement.parties if p not in decided)
        if undecided:
            items.append(DueItem(VARIATION_DECISION.code, f"variation-{pk}-decision", effective,
                                 f"Decision needed: {reference} variation {number}, {title}", audience=undecided, **common))
        done = agreement.audience - undecided
        if done and waiting:
            items.append(DueItem(VARIATION_WAITING.code, f"variation-{pk}-waiting", effective,
                                 f"Waiting for {_names(waiting)}: {reference} variation {number}, {title}",
                                 audience=done, **common))
    return items
