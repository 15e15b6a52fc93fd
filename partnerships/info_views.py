"""The service's own information pages, open to everyone: accessibility statement and help."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render


def _context() -> dict:
    return {"support_email": settings.SUPPORT_EMAIL}


def accessibility(request):
    return render(request, "partnerships/accessibility.html", _context())


def help_page(request):
    return render(request, "partnerships/help.html", _context())
