"""Revision, Decision and Version leave agreements' state; their content types follow them.

The last step of the move to the documents app (documents 0001 created the models there, and
agreements 0004, budgets 0002 and governance 0002 pointed every `revision` foreign key at
them). The tables stay: DeleteModel runs in Django's state only.

The content types of the three models are renamed from app label "agreements" to "documents",
so their permissions (and the users and groups holding them) and the admin's log entries follow
the models rather than being left on stale rows. Backwards, they are renamed back. A row that
already exists under the new label can only have been made by looking the model up before this
migration ran; it is a duplicate, and it is deleted with its automatic permissions so the
renamed row, which holds the assignments, takes its place.
"""

from django.db import migrations

MODELS = ("revision", "decision", "version")


def rename_content_types(apps, schema_editor, *, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.db_manager(schema_editor.connection.alias)
    for model in MODELS:
        moving = rows.filter(app_label=old_label, model=model).first()
        if moving is None:
            continue  # a fresh database: post_migrate creates the new rows
        rows.filter(app_label=new_label, model=model).delete()
        moving.app_label = new_label
        moving.save(update_fields=["app_label"])


def forwards(apps, schema_editor) -> None:
    rename_content_types(apps, schema_editor, old_label="agreements", new_label="documents")


def backwards(apps, schema_editor) -> None:
    rename_content_types(apps, schema_editor, old_label="documents", new_label="agreements")


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0004_revision_fks_to_documents"),
        ("budgets", "0002_revision_fks_to_documents"),
        ("governance", "0002_revision_fks_to_documents"),
        ("documents", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Version"),
                migrations.DeleteModel(name="Revision"),
                migrations.DeleteModel(name="Decision"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
