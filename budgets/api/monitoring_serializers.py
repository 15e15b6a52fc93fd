"""The shapes of monitoring returns and finance reports in the schema (the JSON is built in monitoring_figures).

Money is a decimal string with two places ("4388588.00"), a percentage one place ("1.2"); a
variance is null while a line (or any line of a sum) has no forecast.
"""

from __future__ import annotations

from rest_framework import serializers

from documents.api.serializers import RevisionSerializer


def _money(help_text: str = "", **kwargs) -> serializers.CharField:
    return serializers.CharField(allow_null=True, help_text=help_text or "Pounds and pence as a string", **kwargs)


class FlagSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["red", "amber", "green", "none"])
    words = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    label = serializers.CharField()
    budget = _money()
    actual_to_date = _money()
    forecast_outturn = _money()
    missing_forecasts = serializers.IntegerField(help_text="Lines counted here with no forecast yet")
    variance = _money("Forecast outturn − budget; null while a forecast is missing")
    variance_percent = serializers.CharField(allow_null=True)
    flag = FlagSerializer()


class ReturnLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The entry's id")
    budget_line = serializers.IntegerField()
    service = serializers.CharField()
    partner = serializers.IntegerField()
    partner_name = serializers.CharField()
    budget_type = serializers.CharField()
    budget = _money("The budget line's annual amount")
    budget_status = serializers.CharField()
    ring_fenced_public_health = serializers.BooleanField()
    actual_to_date = _money()
    forecast_outturn = _money()
    notes = serializers.CharField(allow_blank=True)
    counted = serializers.BooleanField(help_text="False when the budget is to be agreed, not applicable or blank: "
                                                 "then no variance or flag")
    variance = _money()
    variance_percent = serializers.CharField(allow_null=True)
    flag = FlagSerializer(allow_null=True)
    forecast_below_actual = serializers.BooleanField()


class MonitoringReturnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.CharField()
    schedule = serializers.IntegerField()
    schedule_number = serializers.IntegerField()
    financial_year = serializers.IntegerField(help_text="The year it starts in April: 2018 means 2018/19")
    financial_year_label = serializers.CharField()
    period = serializers.IntegerField(help_text="1 (April) to 12 (March)")
    period_label = serializers.CharField()
    month = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    etag = serializers.CharField(help_text="The return's ETag, for If-Match when writing its figures")
    thresholds = serializers.CharField()
    lines = ReturnLineSerializer(many=True)
    total = FiguresSerializer()


class ReportLineSerializer(FiguresSerializer):
    budget_line = serializers.IntegerField(allow_null=True)
    partner = serializers.CharField()
    notes = serializers.CharField(allow_blank=True)
    forecast_below_actual = serializers.BooleanField()


class NotCountedSerializer(serializers.Serializer):
    budget_line = serializers.IntegerField(allow_null=True)
    service = serializers.CharField()
    partner = serializers.CharField()
    budget_words = serializers.CharField()
    actual_to_date = _money()
    forecast_outturn = _money()


class ShareSerializer(serializers.Serializer):
    partner = serializers.CharField()
    amount = _money("This partner's share of the projected variance, to the penny")


class RiskShareSerializer(serializers.Serializer):
    rule = serializers.CharField()
    rule_is_default = serializers.BooleanField()
    rounding = serializers.CharField()
    shares = ShareSerializer(many=True)


class PathPointSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    budget = _money()
    actual_to_date = _money()
    forecast_outturn = _money()
    variance = _money()


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    period = serializers.CharField()
    actual = _money()


class FinanceReportSerializer(serializers.Serializer):
    monitoring_return = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField(allow_null=True, help_text="The presented version shown, or null for now")
    thresholds = serializers.CharField()
    lines = ReportLineSerializer(many=True)
    not_counted = NotCountedSerializer(many=True)
    by_service = FiguresSerializer(many=True)
    by_partner = FiguresSerializer(many=True)
    total = FiguresSerializer()
    risk_share = RiskShareSerializer()
    forecast_path = PathPointSerializer(many=True)
    ring_fenced_public_health = QuarterSerializer(many=True)


# ---------------------------------------------------------------- what a write accepts (for the schema)

class ReturnLineInSerializer(serializers.Serializer):
    budget_line = serializers.IntegerField(help_text="A budget line of the schedule for this financial year")
    actual_to_date = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                           help_text="Pounds and pence, e.g. \"1234.50\"; a credit as \"-120.00\" "
                                                     "(say why in notes)")
    forecast_outturn = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                             help_text="Pounds and pence, not negative")
    notes = serializers.CharField(required=False, allow_blank=True)


class ReturnWriteSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why: shown in the return's history")
    note = serializers.CharField(required=False, allow_blank=True,
                                 help_text="The note on the figures; left out keeps the stored one")
    lines = ReturnLineInSerializer(many=True, max_length=10_000,
                                   help_text="The whole return: a budget line not sent has no entry afterwards")


class RowMessageSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ReturnWrittenSerializer(serializers.Serializer):
    monitoring_return = serializers.IntegerField()
    created = serializers.BooleanField()
    revision = RevisionSerializer(allow_null=True, help_text="Null when nothing changed")
    etag = serializers.CharField(help_text="The return's new ETag, for the next If-Match")
    warnings = RowMessageSerializer(many=True)
