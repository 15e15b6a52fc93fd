"""BudgetLine and its history leave budgets' state; their content types follow them to agreements.

The last step of the move (agreements 0006 created the models there, keeping the tables
"budgets_budgetline" and "budgets_historicalbudgetline"). The tables stay: DeleteModel runs in
Django's state only. Budgets keeps the import records, which name no budget line.

The content types of the two models are renamed from app label "budgets" to "agreements", so
their permissions (and the users and groups holding them) and the admin's log entries follow the
models rather than being left on stale rows. Backwards, they are renamed back. A row that
already exists under the new label can only have been made by looking the model up before this
migration ran; it is a duplicate, and it is deleted with its automatic permissions so the
renamed row, which holds the assignments, takes its place.
"""

from django.db import migrations

MODELS = ("budgetline", "historicalbudgetline")


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
    rename_content_types(apps, schema_editor, old_label="budgets", new_label="agreements")


def backwards(apps, schema_editor) -> None:
    rename_content_types(apps, schema_editor, old_label="agreements", new_label="budgets")


class Migration(migrations.Migration):

    dependencies = [
        ("budgets", "0002_revision_fks_to_documents"),
        ("agreements", "0006_move_budget_lines_from_budgets"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalBudgetLine"),
                migrations.DeleteModel(name="BudgetLine"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
