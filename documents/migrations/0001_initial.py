"""Revision, Decision and Version move here from agreements, in Django's state only.

Their tables were created by agreements 0001 and stay exactly as they are: the models keep the
table names ("agreements_revision", "agreements_decision", "agreements_version") and the index
and constraint names, so nothing is written to the database. The historical models' `revision`
foreign keys are pointed here by agreements 0004, budgets 0002 and governance 0002; agreements
0005 then removes the three models from agreements' state and moves their content types.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("agreements", "0003_clean_stored_text"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Decision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("body", models.CharField(help_text="Who decided: Cabinet, governing body, Cabinet Member Signing", max_length=200)),
                        ("decided_on", models.DateField()),
                        ("reference", models.CharField(blank=True, help_text="Forward plan or minute reference", max_length=100)),
                        ("key_decision", models.BooleanField(default=False)),
                        ("summary", models.TextField(blank=True)),
                    ],
                    options={
                        "db_table": "agreements_decision",
                        "ordering": ["-decided_on", "body"],
                    },
                ),
                migrations.CreateModel(
                    name="Revision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("kind", models.CharField(choices=[("created", "Created"), ("edited", "Edited"), ("imported", "Imported"), ("restored", "Restored"), ("loaded", "Loaded"), ("admin", "Edited in the admin"), ("deleted", "Deleted")], max_length=20)),
                        ("reason", models.TextField()),
                        ("summary", models.CharField(blank=True, max_length=300)),
                        ("snapshot", models.JSONField(default=dict, help_text="The whole document as it stood after this change")),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "agreements_revision",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["content_type", "object_id", "created_at"], name="revision_document_date"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Version",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("number", models.PositiveIntegerField()),
                        ("agreed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("agreed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype")),
                        ("decision", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="versions", to="documents.decision")),
                        ("revision", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="versions", to="documents.revision")),
                    ],
                    options={
                        "db_table": "agreements_version",
                        "ordering": ["-number"],
                        "constraints": [
                            models.UniqueConstraint(fields=("content_type", "object_id", "number"), name="version_number_unique", violation_error_message="This document already has a version with this number."),
                            models.CheckConstraint(condition=models.Q(("number__gte", 1)), name="version_number_positive", violation_error_message="Version numbers start at 1."),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
