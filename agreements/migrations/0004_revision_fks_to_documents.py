"""The historical rows' `revision` foreign keys point at documents.Revision, in Django's state only.

The model moved from agreements to documents keeping its table ("agreements_revision"), so the
foreign key columns and constraints in the database are already right: nothing is written.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0003_clean_stored_text"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalagreement",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalparty",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalclause",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalschedule",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalaim",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicaloutcome",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalstrategydocument",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalkeyperformanceindicator",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalrisk",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalspecificationsection",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
                migrations.AlterField(
                    model_name="historicalspecificationparagraph",
                    name="revision",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.revision"),
                ),
            ],
            database_operations=[],
        ),
    ]
