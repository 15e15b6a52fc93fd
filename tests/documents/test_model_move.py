"""The state-only model moves keep every row: the kernel's models to documents, budget lines to agreements.

Each test migrates the database back to just before its move, fills it there (the demo and a
small run of the bench's scale data; the tables are the same before and after a state-only move,
so today's code writes them), then migrates forward: every table keeps every row, the moved
models' content types (with their permissions and admin log entries) move to their new app, and
every revision's snapshot reads the same.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.models import BudgetLine, Schedule
from agreements.snapshots import schedule_snapshot_by_id
from bench.make_scale_data import fill
from documents.models import Decision, Revision, Version
from documents.registry import document_type
from governance.demo import load_demo_data

pytestmark = pytest.mark.django_db(transaction=True)

# The nodes just before the move: documents did not exist, and nothing pointed at it.
BEFORE_MOVE = [
    ("agreements", "0003_clean_stored_text"),
    ("budgets", "0001_initial"),
    ("governance", "0001_initial"),
    ("documents", None),
]
MOVED = ("revision", "decision", "version")

# The nodes just before budget lines moved from budgets to agreements (agreements 0006, budgets 0003).
BEFORE_BUDGET_LINE_MOVE = [
    ("agreements", "0005_move_revisions_to_documents"),
    ("budgets", "0002_revision_fks_to_documents"),
]
MOVED_BUDGET_LINES = ("budgetline", "historicalbudgetline")


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()  # the migrations renamed content types under the cache
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":
                continue  # records the migrations themselves
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def rows(model) -> dict[int, dict]:
    """Every row by primary key (a historical model's is history_id: a line has many rows)."""
    pk = model._meta.pk.attname
    return {row[pk]: row for row in model.objects.order_by("pk").values()}


def assert_same_rows(counts: dict[str, int]) -> None:
    """Every old table has its rows; tables made by later migrations are there, empty."""
    now = row_counts()
    assert {table: now.get(table) for table in counts} == counts
    assert {table: rows for table, rows in now.items() if table not in counts and rows} == {}


@contextmanager
def todays_schema():
    """Today's tables and columns that the old schema lacks, there while today's code writes the
    demo and the scale data, then dropped again, so the database is exactly the old one (with the
    rows today's code wrote into the old tables) when it migrates forward.

    Added columns carry no index, constraint or uniqueness, so a plain DROP COLUMN removes them on
    both databases (SQLite's schema editor would rebuild the table from today's model instead).
    """
    tables, columns = [], []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        with connection.schema_editor() as editor:
            for model in apps.get_models(include_auto_created=True):
                if not model._meta.managed or model._meta.proxy:
                    continue
                if model._meta.db_table not in existing:
                    editor.create_model(model)
                    tables.append(model._meta.db_table)
                    existing.add(model._meta.db_table)
                    continue
                present = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
                for field in model._meta.local_concrete_fields:
                    if field.column in present:
                        continue
                    clone = field.clone()
                    clone.db_index, clone.unique, clone.primary_key = False, False, False
                    if clone.is_relation:
                        clone.db_constraint = False
                        clone.remote_field.model = field.remote_field.model  # the class, not its name
                    clone.set_attributes_from_name(field.name)
                    clone.model = model
                    editor.add_field(model, clone)
                    columns.append((model._meta.db_table, field.column))
    try:
        yield
    finally:
        quote = connection.ops.quote_name
        with connection.constraint_checks_disabled(), connection.cursor() as cursor:
            for table, column in reversed(columns):
                cursor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN {quote(column)}")
            for table in reversed(tables):
                cascade = " CASCADE" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TABLE {quote(table)}{cascade}")


def test_moving_the_models_to_documents_keeps_every_row_and_every_snapshot():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = migrate(BEFORE_MOVE)
        applied = executor.loader.applied_migrations
        assert ("documents", "0001_initial") not in applied
        assert ("agreements", "0004_revision_fks_to_documents") not in applied
        old = executor.loader.project_state([node for node in BEFORE_MOVE if node[1]]).apps
        assert old.get_model("agreements", "Revision")._meta.db_table == Revision._meta.db_table

        with todays_schema():
            load_demo_data()
            scale = fill(scale=0.002, seed=75, force=True, out=lambda *args: None)  # 2 agreements, 10 schedules

        # Someone holds a permission on decisions, and the admin logged a change to one.
        decision_type = ContentType.objects.get(app_label="agreements", model="decision")
        clerk = get_user_model().objects.create_user("decision-clerk", password="clerk-password-2026")
        clerk.user_permissions.add(Permission.objects.get(content_type=decision_type, codename="change_decision"))
        decision = Decision.objects.order_by("pk").first()
        LogEntry.objects.create(
            user=clerk, content_type=decision_type, object_id=str(decision.pk), object_repr=str(decision),
            action_flag=CHANGE, change_message="Corrected the reference",
        )

        counts = row_counts()
        type_ids = dict(ContentType.objects.filter(app_label="agreements", model__in=MOVED).values_list("model", "id"))
        before = {name: rows(old.get_model("agreements", name)) for name in ("Revision", "Decision", "Version")}
        snapshots = {pk: row["snapshot"] for pk, row in before["Revision"].items()}
        assert len(snapshots) > scale["totals"]["entries"] > 200 and before["Decision"] and before["Version"]
        assert sorted(type_ids) == sorted(MOVED)

        executor = migrate(latest)
        assert set(executor.loader.applied_migrations) >= set(latest)

        assert_same_rows(counts)  # no table dropped, no row lost or added in any
        assert dict(ContentType.objects.filter(app_label="documents", model__in=MOVED).values_list("model", "id")) == type_ids
        assert not ContentType.objects.filter(app_label="agreements", model__in=MOVED).exists()
        assert ContentType.objects.get_for_model(Revision).pk == type_ids["revision"]
        clerk = get_user_model().objects.get(pk=clerk.pk)
        assert clerk.has_perm("documents.change_decision") and not clerk.has_perm("agreements.change_decision")
        assert LogEntry.objects.get(user=clerk).content_type.model_class() is Decision

        assert rows(Revision) == before["Revision"]
        assert rows(Decision) == before["Decision"]
        assert rows(Version) == before["Version"]
        for revision in Revision.objects.iterator():
            assert revision.snapshot == snapshots[revision.pk]
    finally:
        migrate(latest)


def test_moving_budget_lines_to_agreements_keeps_every_row_and_every_snapshot():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = migrate(BEFORE_BUDGET_LINE_MOVE)
        applied = executor.loader.applied_migrations
        assert ("agreements", "0006_move_budget_lines_from_budgets") not in applied
        assert ("budgets", "0003_move_budget_lines_to_agreements") not in applied
        old = executor.loader.project_state(BEFORE_BUDGET_LINE_MOVE).apps
        assert old.get_model("budgets", "BudgetLine")._meta.db_table == BudgetLine._meta.db_table
        assert old.get_model("budgets", "HistoricalBudgetLine")._meta.db_table == BudgetLine.history.model._meta.db_table

        with todays_schema():
            load_demo_data()
            scale = fill(scale=0.002, seed=76, force=True, out=lambda *args: None)  # 2 agreements, 10 schedules
            schedules = {pk: schedule_snapshot_by_id(pk) for pk in Schedule.objects.values_list("pk", flat=True)}

        # Someone holds a permission on budget lines, and the admin logged a change to one.
        line_type = ContentType.objects.get(app_label="budgets", model="budgetline")
        clerk = get_user_model().objects.create_user("budget-clerk", password="clerk-password-2026")
        clerk.user_permissions.add(Permission.objects.get(content_type=line_type, codename="change_budgetline"))
        line = BudgetLine.objects.order_by("pk").first()
        LogEntry.objects.create(
            user=clerk, content_type=line_type, object_id=str(line.pk), object_repr=str(line),
            action_flag=CHANGE, change_message="Corrected the amount",
        )

        counts = row_counts()
        type_ids = dict(
            ContentType.objects.filter(app_label="budgets", model__in=MOVED_BUDGET_LINES).values_list("model", "id")
        )
        before = {name: rows(old.get_model("budgets", name)) for name in ("BudgetLine", "HistoricalBudgetLine")}
        assert len(before["BudgetLine"]) >= scale["totals"]["lines"] >= 200
        assert len(before["HistoricalBudgetLine"]) >= len(before["BudgetLine"])
        assert sorted(type_ids) == sorted(MOVED_BUDGET_LINES)
        snapshots = {revision.pk: revision.snapshot for revision in Revision.objects.iterator()}
        assert sum(len(snapshot["budget_lines"]) for snapshot in schedules.values()) == len(before["BudgetLine"])

        executor = migrate(latest)
        assert set(executor.loader.applied_migrations) >= set(latest)

        assert_same_rows(counts)  # no table dropped, no row lost or added in any
        moved_ids = ContentType.objects.filter(app_label="agreements", model__in=MOVED_BUDGET_LINES)
        assert dict(moved_ids.values_list("model", "id")) == type_ids
        assert not ContentType.objects.filter(app_label="budgets", model__in=MOVED_BUDGET_LINES).exists()
        assert ContentType.objects.get_for_model(BudgetLine).pk == type_ids["budgetline"]
        assert ContentType.objects.get_for_model(BudgetLine.history.model).pk == type_ids["historicalbudgetline"]
        clerk = get_user_model().objects.get(pk=clerk.pk)
        assert clerk.has_perm("agreements.change_budgetline") and not clerk.has_perm("budgets.change_budgetline")
        assert LogEntry.objects.get(user=clerk).content_type.model_class() is BudgetLine

        assert rows(BudgetLine) == before["BudgetLine"]
        assert rows(BudgetLine.history.model) == before["HistoricalBudgetLine"]
        assert BudgetLine.history.filter(id=line.pk).first().instance.amount == line.amount
        assert {pk: schedule_snapshot_by_id(pk) for pk in schedules} == schedules
        for revision in Revision.objects.iterator():
            assert revision.snapshot == snapshots[revision.pk]
            document_type(revision.snapshot["type"]).present(revision.snapshot)  # each still reads
    finally:
        migrate(latest)
