"""Panels other apps add to the home page, by registration.

The home page lists the user's agreements. An app above agreements (governance, with the terms
of reference due for review) adds a panel from its `AppConfig.ready()`, so agreements never
names it. Panels show above the agreements' filter, in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]


_panels: list[HomePanel] = []


def register_home_panel(template: str, context_fn: Callable[[HttpRequest], dict[str, Any]]) -> HomePanel:
    """Show `template` on the home page, rendered with `context_fn(request)`; registering twice is a no-op."""
    panel = HomePanel(template, context_fn)
    if panel not in _panels:
        _panels.append(panel)
    return panel


def render_home_panels(request: HttpRequest) -> list[SafeString]:
    """Every registered panel, rendered for this request (a panel with nothing to show renders blank)."""
    return [render_to_string(panel.template, panel.context(request), request=request) for panel in _panels]
