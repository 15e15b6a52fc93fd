"""Charts drawn on the server as SVG with matplotlib's SVG backend (no Agg, no canvas, no JavaScript).

Each chart has a title, a text summary and the table of its data beside it in the page and the PDF,
which print the same SVG. Output is deterministic (fixed hash salt, no date), so a report prints
again byte for byte.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from documents.money import MINUS, money, signed_money

RC = {"svg.fonttype": "none", "svg.hashsalt": "s75-monitoring", "font.family": "sans-serif", "font.size": 9}
BLUE, ORANGE, GREY = "#1d70b8", "#d4351c", "#505a5f"  # GOV.UK blue, red and dark grey: each series also has a label


@dataclass
class Chart:
    title: str
    summary: str
    svg: SafeString

    @property
    def data_uri(self) -> str:
        """The same SVG as an image for the PDF (WeasyPrint draws SVG images; inline SVG styles it as HTML)."""
        return "data:image/svg+xml;base64," + base64.b64encode(str(self.svg).encode()).decode()


def _pounds(value, _position=None) -> str:
    """An axis tick, short: £1.2m, £350k, £0, with money's minus sign (−£50k)."""
    value = float(value)
    sign, value = (MINUS, -value) if value < 0 else ("", value)
    if value >= 1_000_000:
        return f"{sign}£{value / 1_000_000:.1f}m"
    if value >= 1_000:
        return f"{sign}£{value / 1_000:.0f}k"
    return f"{sign}£{value:.0f}"


def _own_ids(text: str, prefix: str) -> str:
    """matplotlib numbers its ids from 1 in every file: prefix them, so two charts on a page never share one."""
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m.group(1)})", text)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', text)


def _svg(figure: Figure, title: str, prefix: str) -> SafeString:
    import matplotlib

    with matplotlib.rc_context(RC):
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = _own_ids(text[text.index("<svg"):], prefix)  # no XML prolog or doctype inside HTML
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1', text, count=1)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" class="s75-chart__svg" '
                                 'style="max-width:100%;height:auto" ', 1)
    return mark_safe(text)  # noqa: S308  (matplotlib's own markup; the only text in it is escaped by matplotlib)


def _figure(height: float) -> Figure:
    import matplotlib

    with matplotlib.rc_context(RC):
        return Figure(figsize=(7, height), layout="constrained")


def budget_by_partner(by_partner) -> Chart | None:
    if not by_partner:
        return None
    title = "Budget against forecast outturn by partner"
    import matplotlib

    with matplotlib.rc_context(RC):
        figure = _figure(0.6 + 0.55 * len(by_partner))
        axes = figure.add_subplot()
        names = [group.label for group in by_partner][::-1]
        positions = range(len(names))
        budgets = [float(group.budget) for group in by_partner][::-1]
        forecasts = [float(group.forecast) for group in by_partner][::-1]
        axes.barh([p + 0.2 for p in positions], budgets, height=0.38, color=GREY, label="Budget")
        axes.barh([p - 0.2 for p in positions], forecasts, height=0.38, color=BLUE, label="Forecast outturn")
        axes.set_yticks(list(positions), names)
        axes.xaxis.set_major_formatter(FuncFormatter(_pounds))
        axes.legend(loc="lower right", frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
    over = [g for g in by_partner if g.variance is not None and g.variance > 0]
    summary = "; ".join(
        f"{g.label}: budget {money(g.budget)}, forecast {money(g.forecast)}"
        + (f" ({money(g.variance)} over)" if g.variance and g.variance > 0 else
           (f" ({money(-g.variance)} under)" if g.variance and g.variance < 0 else ""))
        for g in by_partner) + "."
    if not over:
        summary += " No partner is forecast to overspend."
    return Chart(title, summary, _svg(figure, title, "chart-partners"))


def forecast_path_chart(path: list[dict]) -> Chart | None:
    if not path:
        return None
    title = "The forecast outturn across the periods of the year"
    import matplotlib

    with matplotlib.rc_context(RC):
        figure = _figure(2.8)
        axes = figure.add_subplot()
        periods = [f"P{point['period']}" for point in path]
        axes.plot(periods, [float(p["forecast"]) for p in path], color=BLUE, marker="o", label="Forecast outturn")
        axes.plot(periods, [float(p["budget"]) for p in path], color=GREY, linestyle="--", label="Budget")
        axes.yaxis.set_major_formatter(FuncFormatter(_pounds))
        axes.legend(loc="best", frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
    first, last = path[0], path[-1]
    change = last["forecast"] - first["forecast"]
    direction = "rose" if change > 0 else ("fell" if change < 0 else "stayed")
    summary = (f"From P{first['period']} to P{last['period']} the forecast outturn {direction}"
               f"{f' by {money(abs(change))}' if change else ' the same'}, from {money(first['forecast'])} to "
               f"{money(last['forecast'])}, against a budget of {money(last['budget'])}"
               f" (variance at P{last['period']}: {signed_money(last['variance'] or Decimal(0))}).")
    return Chart(title, summary, _svg(figure, title, "chart-path"))
