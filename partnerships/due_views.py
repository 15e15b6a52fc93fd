"""The "What's due" page, a single item as an .ics file, the private calendar feed and "Your settings"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnerships import services
from partnerships.calendar_feed import due_calendar
from partnerships.due import band, due_kinds, grouped, items_for
from partnerships.models import UserSettings

BANDS = [("overdue", "Overdue"), ("soon", "Due within 30 days"), ("later", "Later")]
def _filters(request, items):
    """The page's filters from the query string, each checked against what the user's items offer."""
    agreements = sorted({item.agreement for item in items if item.agreement})
    boards = sorted({(str(item.board_id), item.board_name) for item in items if item.board_id}, key=lambda b: b[1])
    kinds = [(kind.code, kind.label) for kind in due_kinds()]
    chosen = {name: request.GET.get(name, "").strip() for name in ("agreement", "board", "kind")}
    offered = {"agreement": set(agreements), "board": {pk for pk, _ in boards}, "kind": {code for code, _ in kinds}}
    errors = []
    words = {"agreement": "an agreement of yours with items due", "board": "a board of yours with items due", "kind": "a kind of item"}
    for name, value in chosen.items():
        if value and value not in offered[name]:
            errors.append({"message": f"“{value}” is not {words[name]}: choose one from the list.", "anchor": f"filter-{name}"})
            chosen[name] = ""
    return {"agreements": agreements, "boards": boards, "kinds": kinds, "chosen": chosen, "filter_errors": errors}


def _matches(item, chosen) -> bool:
    return ((not chosen["agreement"] or item.agreement == chosen["agreement"])
            and (not chosen["board"] or str(item.board_id) == chosen["board"])
            and (not chosen["kind"] or item.kind == chosen["kind"]))


@login_required
def due(request):
    today = timezone.localdate()
    items = items_for(request.user, today=today)
    filters = _filters(request, items)
    shown = [item for item in items if _matches(item, filters["chosen"])]
    banded = [(code, label, [item for item in shown if band(item, today) == code]) for code, label in BANDS]
    chosen = filters["chosen"]
    keep = chosen["kind"] or chosen["agreement"]  # a list asked for is shown item by item
    groups = [(code, label, items, items if keep else grouped(items, board=chosen["board"])) for code, label, items in banded]
    return render(request, "partnerships/due.html", {
        "ics_prefix": reverse("due_item_ics", args=["-"]).removesuffix("-.ics"),  # one reverse, not one a row
        "groups": groups, "today": today, "shown": len(shown), "total": len(items), **filters,
        "extra_errors": filters["filter_errors"],
    })


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def due_item_ics(request, key: str):
    """One due item as an .ics file, if it is one of the user's (404 otherwise)."""
    found = [item for item in items_for(request.user, today=timezone.localdate()) if item.key == key]
    if not found:
        raise Http404("No such item is due.")
    return _ics(due_calendar(found, name="Section 75: what's due", absolute=request.build_absolute_uri), f"{key}.ics")


def calendar_feed(request, token: str):
    """The user's private feed, by the secret in its address: no sign-in, as calendar apps cannot sign in."""
    choice = get_object_or_404(UserSettings.objects.select_related("user"), calendar_token=token, user__is_active=True)
    items = items_for(choice.user, today=timezone.localdate())
    response = _ics(due_calendar(items, name="Section 75: what's due", absolute=request.build_absolute_uri), "due.ics")
    response["Content-Disposition"] = 'inline; filename="due.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def account(request):
    choice = services.user_settings_for(request.user)
    if request.method == "POST":
        services.user_settings_update(
            user=request.user, weekly_digest=request.POST.get("weekly_digest") == "on",
            item_reminders=request.POST.get("item_reminders") == "on",
        )
        messages.success(request, "Your email settings are saved.")
        return redirect("account")
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[choice.calendar_token]))
    return render(request, "partnerships/account.html", {"choice": choice, "feed_url": feed_url})


@login_required
@require_POST
def calendar_address_regenerate(request):
    services.calendar_token_regenerate(user=request.user)
    messages.success(request, "Your calendar has a new address. The old one no longer works: subscribe again with the new one.")
    return redirect("account")
