"""BudgetLine and its history move here from budgets, in Django"s state only.

A budget line is a child of its schedule (its rows are in the schedule's document), so the model
now belongs with the schedule. Its tables were created by budgets 0001 and stay exactly as they
are: the models keep the table names ("budgets_budgetline", "budgets_historicalbudgetline") and
the constraint names, so nothing is written to the database. Budgets 0003 then removes the two
models from budgets" state and moves their content types here. Nothing else points at a budget
line, so no foreign key needs repointing.
"""

import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0005_move_revisions_to_documents"),
        ("budgets", "0002_revision_fks_to_documents"),
        ("documents", "0001_initial"),
        ("partnerships", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalBudgetLine",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("position", models.PositiveIntegerField(default=0, help_text="Order of services in the schedule's table")),
                        ("service", models.CharField(max_length=300)),
                        ("financial_year", models.PositiveSmallIntegerField(help_text="The year the financial year starts in April: 2018 means 2018/19")),
                        ("budget_type", models.CharField(choices=[("pooled", "Pooled"), ("aligned", "Aligned")], max_length=10)),
                        ("amount", models.DecimalField(blank=True, decimal_places=2, help_text="Leave blank when there is no figure", max_digits=14, null=True, verbose_name="Amount (£)")),
                        ("status", models.CharField(choices=[("confirmed", "Confirmed"), ("to_be_agreed", "To be agreed"), ("not_applicable", "Not applicable"), ("within_block", "Within block contract")], default="confirmed", max_length=20)),
                        ("ring_fenced_public_health", models.BooleanField(default=False, verbose_name="Ring-fenced public health")),
                        ("notes", models.TextField(blank=True)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                        ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("partner", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="partnerships.partner")),
                        ("revision", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision")),
                        ("schedule", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="agreements.schedule")),
                    ],
                    options={
                        "verbose_name": "historical budget line",
                        "verbose_name_plural": "historical budget lines",
                        "db_table": "budgets_historicalbudgetline",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="BudgetLine",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("position", models.PositiveIntegerField(default=0, help_text="Order of services in the schedule's table")),
                        ("service", models.CharField(max_length=300)),
                        ("financial_year", models.PositiveSmallIntegerField(help_text="The year the financial year starts in April: 2018 means 2018/19")),
                        ("budget_type", models.CharField(choices=[("pooled", "Pooled"), ("aligned", "Aligned")], max_length=10)),
                        ("amount", models.DecimalField(blank=True, decimal_places=2, help_text="Leave blank when there is no figure", max_digits=14, null=True, verbose_name="Amount (£)")),
                        ("status", models.CharField(choices=[("confirmed", "Confirmed"), ("to_be_agreed", "To be agreed"), ("not_applicable", "Not applicable"), ("within_block", "Within block contract")], default="confirmed", max_length=20)),
                        ("ring_fenced_public_health", models.BooleanField(default=False, verbose_name="Ring-fenced public health")),
                        ("notes", models.TextField(blank=True)),
                        ("partner", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="budget_lines", to="partnerships.partner")),
                        ("schedule", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="budget_lines", to="agreements.schedule")),
                    ],
                    options={
                        "db_table": "budgets_budgetline",
                        "ordering": ["financial_year", "budget_type", "position", "id"],
                        "constraints": [models.UniqueConstraint(fields=("schedule", "service", "partner", "financial_year", "budget_type"), name="budget_line_unique", violation_error_message="This schedule already has a line for this service, partner, financial year and budget type."), models.CheckConstraint(condition=models.Q(("amount__isnull", True), ("amount__gte", Decimal("0")), _connector="OR"), name="budget_amount_not_negative", violation_error_message="An amount cannot be negative."), models.CheckConstraint(condition=models.Q(models.Q(("status", "not_applicable"), _negated=True), ("amount__isnull", True), _connector="OR"), name="budget_not_applicable_has_no_amount", violation_error_message="A line that is not applicable cannot have an amount."), models.CheckConstraint(condition=models.Q(models.Q(("status", "confirmed"), _negated=True), ("amount__isnull", False), _connector="OR"), name="budget_confirmed_has_amount", violation_error_message="A confirmed line needs an amount."), models.CheckConstraint(condition=models.Q(("financial_year__gte", 1990), ("financial_year__lte", 2100)), name="budget_financial_year_sane", violation_error_message="The financial year must be between 1990/91 and 2100/01.")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
