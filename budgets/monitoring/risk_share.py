"""Splitting a projected over- or underspend between the partners, to the penny.

Rounding: largest remainder (Hamilton). Each partner's exact share is cut down to whole pence,
then the pence left over go one each to the partners with the largest cut-off fractions (ties to
the earlier partner in the list), so the parts always add up exactly to the amount.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

PENNY = Decimal("0.01")
ROUNDING_WORDS = ("Shares are rounded to the penny by largest remainder: each is cut down to whole pence and "
                  "the pence left over go to the largest fractions, so the parts add up exactly.")


def split(amount: Decimal, weights: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """`amount` split in proportion to `weights` ((key, weight), weights ≥ 0, not all 0), penny-exact."""
    total_weight = sum((w for _k, w in weights), Decimal("0"))
    if not weights or total_weight <= 0:
        raise ValueError("A split needs at least one partner with a share above nothing.")
    sign = -1 if amount < 0 else 1
    pence = int((abs(amount) / PENNY).to_integral_value())
    exact = [(key, Decimal(pence) * weight / total_weight) for key, weight in weights]
    floors = [int(share.to_integral_value(rounding=ROUND_DOWN)) for _key, share in exact]
    left = pence - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [(key, sign * Decimal(p) * PENNY) for (key, _share), p in zip(exact, floors, strict=True)]
