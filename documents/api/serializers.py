"""Revisions and agreed versions: who, when, why, what kind; the snapshot only when asked for."""

from __future__ import annotations

from rest_framework import serializers

from documents.models import Decision, Revision, Version


def _who(user) -> str | None:
    return None if user is None else user.username


class RevisionSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = ["id", "created_at", "user", "kind", "reason", "summary"]

    def get_user(self, revision) -> str | None:
        return _who(revision.user)


class RevisionWithSnapshotSerializer(RevisionSerializer):
    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "snapshot"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["body", "decided_on", "reference", "key_decision", "summary"]


class VersionSerializer(serializers.ModelSerializer):
    decision = DecisionSerializer()
    agreed_by = serializers.SerializerMethodField()
    revision = serializers.IntegerField(source="revision_id")

    class Meta:
        model = Version
        fields = ["number", "agreed_at", "agreed_by", "decision", "revision"]

    def get_agreed_by(self, version) -> str | None:
        return _who(version.agreed_by)


class VersionWithSnapshotSerializer(VersionSerializer):
    snapshot = serializers.JSONField(source="revision.snapshot")

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "snapshot"]


class DocumentStateSerializer(serializers.Serializer):
    """A document as it stood: the revision then in force and its snapshot (the whole document)."""

    as_of = serializers.DateTimeField()
    revision = RevisionSerializer()
    document = serializers.JSONField()
