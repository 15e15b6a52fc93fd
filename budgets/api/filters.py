"""Filters for budget lines: agreement, schedule, partner, year, budget type, status, ring-fenced."""

from __future__ import annotations

from django_filters import rest_framework as filters

from agreements.models import BudgetLine, BudgetStatus, BudgetType


class BudgetLineFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="schedule__agreement__reference", help_text="Agreement reference")
    schedule = filters.NumberFilter(field_name="schedule_id")
    partner = filters.NumberFilter(field_name="partner_id")
    financial_year = filters.NumberFilter(help_text="The year it starts in April: 2019 means 2019/20")
    budget_type = filters.ChoiceFilter(choices=BudgetType.choices)
    status = filters.ChoiceFilter(choices=BudgetStatus.choices)
    ring_fenced_public_health = filters.BooleanFilter()

    class Meta:
        model = BudgetLine
        fields = ["agreement", "schedule", "partner", "financial_year", "budget_type", "status",
                  "ring_fenced_public_health"]
