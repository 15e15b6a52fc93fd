"""The panel governance adds to the home page: terms of reference due for review."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from governance.selectors import reviews_due_for

HOME_REVIEWS_TEMPLATE = "governance/home_reviews.html"


def home_reviews_context(request: HttpRequest) -> dict[str, Any]:
    """The user's boards whose terms are overdue or due for review within 90 days."""
    return {"terms_reviews": reviews_due_for(request.user), "today": date.today()}
