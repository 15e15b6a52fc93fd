"""Template filters for section 75 documents: money (the kernel's one formatter) and the simple text format of long fields."""

from __future__ import annotations

import re
from itertools import groupby

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from documents.money import money

register = template.Library()

_LETTERED = re.compile(r"^[a-z]\)\s")


register.filter("money", money)  # £4,388,588 (documents.money)


def _line_kind(line: str) -> str:
    if line.startswith("- "):
        return "bullet"
    if _LETTERED.match(line):
        return "lettered"
    return "text"


def _render_run(kind: str, lines: list[str]) -> str:
    if kind == "bullet":
        items = "".join(f"<li>{escape(line[2:])}</li>" for line in lines)
        return f'<ul class="govuk-list govuk-list--bullet">{items}</ul>'
    if kind == "lettered":
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        return f'<ul class="govuk-list s75-lettered">{items}</ul>'
    return '<p class="govuk-body">' + "<br>".join(escape(line) for line in lines) + "</p>"


@register.filter
def text_blocks(text: str, heading_level: int = 4) -> str:
    """Paragraphs separated by blank lines; '- ' lines become a bullet list, lines such as
    'a) …' a list keeping their letters as written, and '## ' a sub-heading."""
    html = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and lines[0].startswith("## "):
            html.append(f'<h{heading_level} class="govuk-heading-s">{escape(lines[0][3:])}</h{heading_level}>')
            lines = lines[1:]
        for kind, run in groupby(lines, key=_line_kind):
            html.append(_render_run(kind, list(run)))
    return mark_safe("".join(html))
