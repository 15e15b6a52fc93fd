"""Variance (forecast outturn − budget) and its red/amber/green flag, per line, service, partner and schedule.

Everything here reads a return's document dict, so the live return, a presented version and the
report all compute the same figures. Lines whose budget is to be agreed, not applicable or has
no figure are kept apart (`Variance.apart`) and never counted as overspent.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from documents.money import money

BUDGET_WORDS = {"to_be_agreed": "To be agreed", "not_applicable": "Not applicable", "confirmed": "No figure",
                "within_block": "Within block contract"}
DEFAULT_AMBER_PERCENT = Decimal("1")
DEFAULT_RED_PERCENT = Decimal("3")
DEFAULT_RED_AMOUNT = Decimal("50000")


@dataclass(frozen=True)
class Limits:
    amber_percent: Decimal = DEFAULT_AMBER_PERCENT
    red_percent: Decimal = DEFAULT_RED_PERCENT
    red_amount: Decimal = DEFAULT_RED_AMOUNT

    @classmethod
    def of(cls, thresholds) -> Limits:
        if thresholds is None:
            return cls()
        return cls(thresholds.amber_percent, thresholds.red_percent, thresholds.red_amount)

    def describe(self) -> str:
        return (f"amber from a projected overspend of {self.amber_percent.normalize():f} %, red from "
                f"{self.red_percent.normalize():f} % or {money(self.red_amount)}")


@dataclass(frozen=True)
class Flag:
    key: str  # "red", "amber", "green", "none"
    words: str
    tag_class: str  # the GOV.UK tag's colour; the words say it too

    def __str__(self) -> str:
        return self.words


RED = Flag("red", "Red: overspend", "govuk-tag--red")
AMBER = Flag("amber", "Amber: overspend", "govuk-tag--orange")
GREEN = Flag("green", "Green: on budget", "govuk-tag--green")
UNDER = Flag("green", "Green: underspend", "govuk-tag--green")
NO_FORECAST = Flag("none", "No forecast", "govuk-tag--grey")


def _d(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def percent(variance: Decimal | None, budget: Decimal | None) -> Decimal | None:
    if variance is None or not budget:
        return None
    return (variance * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def flag_for(variance: Decimal | None, budget: Decimal | None, limits: Limits) -> Flag:
    if variance is None:
        return NO_FORECAST
    if variance <= 0:
        return UNDER if variance < 0 else GREEN
    share = percent(variance, budget)
    if variance >= limits.red_amount or (share is not None and share >= limits.red_percent):
        return RED
    if share is None or share >= limits.amber_percent:
        return AMBER
    return GREEN


@dataclass
class Figures:
    """Budget, actual to date and forecast of one line or a sum of lines, and what they give."""

    label: str
    budget: Decimal = Decimal("0")
    actual: Decimal = Decimal("0")
    forecast: Decimal = Decimal("0")
    missing_forecast: int = 0
    limits: Limits = field(default_factory=Limits)

    def add(self, other: Figures) -> None:
        self.budget += other.budget
        self.actual += other.actual
        self.forecast += other.forecast
        self.missing_forecast += other.missing_forecast

    @property
    def variance(self) -> Decimal | None:
        return None if self.missing_forecast else self.forecast - self.budget

    @property
    def percent(self) -> Decimal | None:
        return percent(self.variance, self.budget)

    @property
    def flag(self) -> Flag:
        return flag_for(self.variance, self.budget, self.limits)


@dataclass
class Line(Figures):
    entry: dict[str, Any] = field(default_factory=dict)
    partner: str = ""
    forecast_below_actual: bool = False

    @property
    def notes(self) -> str:
        return self.entry.get("notes", "")


@dataclass
class Variance:
    lines: list[Line]
    apart: list[dict[str, Any]]  # entries whose budget is to be agreed, not applicable or blank
    by_service: list[Figures]
    by_partner: list[Figures]
    total: Figures

    @property
    def red_lines(self) -> list[Line]:
        return [line for line in self.lines if line.flag is RED]


def counted(entry: dict[str, Any]) -> bool:
    return entry.get("budget_status") in ("confirmed", "within_block") and _d(entry.get("budget")) is not None


def variance_of(document: dict[str, Any], limits: Limits | None = None) -> Variance:
    limits = limits or Limits()
    partners = document.get("partners", {})
    lines, apart = [], []
    services: OrderedDict[str, Figures] = OrderedDict()
    by_partner: OrderedDict[str, Figures] = OrderedDict()
    total = Figures("Schedule total", limits=limits)
    for entry in document.get("entries", []):
        name = partners.get(str(entry["partner_id"]), {}).get("name", f"Partner {entry['partner_id']}")
        if not counted(entry):
            words = BUDGET_WORDS.get(entry.get("budget_status"), "No figure")
            apart.append({**entry, "partner": name, "budget_words": words})
            continue
        actual, forecast = _d(entry.get("actual_to_date")), _d(entry.get("forecast_outturn"))
        line = Line(entry["service"], _d(entry["budget"]), actual or Decimal("0"), forecast or Decimal("0"),
                    int(forecast is None), limits, entry=entry, partner=name,
                    forecast_below_actual=actual is not None and forecast is not None and forecast < actual)
        lines.append(line)
        for key, groups, label in ((entry["service"], services, entry["service"]),
                                   (str(entry["partner_id"]), by_partner, name)):
            groups.setdefault(key, Figures(label, limits=limits)).add(line)
        total.add(line)
    return Variance(lines, apart, list(services.values()), list(by_partner.values()), total)
