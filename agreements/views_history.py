"""URL entry points for the history pages of schedules and agreements (scope check, then the shared view)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from agreements import history_views
from agreements.history_pages import agreement_document, schedule_document
from partnerships.access import agreement_for, schedule_for


def _schedule(request, reference, number):
    return schedule_document(schedule_for(request.user, reference, number))


def _agreement(request, reference):
    return agreement_document(agreement_for(request.user, reference))


@login_required
def schedule_history(request, reference: str, number: int):
    return history_views.history(request, _schedule(request, reference, number))


@login_required
def schedule_compare(request, reference: str, number: int):
    return history_views.compare(request, _schedule(request, reference, number))


@login_required
def schedule_version(request, reference: str, number: int, version: int):
    return history_views.version_view(request, _schedule(request, reference, number), version)


@login_required
def schedule_as_of(request, reference: str, number: int):
    return history_views.as_of(request, _schedule(request, reference, number))


@login_required
def schedule_agree(request, reference: str, number: int):
    return history_views.agree(request, _schedule(request, reference, number))


@login_required
def schedule_restore(request, reference: str, number: int, revision: int):
    return history_views.restore(request, _schedule(request, reference, number), revision)


@login_required
def agreement_history(request, reference: str):
    return history_views.history(request, _agreement(request, reference))


@login_required
def agreement_compare(request, reference: str):
    return history_views.compare(request, _agreement(request, reference))


@login_required
def agreement_version(request, reference: str, version: int):
    return history_views.version_view(request, _agreement(request, reference), version)


@login_required
def agreement_as_of(request, reference: str):
    return history_views.as_of(request, _agreement(request, reference))


@login_required
def agreement_agree(request, reference: str):
    return history_views.agree(request, _agreement(request, reference))


@login_required
def agreement_restore(request, reference: str, revision: int):
    return history_views.restore(request, _agreement(request, reference), revision)
