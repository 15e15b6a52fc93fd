"""Budget lines in the API: amounts as decimal strings ("4388588.00"), never floats."""

from __future__ import annotations

from rest_framework import serializers

from agreements.models import BudgetLine, BudgetStatus, BudgetType
from documents.api.serializers import RevisionSerializer


class BudgetLineSerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="schedule.agreement.reference", read_only=True)
    schedule_number = serializers.IntegerField(source="schedule.number", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    financial_year_label = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "agreement", "schedule", "schedule_number", "position", "service", "partner", "partner_name",
                  "financial_year", "financial_year_label", "budget_type", "amount", "status",
                  "ring_fenced_public_health", "notes"]


# ---------------------------------------------------------------- what writes accept (for the schema)

class BudgetLineInSerializer(serializers.Serializer):
    """One line to create or change, matched to a stored line by service, partner, year and type."""

    service = serializers.CharField(max_length=300)
    partner = serializers.IntegerField(help_text="The partner's id (a party to the agreement)")
    financial_year = serializers.IntegerField(min_value=1990, max_value=2100,
                                              help_text="The year it starts in April: 2019 means 2019/20")
    budget_type = serializers.ChoiceField(choices=BudgetType.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False,
                                      coerce_to_string=True, help_text="Pounds and pence as a string, e.g. \"4388588.00\"")
    status = serializers.ChoiceField(choices=BudgetStatus.choices, required=False,
                                     help_text="Leave out: confirmed when there is an amount")
    ring_fenced_public_health = serializers.BooleanField(required=False, help_text="Leave out to keep what is stored")
    notes = serializers.CharField(required=False, allow_blank=True, help_text="Leave out to keep what is stored")


class BudgetLinesWriteSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why: shown in the schedule's history")
    lines = BudgetLineInSerializer(many=True, max_length=10_000, min_length=1)


class BudgetLinePatchSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why: shown in the schedule's history")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False,
                                      coerce_to_string=True)
    status = serializers.ChoiceField(choices=BudgetStatus.choices, required=False)
    ring_fenced_public_health = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class LinesWrittenSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    revision = RevisionSerializer(allow_null=True)
    etag = serializers.CharField(help_text="The schedule's new ETag, for the next If-Match")


class RowErrorsSerializer(serializers.Serializer):
    """What a refused write says: a sentence, then either every line's errors (a list of
    RowError objects) or, for the request itself, {field: [messages]}."""

    detail = serializers.CharField()
    errors = serializers.JSONField(help_text="A list of {row, field, value, message}, or {field: [messages]}")
