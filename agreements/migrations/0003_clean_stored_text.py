"""Store every text in one line-ending form (LF) with no control characters but tab.

Browsers posted CRLF into text fields before the write services cleaned text, so a later save
of an untouched field showed it as changed. This cleans the live rows of every document model
with QuerySet.update(), which writes no historical rows: the history already recorded (the
historical tables and the revisions' snapshots) is left exactly as it was. Comparisons of
snapshots ignore line endings (documents.text.same_content), so old revisions holding CRLF do
not make the cleaned rows look changed.
"""

from django.db import migrations, models
from django.db.models import Q

APPS = ("agreements", "governance", "budgets")
# Control characters other than tab and newline; written as the characters themselves so the
# pattern means the same to SQLite's (Python's) and PostgreSQL's regular expressions.
UNWANTED = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
CONTROL = {code: None for code in (*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))}


def clean(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL)


def clean_stored_text(apps, schema_editor):
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical") or model.__name__ == "Revision":
                continue
            names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
            if not names:
                continue
            dirty = Q()
            for name in names:
                dirty |= Q(**{f"{name}__contains": "\r"}) | Q(**{f"{name}__regex": UNWANTED})
            for row in model.objects.filter(dirty).values("pk", *names).iterator():
                changes = {name: clean(row[name]) for name in names if row[name] and clean(row[name]) != row[name]}
                if changes:
                    model.objects.filter(pk=row["pk"]).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_revision_kind_deleted"),
        ("governance", "0001_initial"),
        ("budgets", "0001_initial"),
    ]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop)]
