"""Reads for the agreement pages, each in a fixed number of queries whatever the data size.

Every read starts from the user's scope: a user sees only the agreements their partner is party
to, and anything else answers 404 so its existence is not revealed (`docs/security.md`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from agreements.budget_values import financial_year_label
from agreements.models import Agreement, BudgetLine, Party, Schedule, SpecificationParagraph
from agreements.presenters import current_financial_year
from agreements.snapshots import budget_line_values, schedule_snapshot
from documents.models import Revision, Version
from documents.prefetching import set_prefetched
from partnerships.access import user_partner

REVIEW_WARNING_DAYS = 90


# --------------------------------------------------------------------------- the user's scope


def agreements_visible_to(user) -> QuerySet[Agreement]:
    """The agreements the user's partner is party to (all of them for a superuser, none signed out)."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    if user.is_superuser:
        return Agreement.objects.all()
    partner = user_partner(user)
    if partner is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(parties__partner=partner).distinct()


def agreement_for(user, reference: str, queryset: QuerySet[Agreement] | None = None) -> Agreement:
    """The agreement if the user may see it; 404 otherwise, the same as one that does not exist.
    `queryset` (e.g. `snapshots.agreement_queryset()`, with its rows prefetched) reads it in the same query."""
    visible = agreements_visible_to(user)
    try:
        if queryset is None:
            return visible.get(reference=reference)
        return queryset.get(pk__in=visible.values("pk"), reference=reference)
    except Agreement.DoesNotExist:
        raise Http404("No agreement found.") from None


def schedule_for(user, reference: str, number: int, *related: str) -> Schedule:
    """The schedule (with its agreement and any other `related` rows) if the user may see its agreement;
    404 otherwise, the same for an agreement they may not see as for a schedule that does not exist.
    One query: the scope is a subquery, not a read of the agreement first."""
    try:
        return Schedule.objects.select_related("agreement", *related).get(
            agreement__in=agreements_visible_to(user), agreement__reference=reference, number=number
        )
    except Schedule.DoesNotExist:
        raise Http404("No schedule found.") from None


# --------------------------------------------------------------------------- the home page


def review_flag(review_due: date | None, today: date | None = None) -> str:
    """'overdue', 'due' (within 90 days) or '' — what makes a review stand out."""
    if review_due is None:
        return ""
    today = today or date.today()
    if review_due < today:
        return "overdue"
    if review_due <= today + timedelta(days=REVIEW_WARNING_DAYS):
        return "due"
    return ""


def home_agreements(visible: QuerySet[Agreement], *, status: str = "", search: str = "") -> QuerySet[Agreement]:
    agreements = visible
    if status:
        agreements = agreements.filter(status=status)
    if search:
        agreements = agreements.filter(Q(title__icontains=search) | Q(reference__icontains=search))
    return (
        Agreement.objects.filter(pk__in=agreements.values("pk"))
        .annotate(schedule_count=Count("schedules", distinct=True))
        .prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("partner")))
        .order_by("review_due", "reference")
    )


@dataclass
class ScheduleRow:
    schedule: Schedule
    totals: list[tuple[str, Decimal]]


def agreement_schedules(agreement: Agreement, year: int | None = None) -> tuple[list[ScheduleRow], str]:
    """Each schedule with its budget total per partner for the current financial year."""
    year = current_financial_year() if year is None else year
    schedules = list(agreement.schedules.order_by("number"))
    sums = (
        BudgetLine.objects.filter(schedule__agreement=agreement, financial_year=year, amount__isnull=False)
        .values("schedule_id", "partner__name")
        .annotate(total=Sum("amount"))
        .order_by("schedule_id", "partner__name")
    )
    by_schedule: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for row in sums:
        by_schedule[row["schedule_id"]].append((row["partner__name"], row["total"]))
    return [ScheduleRow(s, by_schedule.get(s.pk, [])) for s in schedules], financial_year_label(year)


def latest_budget_year(agreement: Agreement) -> int | None:
    return (
        BudgetLine.objects.filter(schedule__agreement=agreement).order_by("-financial_year")
        .values_list("financial_year", flat=True).first()
    )


# --------------------------------------------------------------------------- the schedule page
# The schedule page reads every child row of a schedule. `snapshots.schedule_queryset()` does it
# with one query per kind of row (nine); the six lists with the same shape (aims, outcomes,
# strategy documents, KPIs, risks, specification sections) come here in one UNION query instead,
# and the rows are handed to `schedule_snapshot` as if prefetched, so the page reads the same.

_ITEM_LISTS: list[tuple[str, str, str | None]] = [
    # related name, first text column, second text column
    ("aims", "text", None),
    ("outcomes", "text", None),
    ("strategy_documents", "text", None),
    ("kpis", "text", None),
    ("risks", "risk", "mitigation"),
    ("specification_sections", "heading", None),
]


def schedule_with_rows(user, reference: str, number: int) -> tuple[Schedule, dict]:
    """The schedule the user may read and its document as `schedule_snapshot` makes it, in five queries.

    404 (as `schedule_for`) when the user's partner is not party to the
    agreement or the agreement has no such schedule. The budget lines (a hundred or more) are read
    as plain rows, not model instances (`snapshots.budget_line_values`): the schedule returned has
    no `budget_lines` prefetched, so read its document from the snapshot returned beside it, never
    by `schedule_snapshot(schedule)` again.
    """
    from django.db.models import CharField, F, TextField, Value

    schedule = schedule_for(user, reference, number, "lead_commissioner", "host")

    parts = []
    for name, first, second in _ITEM_LISTS:
        model = schedule._meta.get_field(name).related_model
        parts.append(
            model.objects.filter(schedule_id=schedule.pk).order_by().annotate(
                list_name=Value(name, output_field=CharField()),
                first_text=F(first),
                second_text=F(second) if second else Value("", output_field=TextField()),
            ).values_list("list_name", "id", "position", "first_text", "second_text")
        )
    rows: dict[str, list] = {name: [] for name, _first, _second in _ITEM_LISTS}
    for list_name, pk, position, first_text, second_text in parts[0].union(*parts[1:], all=True):
        rows[list_name].append((position, pk, first_text, second_text))
    for name, first, second in _ITEM_LISTS:
        model = schedule._meta.get_field(name).related_model
        items = []
        for position, pk, first_text, second_text in sorted(rows[name]):
            values = {first: first_text, **({second: second_text} if second else {})}
            items.append(model(id=pk, position=position, schedule_id=schedule.pk, **values))
        set_prefetched(schedule, name, items)

    paragraphs: dict[int, list] = defaultdict(list)
    for paragraph in SpecificationParagraph.objects.filter(section__schedule_id=schedule.pk).order_by("position", "id"):
        paragraphs[paragraph.section_id].append(paragraph)
    for section in schedule.specification_sections.all():
        set_prefetched(section, "paragraphs", paragraphs.get(section.pk, []))
    set_prefetched(schedule.agreement, "parties",
                   list(Party.objects.filter(agreement_id=schedule.agreement_id).select_related("partner")))
    return schedule, schedule_snapshot(schedule, budget_lines=budget_line_values(schedule.pk))


def document_state(document) -> tuple[Revision | None, Version | None, bool]:
    """The latest revision, the latest agreed version and whether there are changes since it (a draft):
    `documents.revisions.latest_state` (no snapshot read once the draft answer is remembered)."""
    from documents.revisions import latest_state

    return latest_state(document)
