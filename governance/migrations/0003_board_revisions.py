"""Boards become versioned documents: a revision link on their historical rows, an edit count, and a
baseline revision for every board that exists, so its history page starts from today's state.

The baseline is written by this migration's own frozen copy of the board snapshot (the shape of
`governance.documents.board_snapshot` on 1 December 2026), as migrations must not import app code
that may change later.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

BASELINE_REASON = "History recorded from this date"


def board_snapshot(board) -> dict:
    reports_to = board.reports_to
    return {
        "type": "board",
        "id": board.pk,
        "fields": {
            "name": board.name, "short_name": board.short_name, "reports_to_id": board.reports_to_id,
            "description": board.description,
        },
        "boards": {str(reports_to.pk): {"name": reports_to.name}} if reports_to is not None else {},
        "agreements": [
            {"id": a.pk, "reference": a.reference, "title": a.title}
            for a in sorted(board.agreements.all(), key=lambda a: (a.reference, a.pk))
        ],
    }


def record_baselines(apps, schema_editor) -> None:
    """One "created" revision per board that has none, by the system, of the board as it stands."""
    Board = apps.get_model("governance", "Board")
    Revision = apps.get_model("documents", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="governance", model="board")
    recorded = set(Revision.objects.filter(content_type=content_type).values_list("object_id", flat=True))
    now = timezone.now()
    Revision.objects.bulk_create([
        Revision(
            content_type=content_type, object_id=board.pk, created_at=now, user=None, kind="created",
            reason=BASELINE_REASON, snapshot=board_snapshot(board),
        )
        for board in Board.objects.select_related("reports_to").prefetch_related("agreements").order_by("pk")
        if board.pk not in recorded
    ])


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0001_initial"),
        ("governance", "0002_revision_fks_to_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="board",
            name="edit_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="historicalboard",
            name="revision",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
        ),
        migrations.RunPython(record_baselines, migrations.RunPython.noop),
    ]
