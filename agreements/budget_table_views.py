"""The budget lines page: a schedule's lines edited as a table, filtered by year and budget type.

Permission check, the rows as posted (`agreements.budget_table`), one `schedule_update` with the
whole list of lines, redirect, run by the edit pages' `documents.editing.handle_edit_post` with the
table's own row checks and messages. Add and Remove are submit buttons that redraw the page with
what was typed (static/js/budget-table.js does the same in place when JavaScript runs).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from agreements.budget_table import (
    LIST,
    BudgetFilter,
    BudgetLinesForm,
    Merge,
    check_rows,
    merge_rows,
    new_row,
    rows_from_snapshot,
    save_errors,
    table_spec,
    type_choices,
    year_choices,
)
from agreements.selectors import schedule_for
from agreements.services.schedules import schedule_update
from agreements.snapshots import schedule_budget_lines_now
from agreements.views import edit_variation
from documents.editing import EditPage, handle_edit_post
from documents.item_lists import read_items
from documents.revisions import latest_revision
from partnerships.access import Capability, require

TEMPLATE = "agreements/budget_lines.html"


@login_required
def schedule_budget_lines(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_BUDGETS)
    agreement = schedule.agreement
    snapshot = schedule_budget_lines_now(schedule)
    lines = snapshot["budget_lines"]
    budget_filter = BudgetFilter.from_params(request.GET)
    spec = table_spec(agreement, budget_filter, snapshot)
    context = {
        "schedule": schedule, "agreement": agreement, "latest": latest_revision(schedule), "spec": spec,
        "filter": budget_filter, "year_choices": year_choices(lines, budget_filter), "type_choices": type_choices(),
        "new_row": new_row(spec), "total_lines": len(lines),
        "shown_lines": sum(1 for line in lines if budget_filter.matches(line)),
        "current_url": reverse("schedule", args=[agreement.reference, schedule.number]) + "#budgets",
    }
    variation = edit_variation(request, schedule, context)
    if request.method != "POST":
        form = BudgetLinesForm(initial={"edit_count": schedule.edit_count})
        return EditPage(request, form, {LIST: spec}, {LIST: rows_from_snapshot(lines, budget_filter)}, TEMPLATE,
                        context).render()

    form = BudgetLinesForm(request.POST)
    page = EditPage(request, form, {LIST: spec}, {LIST: read_items(request.POST, spec)}, TEMPLATE, context)
    merge = Merge(lines=[])  # the posted rows among the schedule's other lines, once they read

    def check(lists):
        rows, errors = check_rows(lists[LIST], spec)
        return {LIST: rows}, errors

    def to_document(_form, checked):
        nonlocal merge
        merge = merge_rows(lines, budget_filter, checked[LIST])
        return {LIST: merge.lines}

    def saved_message(_revision) -> str:
        changes = merge.summary()
        return f"Budget lines for Schedule {schedule.number} saved{f' ({changes})' if changes else ''}. " \
               "The change is in its history."

    year = f"?year={budget_filter.year_label}" if budget_filter.year is not None else ""
    return handle_edit_post(
        page, check=check, to_document=to_document,
        save=lambda document: schedule_update(
            schedule=schedule, document=document, user=request.user, reason=form.cleaned_data["reason"],
            expected_edit_count=form.cleaned_data["edit_count"], variation=variation,
        ),
        errors_from=lambda error, form: save_errors(error, merge, form),
        success_url=reverse("schedule", args=[agreement.reference, schedule.number]) + year + "#budgets",
        success_message=saved_message,
    )
