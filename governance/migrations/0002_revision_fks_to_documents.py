"""The historical rows' `revision` foreign keys point at documents.Revision, in Django's state only.

The model moved from agreements to documents keeping its table ("agreements_revision"), so the
foreign key columns and constraints in the database are already right: nothing is written.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicaltermsofreference",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicaltermssection",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalremititem",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalmember",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalfinancialgovernanceitem",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalduty",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalaccountabilityline",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
            ],
            database_operations=[],
        ),
    ]
