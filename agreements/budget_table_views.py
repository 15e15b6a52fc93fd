"""The budget lines page: a schedule's lines edited as a table, filtered by year and budget type.

Permission check, the rows as posted (`agreements.budget_table`), one `schedule_update` with the
whole list of lines, redirect. Add and Remove are submit buttons that redraw the page with what
was typed (static/js/budget-table.js does the same in place when JavaScript runs).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from agreements.budget_table import (
    LIST,
    BudgetFilter,
    BudgetLinesForm,
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
from agreements.snapshots import schedule_queryset, schedule_snapshot
from agreements.views import edit_variation
from documents.editing import NO_CHANGES, EditPage
from documents.item_lists import apply_action, read_items
from documents.revisions import latest_revision
from documents.services import EditConflict, NothingChanged
from partnerships.access import Capability, require

TEMPLATE = "agreements/budget_lines.html"


@login_required
def schedule_budget_lines(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_BUDGETS)
    agreement = schedule.agreement
    snapshot = schedule_snapshot(schedule_queryset().get(pk=schedule.pk))
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
    action = request.POST.get("action", "save")
    if action != "save":  # Add row or Remove row without JavaScript: redraw with everything typed
        page.focus = apply_action(action, page.lists, page.specs)
        page.show_errors = False
        return page.render()
    rows, page.errors = check_rows(page.lists[LIST], spec)
    if not form.is_valid() or page.errors:
        return page.render(status=400)
    merge = merge_rows(lines, budget_filter, rows)
    try:
        schedule_update(
            schedule=schedule, document={LIST: merge.lines}, user=request.user, reason=form.cleaned_data["reason"],
            expected_edit_count=form.cleaned_data["edit_count"], variation=variation,
        )
    except EditConflict as conflict:
        page.conflict = conflict
        page.errors = [{"anchor": "conflict", "message": str(conflict)}]
        return page.render(status=409)
    except NothingChanged:
        page.notice = NO_CHANGES
        return page.render()
    except ValidationError as error:
        page.errors = save_errors(error, merge, form)
        return page.render(status=400)
    changes = merge.summary()
    messages.success(request, f"Budget lines for Schedule {schedule.number} saved"
                              f"{f' ({changes})' if changes else ''}. The change is in its history.")
    year = f"?year={budget_filter.year_label}" if budget_filter.year is not None else ""
    return redirect(reverse("schedule", args=[agreement.reference, schedule.number]) + year + "#budgets")

