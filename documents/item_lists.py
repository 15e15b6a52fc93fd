"""Editable ordered lists on a form: outcomes, risks, specification paragraphs, budget lines…

Each list is posted as ``<prefix>-count`` and ``<prefix>-<i>-<field>`` inputs (nested lists
use ``<prefix>-<i>-<child>`` as their prefix). Buttons named ``action`` add, remove or move an
item; the page is shown again with everything the user typed, so nothing is lost and no
JavaScript is needed. Saving turns the lists into the document dict the services take: each
field's ``parse`` reads its posted text into the stored value (an id, a year, an amount) on a
copy, so what the user typed is what the page shows again when a value is refused.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict

from documents.text import clean_text


@dataclass(frozen=True)
class ItemField:
    name: str
    label: str
    kind: str = "textarea"  # textarea, text, select, checkbox, number
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    width: str = ""
    hint: str = ""
    default: Any = None  # the value of a newly added item (a new member is voting)
    # Reads the posted text into the document's value; raises ValueError or ValidationError
    # with a message for the user. None keeps the text as it is.
    parse: Callable[[str], Any] | None = None


def optional_id(value: str) -> int | None:
    """A select's posted primary key, or None for the empty choice."""
    return int(value) if str(value).isdigit() else None


@dataclass(frozen=True)
class ItemList:
    name: str
    singular: str
    plural: str
    fields: tuple[ItemField, ...]
    children: ItemList | None = None
    numbered: bool = True
    hint: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def noun(self) -> str:
        """The singular as it reads mid-sentence: "outcome", but "KPI"."""
        return self.singular if self.singular.isupper() else self.singular.lower()


def read_items(data: QueryDict, spec: ItemList, prefix: str | None = None) -> list[dict[str, Any]]:
    prefix = prefix or spec.name
    try:
        count = min(int(data.get(f"{prefix}-count", 0)), 2000)
    except ValueError:
        count = 0
    items = []
    for index in range(count):
        base = f"{prefix}-{index}"
        item: dict[str, Any] = {}
        raw_id = data.get(f"{base}-id", "")
        item["id"] = int(raw_id) if raw_id.isdigit() else None
        for item_field in spec.fields:
            key = f"{base}-{item_field.name}"
            if item_field.kind == "checkbox":
                item[item_field.name] = key in data
            else:
                item[item_field.name] = clean_text(data.get(key, "")).strip()
        if spec.children is not None:
            item[spec.children.name] = read_items(data, spec.children, f"{base}-{spec.children.name}")
        items.append(item)
    return items


def apply_action(action: str, lists: dict[str, list[dict[str, Any]]], specs: dict[str, ItemList]) -> str | None:
    """Carry out an add/remove/move button. Returns the id of the element to focus, or None.

    Actions look like ``add:outcomes``, ``remove:risks:2``, ``up:kpis:1``, ``down:kpis:0`` and,
    for nested lists, ``add:specification.1.paragraphs``.
    """
    parts = action.split(":")
    if len(parts) < 2:
        return None
    verb, path = parts[0], parts[1]
    target, spec = _resolve(path, lists, specs)
    if target is None or spec is None:
        return None
    if verb == "add":
        blank = {
            f.name: f.default if f.default is not None else (False if f.kind == "checkbox" else "")
            for f in spec.fields
        }
        blank["id"] = None
        if spec.children is not None:
            blank[spec.children.name] = []
        target.append(blank)
        return f"{_prefix(path)}-{len(target) - 1}-{spec.fields[0].name}"
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    index = int(parts[2])
    if not 0 <= index < len(target):
        return None
    if verb == "remove":
        target.pop(index)
        return f"{_prefix(path)}-add"
    if verb == "up" and index > 0:
        target[index - 1], target[index] = target[index], target[index - 1]
        return f"{_prefix(path)}-{index - 1}-up"
    if verb == "down" and index < len(target) - 1:
        target[index + 1], target[index] = target[index], target[index + 1]
        return f"{_prefix(path)}-{index + 1}-down"
    return None


def _prefix(path: str) -> str:
    return path.replace(".", "-")


def _resolve(path: str, lists, specs):
    parts = path.split(".")
    if parts[0] not in specs or parts[0] not in lists:
        return None, None
    spec = specs[parts[0]]
    target = lists[parts[0]]
    rest = parts[1:]
    while rest:
        if len(rest) < 2 or not rest[0].isdigit() or spec.children is None or rest[1] != spec.children.name:
            return None, None
        index = int(rest[0])
        if not 0 <= index < len(target):
            return None, None
        target = target[index][spec.children.name]
        spec = spec.children
        rest = rest[2:]
    return target, spec


