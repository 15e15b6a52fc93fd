"""The What's due table's rows, written with `format_html` rather than template tags: a user of a
region sees ~400 rows, and Django's template language costs ~13 variable look-ups a row (a third
of the page's time). The markup is the one GOV.UK table row the page always used."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_OVERDUE = mark_safe('<br><strong class="govuk-tag govuk-tag--red">Overdue</strong>')  # noqa: S308 (no input)

_GROUP_ROW = (
    '<tr class="govuk-table__row" data-testid="due-group"><td class="govuk-table__cell">{}{}</td>'
    '<td class="govuk-table__cell"><span class="govuk-caption-s govuk-!-display-block">{}</span>{}: '
    '<a class="govuk-link" href="{}">list every {}<span class="govuk-visually-hidden"> due</span></a>, '
    "or choose an agreement above</td></tr>"
)
_ITEM_ROW = (
    '<tr class="govuk-table__row"><td class="govuk-table__cell">{}{}</td>'
    '<td class="govuk-table__cell"><span class="govuk-caption-s govuk-!-display-block">{}</span>'
    '<a class="govuk-link" href="{}">{}</a>{}'
    '<br><a class="govuk-link govuk-body-s" href="{}{}.ics" download>Add to calendar'
    '<span class="govuk-visually-hidden">: {}, {}</span></a></td></tr>'
)


def _detail(item) -> SafeString | str:
    return format_html('<br><span class="govuk-body-s">{}</span>', item.detail) if item.detail else ""


def _row(item, overdue, ics_prefix: str) -> tuple:
    if item.count:
        return _GROUP_ROW, (item.due_text, overdue, item.kind_label, item.title, item.url, item.kind_label.lower())
    return _ITEM_ROW, (item.due_text, overdue, item.kind_label, item.url, item.title, _detail(item),
                       ics_prefix, item.key, item.kind_label, item.due_text)


@register.simple_tag
def due_rows(rows, band: str, ics_prefix: str) -> SafeString:
    """Every row of one band's table: an item (its link, detail and calendar file) or a group of like items."""
    overdue = _OVERDUE if band == "overdue" else ""
    return mark_safe("".join(format_html(pattern, *values) for pattern, values in  # noqa: S308 (each part escaped)
                             (_row(item, overdue, ics_prefix) for item in rows)))
