"""Budget import speed: our import against django-import-export's default ModelResource.

    .venv/bin/python bench/import.py [--rows 10000]

Builds a throwaway test database (never the dev database), generates a budget-lines .xlsx of
--rows lines and prints, in one run: rows/s for our import (create, history written), for
re-importing with 10% of amounts changed, for the preview alone, and for three baselines importing
the same file into the same tables — django-import-export's default ModelResource (row by row
through save(), so simple-history writes history), django-import-export at its fastest (use_bulk,
skip_diff, force_init_instance, batch_size: bulk_create, so no history) and simple-history's
bulk_create_with_history over model instances built from the same file parsed by our parser
(history, but no revision or snapshot) — each starting, like our create, from no budget lines and
no historical lines; then what each step writes, and peak memory (the process's peak resident set,
read from getrusage after the runs: nothing traces allocations, so measuring memory does not slow
the timings).
Each step also shows this process's CPU seconds and the machine's load average before it: on a
shared machine wall-clock rows/s fall with the load, CPU seconds much less so (on PostgreSQL the
server's own CPU is not in them).
Targets (issue 6): ≥ 5,000 rows/s create, ≥ 5 × the baseline, re-import ≤ 3 s, peak ≤ 500 MB.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


def generate_xlsx(rows: int, partners: list[str], changed_share: float = 0.0, seed: int = 75) -> bytes:
    """A budget-lines workbook: services × partners × 2 budget types in 2018/19 (then later years)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    change = random.Random(seed + 1)
    book = Workbook()  # as Excel saves it: with the sheet's dimension at the top
    sheet = book.active
    sheet.title = "Budget lines"
    sheet.append(["Financial year", "Service", "Partner", "Budget type", "Amount (£)", "Status",
                  "Ring-fenced public health", "Notes"])
    written = 0
    service = 0
    while written < rows:
        service += 1
        year = 2018 + (service // 2500)
        for partner in partners:
            for kind in ("Pooled", "Aligned"):
                if written == rows:
                    break
                amount = Decimal(rng.randrange(1_000_00, 5_000_000_00)) / 100
                status = "To be agreed" if rng.random() < 0.1 else "Confirmed"
                if changed_share and change.random() < changed_share:
                    amount += Decimal("1.01")
                sheet.append([f"{year}/{(year + 1) % 100:02d}", f"Service {service:05d}", partner, kind,
                              float(amount), status, "Yes" if rng.random() < 0.2 else "No",
                              "Subject to review" if status == "To be agreed" else "None known"])
                written += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def baseline_resource(target):
    """django-import-export's default ModelResource, with the widgets the file's columns need."""
    from import_export import fields, resources, widgets

    from agreements.budget_values import parse_financial_year
    from agreements.models import BudgetLine, BudgetStatus, BudgetType
    from partnerships.models import Partner

    class Labels(widgets.Widget):
        def __init__(self, choices):
            super().__init__()
            self.choices = {str(label): value for value, label in choices}

        def clean(self, value, row=None, **kwargs):
            return self.choices.get(value, value)

    class Year(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return parse_financial_year(value)

    class BudgetLineResource(resources.ModelResource):
        schedule = fields.Field(attribute="schedule", column_name="schedule",
                                widget=widgets.ForeignKeyWidget(type(target)))
        financial_year = fields.Field(attribute="financial_year", column_name="Financial year", widget=Year())
        service = fields.Field(attribute="service", column_name="Service")
        partner = fields.Field(attribute="partner", column_name="Partner",
                               widget=widgets.ForeignKeyWidget(Partner, "name"))
        budget_type = fields.Field(attribute="budget_type", column_name="Budget type",
                                   widget=Labels(BudgetType.choices))
        amount = fields.Field(attribute="amount", column_name="Amount (£)", widget=widgets.DecimalWidget())
        status = fields.Field(attribute="status", column_name="Status", widget=Labels(BudgetStatus.choices))
        ring_fenced_public_health = fields.Field(attribute="ring_fenced_public_health",
                                                 column_name="Ring-fenced public health",
                                                 widget=Labels([(True, "Yes"), (False, "No")]))
        notes = fields.Field(attribute="notes", column_name="Notes")

        class Meta:
            model = BudgetLine
            fields = ("schedule", "financial_year", "service", "partner", "budget_type", "amount", "status",
                      "ring_fenced_public_health", "notes")
            import_id_fields = ("schedule", "service", "partner", "financial_year", "budget_type")

        def before_import_row(self, row, **kwargs):
            row["Notes"] = row.get("Notes") or ""

    return BudgetLineResource()


# django-import-export's default; on SQLite Django's bulk_create still caps each INSERT at 999 parameters
# (99 lines of 10 columns), on PostgreSQL it is 1,000 lines an INSERT.
FAST_BATCH_SIZE = 1000


def fastest_resource(target):
    """django-import-export at its fastest: the same fields and widgets, with its documented options
    for speed (bulk mode, no diff, no look-up of existing rows: the file holds only new lines) and
    foreign-key look-ups cached (the default widget queries the database once per row and column).

    Bulk mode writes with bulk_create: no save(), no post_save signal, so simple-history writes no
    historical rows.
    """
    from import_export import widgets

    class CachedForeignKey(widgets.ForeignKeyWidget):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cache = {}

        def clean(self, value, row=None, **kwargs):
            if value not in self.cache:
                self.cache[value] = super().clean(value, row, **kwargs)
            return self.cache[value]

    base = type(baseline_resource(target))

    class FastBudgetLineResource(base):
        class Meta(base.Meta):
            use_bulk = True
            skip_diff = True
            force_init_instance = True
            batch_size = FAST_BATCH_SIZE

    resource = FastBudgetLineResource()
    for name in ("schedule", "partner"):
        widget = resource.fields[name].widget
        resource.fields[name].widget = CachedForeignKey(widget.model, widget.field)
    return resource


def bulk_create_with_history_import(schedule, content: bytes) -> tuple[int, float]:
    """Our parser's lines of the file as BudgetLine instances, written by simple-history's
    bulk_create_with_history (a historical row per line; no revision, no snapshot, no import record).

    Returns (lines written, seconds of which were parsing).
    """
    from simple_history.utils import bulk_create_with_history

    from agreements.models import BudgetLine
    from budgets.importing.parsing import normalise
    from budgets.importing.preview import parse_file

    started = time.perf_counter()
    _layout, lines, errors, _encoding = parse_file(schedule=schedule, filename="bench.xlsx", content=content)
    assert not errors, errors[:3]
    parse_s = time.perf_counter() - started
    positions: dict[str, int] = {}
    objs = [
        BudgetLine(schedule_id=schedule.pk, position=positions.setdefault(normalise(line.service), len(positions) + 1),
                   service=line.service, partner_id=line.partner_id, financial_year=line.financial_year,
                   budget_type=line.budget_type, amount=line.amount, status=line.status,
                   ring_fenced_public_health=bool(line.ring_fenced_public_health), notes=line.notes or "")
        for line in lines
    ]
    created = bulk_create_with_history(objs, BudgetLine, batch_size=FAST_BATCH_SIZE,
                                       default_change_reason="Bench bulk_create_with_history")
    return len(created), parse_s


def clear_lines() -> None:
    """Back to the state our create started from: no budget lines and no historical budget lines.

    A raw DELETE: QuerySet.delete() would send post_delete, and simple-history would write a
    historical row for every deleted line. Nothing has a foreign key to either table.
    """
    from agreements.models import BudgetLine

    for queryset in (BudgetLine.objects.all(), BudgetLine.history.all()):
        queryset._raw_delete(queryset.db)
    assert not BudgetLine.objects.exists() and not BudgetLine.history.exists()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def run(rows: int, baseline_rows: int) -> None:
    from import_export.formats.base_formats import XLSX

    from agreements.models import BudgetLine
    from agreements.services.agreements import agreement_create
    from agreements.services.schedules import schedule_create
    from budgets.importing import budget_lines_import, build_preview
    from partnerships.models import Partner, PartnerKind

    council = Partner.objects.create(name="Bench Council", short_name="BC", kind=PartnerKind.LOCAL_AUTHORITY)
    ccg = Partner.objects.create(name="NHS Bench CCG", short_name="BCCG", kind=PartnerKind.CCG)
    agreement = agreement_create(document={
        "fields": {"title": "Bench agreement", "reference": "BENCH-1"},
        "parties": [{"partner_id": council.pk, "role": "party"}, {"partner_id": ccg.pk, "role": "party"}],
    }, reason="Bench")

    def new_schedule(number: int):
        return schedule_create(agreement=agreement, reason="Bench", document={
            "fields": {"number": number, "title": f"Bench schedule {number}", "service_name": "Bench", "pooled_fund": True}})

    ours = new_schedule(1)
    content = generate_xlsx(rows, [council.name, ccg.name])
    changed = generate_xlsx(rows, [council.name, ccg.name], changed_share=0.10)
    print(f"File: {rows:,} budget lines, {len(content) / 1024:.0f} KB .xlsx; database: {connection.vendor}")

    loads = {}
    cpu = {}
    loads["preview"], started, cpu_started = os.getloadavg()[0], time.perf_counter(), time.process_time()
    preview = build_preview(schedule=ours, filename="bench.xlsx", content=content)
    preview_s = time.perf_counter() - started
    cpu["preview"] = time.process_time() - cpu_started
    assert preview.ok and len(preview.new) == rows, preview.errors[:3]

    history_before = BudgetLine.history.count()
    loads["create"], started, cpu_started = os.getloadavg()[0], time.perf_counter(), time.process_time()
    result = budget_lines_import(schedule=ours, filename="bench.xlsx", content=content, reason="Bench create")
    create_s = time.perf_counter() - started
    cpu["create"] = time.process_time() - cpu_started
    assert result.created == rows
    assert BudgetLine.history.count() - history_before == rows, "every created line has its history row"

    history_before = BudgetLine.history.count()
    loads["reimport"], started, cpu_started = os.getloadavg()[0], time.perf_counter(), time.process_time()
    again = budget_lines_import(schedule=ours, filename="bench-10pc.xlsx", content=changed, reason="Bench change")
    reimport_s = time.perf_counter() - started
    cpu["reimport"] = time.process_time() - cpu_started
    history_written = BudgetLine.history.count() - history_before
    assert history_written == again.changed, "history only for changed lines"
    ours_peak = peak_mb()

    def import_export_run(resource_for, key: str, schedule, file: bytes, count: int, history: bool) -> None:
        clear_lines()  # from no lines and no history, as our create started
        history_before = BudgetLine.history.count()
        loads[key], started, cpu_started = os.getloadavg()[0], time.perf_counter(), time.process_time()
        dataset = XLSX().create_dataset(file)
        dataset.append_col([schedule.pk] * dataset.height, header="schedule")
        outcome = resource_for(schedule).import_data(dataset, dry_run=False, raise_errors=True)
        seconds[key] = time.perf_counter() - started
        cpu[key] = time.process_time() - cpu_started
        assert outcome.totals["new"] == count, outcome.totals
        assert BudgetLine.objects.filter(schedule=schedule).count() == count
        assert BudgetLine.history.count() - history_before == (count if history else 0)

    seconds = {"create": create_s, "reimport": reimport_s, "preview": preview_s}
    base_content = content if baseline_rows >= rows else generate_xlsx(baseline_rows, [council.name, ccg.name])
    import_export_run(baseline_resource, "baseline", new_schedule(2), base_content, baseline_rows, history=True)
    import_export_run(fastest_resource, "fastest", new_schedule(3), content, rows, history=False)

    clear_lines()
    bulk_schedule = new_schedule(4)
    loads["bulk_history"], started, cpu_started = os.getloadavg()[0], time.perf_counter(), time.process_time()
    written, bulk_parse_s = bulk_create_with_history_import(bulk_schedule, content)
    seconds["bulk_history"] = time.perf_counter() - started
    cpu["bulk_history"] = time.process_time() - cpu_started
    assert written == rows and BudgetLine.objects.filter(schedule=bulk_schedule).count() == rows
    assert BudgetLine.history.filter(schedule=bulk_schedule, revision__isnull=True).count() == rows
    clear_lines()

    create_rate = rows / create_s
    baseline_rate = baseline_rows / seconds["baseline"]
    steps = [
        ("our import, create (history written)", rows, "create",
         "our import, create: the lines, a historical row per line (linked to the revision), one revision with "
         "the schedule's snapshot, the import record and its stored file"),
        (f"our re-import, {again.changed:,} amounts changed (10%)", rows, "reimport",
         "our re-import: the changed lines, a historical row for each, one revision with its snapshot, "
         "the import record and its stored file"),
        ("our preview alone", rows, "preview", "our preview: nothing"),
        ("baseline: django-import-export ModelResource, create", baseline_rows, "baseline",
         "ModelResource: the lines, a historical row per line (save() per row; no revision)"),
        ("baseline: import-export use_bulk, skip_diff", rows, "fastest",
         f"import-export use_bulk + skip_diff + force_init_instance, batch_size {FAST_BATCH_SIZE}, cached "
         "foreign-key look-ups: the lines only (bulk_create: NO history, no revision)"),
        ("baseline: simple-history bulk_create_with_history", rows, "bulk_history",
         "bulk_create_with_history: the lines and a historical row per line (no revision, no snapshot, "
         f"no import record); parsing the file with our parser is {bulk_parse_s:.2f} s of it"),
    ]
    print(f"{'step':52} {'rows':>7} {'seconds':>8} {'rows/s':>9} {'CPU s':>7} {'rows/CPU s':>10} {'load':>5}")
    for label, count, key, _writes in steps:
        print(f"{label:52} {count:>7,} {seconds[key]:>8.2f} {count / seconds[key]:>9,.0f} {cpu[key]:>7.2f} "
              f"{count / cpu[key]:>10,.0f} {loads[key]:>5.1f}")
    print("what each step writes (every create starts from no budget lines and no historical lines):")
    for _label, _count, _key, writes in steps:
        print(f"  - {writes}")
    print(f"speed-up over the baseline: {create_rate / baseline_rate:.1f}×")
    print("our create against each baseline (rows/s ratio): " + "; ".join(
        f"{name} {create_rate / (count / seconds[key]):.2f}×" for name, count, key in [
            ("ModelResource", baseline_rows, "baseline"), ("import-export bulk", rows, "fastest"),
            ("bulk_create_with_history", rows, "bulk_history")]))
    print(f"peak memory (resident, from getrusage; no tracing): {ours_peak:.0f} MB after our runs, "
          f"{peak_mb():.0f} MB after the baselines")
    print(f"machine: {os.cpu_count()} CPUs; load average (1 min) before each step in the 'load' column")
    checks = [
        ("create ≥ 5,000 rows/s", create_rate >= 5000),
        ("create ≥ 5 × baseline", create_rate >= 5 * baseline_rate),
        ("re-import with 10% changed ≤ 3 s", reimport_s <= 3),
        ("peak memory ≤ 500 MB", peak_mb() <= 500),
    ]
    print("targets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=None, help="rows for the baseline (default: --rows)")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":  # a database of its own, so runs side by side do not collide
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_bench_import_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args.rows, args.baseline_rows or args.rows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        teardown_test_environment()


if __name__ == "__main__":
    main()