def missing_required(lists: dict[str, list[dict[str, Any]]], specs: dict[str, ItemList]) -> list[dict[str, str]]:
    """Errors for required fields left empty, each naming the item and linking to its input."""
    errors: list[dict[str, str]] = []

    def check(items, spec: ItemList, prefix: str, label_prefix: str) -> None:
        for index, item in enumerate(items):
            for item_field in spec.fields:
                if item_field.required and item_field.kind != "checkbox" and not item.get(item_field.name):
                    verb = "Select" if item_field.kind == "select" else "Enter"
                    errors.append({
                        "anchor": f"{prefix}-{index}-{item_field.name}",
                        "message": f"{verb} the {item_field.label.lower()} of {label_prefix}{spec.noun} {index + 1}",
                    })
            if spec.children is not None:
                check(item[spec.children.name], spec.children, f"{prefix}-{index}-{spec.children.name}",
                      f"{spec.noun} {index + 1}, ")

    for name, spec in specs.items():
        check(lists.get(name, []), spec, name, "")
    return errors


def invalid_choices(lists: dict[str, list[dict[str, Any]]], specs: dict[str, ItemList]) -> list[dict[str, str]]:
    """Errors for select values the page did not offer (a tampered or out-of-date form)."""
    errors: list[dict[str, str]] = []

    def check(items, spec: ItemList, prefix: str) -> None:
        for index, item in enumerate(items):
            for item_field in spec.fields:
                allowed = {value for value, _label in item_field.choices}
                if item_field.kind == "select" and str(item.get(item_field.name, "")) not in allowed:
                    errors.append({
                        "anchor": f"{prefix}-{index}-{item_field.name}",
                        "message": f"Choose one of the listed options for the {item_field.label.lower()} of "
                                   f"{spec.noun} {index + 1}",
                    })
            if spec.children is not None:
                check(item[spec.children.name], spec.children, f"{prefix}-{index}-{spec.children.name}")

    for name, spec in specs.items():
        check(lists.get(name, []), spec, name)
    return errors


def bound_rows(
    items: list[dict[str, Any]], spec: ItemList, prefix: str, errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    """What the template needs to draw each item: its number, inputs with ids, values and errors
    (`errors` maps an input's id to its message)."""
    rows = []
    for index, item in enumerate(items):
        base = f"{prefix}-{index}"
        rows.append({
            "index": index,
            "number": index + 1,
            "id": item.get("id"),
            "base": base,
            "first": index == 0,
            "last": index == len(items) - 1,
            "inputs": [
                {
                    "field": item_field,
                    "html_id": f"{base}-{item_field.name}",
                    "value": item.get(item_field.name, ""),
                    "error": errors.get(f"{base}-{item_field.name}", ""),
                }
                for item_field in spec.fields
            ],
            "children": (
                {
                    "spec": spec.children,
                    "prefix": f"{base}-{spec.children.name}",
                    "path": f"{prefix.replace('-', '.')}.{index}.{spec.children.name}",
                    "rows": bound_rows(item[spec.children.name], spec.children, f"{base}-{spec.children.name}", errors),
                }
                if spec.children is not None else None
            ),
        })
    return rows


def parse_items(
    lists: dict[str, list[dict[str, Any]]], specs: dict[str, ItemList], skip: set[str] = frozenset(),
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, str]]]:
    """The lists as the document dict holds them, and an error for each value that cannot be read.

    Works on a copy: `lists` keeps exactly what the user typed. Inputs whose id is in `skip`
    (already reported, say as missing) are not parsed again.
    """
    parsed = copy.deepcopy(lists)
    errors: list[dict[str, str]] = []

    def walk(items, spec: ItemList, prefix: str) -> None:
        for index, item in enumerate(items):
            for item_field in spec.fields:
                anchor = f"{prefix}-{index}-{item_field.name}"
                if item_field.parse is None or anchor in skip:
                    continue
                try:
                    item[item_field.name] = item_field.parse(item.get(item_field.name, ""))
                except (ValueError, ValidationError) as error:
                    reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                    errors.append({
                        "anchor": anchor,
                        "message": f"{spec.singular} {index + 1}, {item_field.label.lower()}: {reason}",
                    })
            if spec.children is not None:
                walk(item[spec.children.name], spec.children, f"{prefix}-{index}-{spec.children.name}")

    for name, spec in specs.items():
        walk(parsed.get(name, []), spec, name)
    return parsed, errors
