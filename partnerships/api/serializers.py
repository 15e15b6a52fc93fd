"""Partners, and the rule every API body follows: a field the endpoint does not know is an error."""

from __future__ import annotations

from rest_framework import serializers

from partnerships.models import Partner


class StrictFieldsMixin:
    """Refuse unknown fields by name, rather than ignoring them silently (a typo is not a no-op)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                allowed = ", ".join(sorted(writable))
                raise serializers.ValidationError(
                    {name: [f"“{name}” is not a field here: use {allowed}."] for name in unknown}
                )
        return super().to_internal_value(data)


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "short_name", "kind", "code", "successor", "active_from", "active_to"]
