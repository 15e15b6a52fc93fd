"""A board's meetings: the pattern (every N months from a first date) and single meetings moved or cancelled."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from governance.due import meeting_dates
from governance.forms import MeetingChangeForm, MeetingPatternForm
from governance.models import MeetingSchedule
from governance.selectors import board_for
from governance.services import meeting_change_undo, meeting_move, meeting_pattern_set
from partnerships.access import Capability, can, require

LOOK_AHEAD_DAYS = 400


@login_required
def board_meetings(request, pk: int):
    board = board_for(request.user, pk)
    schedule = MeetingSchedule.objects.filter(board=board).prefetch_related("changes").first()
    today = timezone.localdate()
    until = today + timedelta(days=LOOK_AHEAD_DAYS)
    planned = meeting_dates(schedule, {}, start=today, until=until) if schedule else []
    action = request.POST.get("action", "")
    if request.method == "POST":
        require(request.user, Capability.EDIT_GOVERNANCE)
    pattern = MeetingPatternForm(
        request.POST if action == "pattern" else None,
        initial={"first_meeting": schedule.first_meeting, "every_months": schedule.every_months} if schedule else None,
    )
    change = MeetingChangeForm(request.POST if action == "change" else None, planned=planned, prefix="change")
    form = pattern if action == "pattern" else change
    if action == "pattern" and pattern.is_valid():
        try:
            _schedule, dropped = meeting_pattern_set(board=board, **pattern.cleaned_data)
        except ValidationError as error:
            pattern.add_error(None, error)
        else:
            messages.success(request, "The meeting pattern is saved." + (
                f" {dropped} moved or cancelled meeting{'s' if dropped != 1 else ''} no longer in the pattern "
                f"{'were' if dropped != 1 else 'was'} removed." if dropped else ""))
            return redirect("board_meetings", pk=board.pk)
    elif action == "change" and schedule and change.is_valid():
        data = change.cleaned_data
        meeting_move(board=board, scheduled_for=data["meeting"], moved_to=None if data["cancel"] else data["moved_to"])
        messages.success(request, f"The meeting of {data['meeting']:%-d %B %Y} is "
                         + ("cancelled." if data["cancel"] else f"moved to {data['moved_to']:%-d %B %Y}."))
        return redirect("board_meetings", pk=board.pk)
    elif action == "undo" and schedule:
        undo = request.POST.get("scheduled_for", "")
        if undo in {c.scheduled_for.isoformat() for c in schedule.changes.all()}:
            meeting_change_undo(board=board, scheduled_for=schedule.changes.get(scheduled_for=undo).scheduled_for)
            messages.success(request, "The meeting is back on the date the pattern gives.")
        return redirect("board_meetings", pk=board.pk)
    changes = {c.scheduled_for: c.moved_to for c in schedule.changes.all()} if schedule else {}
    return render(request, "governance/board_meetings.html", {
        "board": board, "schedule": schedule, "pattern_form": pattern, "change_form": change, "form": form,
        "show_errors": request.method == "POST",
        "coming": meeting_dates(schedule, changes, start=today, until=until) if schedule else [],
        "changes": schedule.changes.all() if schedule else [], "planned": planned,
        "can_edit": can(request.user, Capability.EDIT_GOVERNANCE),
    }, status=400 if request.method == "POST" else 200)
