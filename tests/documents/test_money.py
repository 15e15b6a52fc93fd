"""The one money formatter: pounds with separators, pence only when there are pence, one minus sign."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from documents.money import MINUS, money, signed_money


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("4388588"), "£4,388,588"),
    (Decimal("4388588.00"), "£4,388,588"),
    (Decimal("1234.5"), "£1,234.50"),
    (Decimal("443441.01"), "£443,441.01"),
    ("6447725.00", "£6,447,725"),  # the snapshots' decimal strings
    (12, "£12"),
    (Decimal("0"), "£0"),
    (Decimal("0.5"), "£0.50"),
    (Decimal("999"), "£999"),
    (Decimal("1000"), "£1,000"),
    (Decimal("999999999999.99"), "£999,999,999,999.99"),
    (Decimal("-12000"), "−£12,000"),
    (Decimal("-1200.5"), "−£1,200.50"),
    (Decimal("12.004"), "£12"),  # to the penny, half up
    (Decimal("12.005"), "£12.01"),
    (Decimal("-0.001"), "£0"),  # never "−£0"
    (None, ""),
    ("", ""),
])
def test_money_reads_as_people_write_it(value, shown):
    assert money(value) == shown


def test_the_minus_is_the_minus_sign_not_a_hyphen():
    assert MINUS == "\u2212" and money(Decimal("-5")).startswith("\u2212£") and "-" not in money(Decimal("-5"))


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("123212.01"), "+£123,212.01"),
    (Decimal("126471.00"), "+£126,471"),
    (Decimal("-10000"), "−£10,000"),
    (Decimal("0"), "£0"),
    (None, ""),
])
def test_signed_money_says_over_or_under(value, shown):
    assert signed_money(value) == shown


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", Decimal("NaN")])
def test_what_is_not_money_is_refused_with_its_value(bad):
    with pytest.raises(ValueError, match="is not an amount of money"):
        money(bad)


def test_the_page_filters_are_this_formatter():
    rendered = Template(
        "{% load s75 %}{{ a|money }}|{% load monitoring %}{{ b|money }}|{{ c|signed_money }}"
    ).render(Context({"a": Decimal("4388588.00"), "b": Decimal("-1200.50"), "c": Decimal("211412")}))
    assert rendered == "£4,388,588|−£1,200.50|+£211,412"
