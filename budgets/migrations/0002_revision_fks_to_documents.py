"""Budget imports' and historical budget lines' `revision` points at documents.Revision, in state only.

The model moved from agreements to documents keeping its table ("agreements_revision"), so the
foreign key columns and constraints in the database are already right: nothing is written.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("budgets", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="budgetimport",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalbudgetline",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
            ],
            database_operations=[],
        ),
    ]
