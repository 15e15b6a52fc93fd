"""The edit-page flow shared by schedules, agreements and terms of reference.

A form for the parent's fields, editable item lists, a reason and the edit count the user
started from; add/remove/move buttons redraw the page with the user's input; Save hands one
document dict to a service. Conflicts, validation errors and "nothing changed" come back to the
same page with everything the user typed still there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from documents.item_lists import (
    ItemList,
    apply_action,
    bound_rows,
    invalid_choices,
    missing_required,
    parse_items,
    read_items,
)
from documents.services import EditConflict, NothingChanged

NO_CHANGES = "No changes to save"


@dataclass
class EditPage:
    request: HttpRequest
    form: Any
    specs: dict[str, ItemList]
    lists: dict[str, list[dict[str, Any]]]
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    focus: str | None = None
    conflict: EditConflict | None = None
    show_errors: bool = True
    notice: str = ""

    def render(self, status: int = 200) -> HttpResponse:
        field_errors: dict[str, str] = {}
        for error in self.errors:
            if error.get("anchor"):
                field_errors.setdefault(error["anchor"], error["message"])
        item_lists = [
            {"spec": spec, "prefix": name, "path": name, "rows": bound_rows(self.lists.get(name, []), spec, name, field_errors)}
            for name, spec in self.specs.items()
        ]
        return render(self.request, self.template, {
            **self.context, "form": self.form, "item_lists": item_lists, "extra_errors": self.errors,
            "focus": self.focus, "conflict": self.conflict, "show_errors": self.show_errors, "notice": self.notice,
        }, status=status)


Lists = dict[str, list[dict[str, Any]]]
Errors = list[dict[str, str]]


def check_items(lists: Lists, specs: dict[str, ItemList]) -> tuple[Lists, Errors]:
    """The lists with their values parsed (a copy: when anything is refused, the page shows exactly
    what the user typed), and an error for each missing, unlisted or unreadable value."""
    errors = missing_required(lists, specs) + invalid_choices(lists, specs)
    parsed, unreadable = parse_items(lists, specs, skip={error["anchor"] for error in errors})
    return parsed, errors + unreadable


def handle_edit_post(
    page: EditPage, *, save: Callable[[dict[str, Any]], Any], to_document: Callable[[Any, Lists], dict[str, Any]],
    success_url: str | Callable[[Any], str], success_message: str | Callable[[Any], str],
    check: Callable[[Lists], tuple[Lists, Errors]] | None = None,
    errors_from: Callable[[ValidationError, Any], Errors] | None = None,
) -> HttpResponse:
    """Run one POST of an edit page: an item-list button, or Save.

    `check` reads the posted lists (default `check_items`), `errors_from` turns the service's
    ValidationError into the page's messages (default: each message linked to its field): a page
    with its own rules for its rows gives its own.
    """
    request = page.request
    action = request.POST.get("action", "save")
    if action != "save":
        # An add, remove or move button: redraw with everything typed, and no error messages yet.
        page.focus = apply_action(action, page.lists, page.specs)
        page.show_errors = False
        return page.render()
    lists, page.errors = check(page.lists) if check else check_items(page.lists, page.specs)
    form_valid = page.form.is_valid()
    if not form_valid or page.errors:
        return page.render(status=400)
    try:
        saved = save(to_document(page.form, lists))
    except EditConflict as conflict:
        page.conflict = conflict
        page.errors = [{"anchor": "conflict", "message": str(conflict)}]
        return page.render(status=409)
    except NothingChanged:
        # Not an error: nothing is recorded and the page stays as the user left it.
        page.notice = NO_CHANGES
        return page.render()
    except ValidationError as error:
        page.errors = (errors_from or _validation_messages)(error, page.form)
        return page.render(status=400)
    messages.success(request, success_message(saved) if callable(success_message) else success_message)
    return redirect(success_url(saved) if callable(success_url) else success_url)


def _validation_messages(error: ValidationError, form) -> list[dict[str, str]]:
    found = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            anchor = form[name].auto_id if name in form.fields else ""
            for item in errors:
                found.append({"anchor": anchor, "message": " ".join(item.messages)})
    else:
        found = [{"anchor": "", "message": message} for message in error.messages]
    return found


def read_lists(request: HttpRequest, specs: dict[str, ItemList]) -> Lists:
    return {name: read_items(request.POST, spec) for name, spec in specs.items()}
