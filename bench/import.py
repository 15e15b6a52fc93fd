"""Budget import speed: our import against django-import-export's default ModelResource.

    .venv/bin/python bench/import.py [--rows 10000]

Builds a throwaway test database (never the dev database), generates a budget-lines .xlsx of
--rows lines and prints, in one run: rows/s for our import (create, history written), for
re-importing with 10% of amounts changed, for the preview alone, and for the baseline importing
the same file into the same tables; then peak memory (the process's peak resident set, read from
getrusage after the runs: nothing traces allocations, so measuring memory does not slow the timings).
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

    from budgets.importing.parsing import parse_financial_year
    from budgets.models import BudgetLine, BudgetStatus, BudgetType
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


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def run(rows: int, baseline_rows: int) -> None:
    from import_export.formats.base_formats import XLSX

    from agreements.services.agreements import agreement_create
    from agreements.services.schedules import schedule_create
    from budgets.importing import budget_lines_import, build_preview
    from budgets.models import BudgetLine
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

    base_schedule = new_schedule(2)
    base_content = content if baseline_rows >= rows else generate_xlsx(baseline_rows, [council.name, ccg.name])
    history_before = BudgetLine.history.count()
    loads["baseline"], started, cpu_started = os.getloadavg()[0], time.perf_counter(), time.process_time()
    dataset = XLSX().create_dataset(base_content)
    dataset.append_col([base_schedule.pk] * dataset.height, header="schedule")
    outcome = baseline_resource(base_schedule).import_data(dataset, dry_run=False, raise_errors=True)
    baseline_s = time.perf_counter() - started
    cpu["baseline"] = time.process_time() - cpu_started
    assert outcome.totals["new"] == baseline_rows, outcome.totals
    assert BudgetLine.history.count() - history_before == baseline_rows

    create_rate = rows / create_s
    baseline_rate = baseline_rows / baseline_s
    print(f"{'step':52} {'rows':>7} {'seconds':>8} {'rows/s':>9} {'CPU s':>7} {'rows/CPU s':>10} {'load':>5}")
    for label, count, seconds, key in [
        ("our import, create (history written)", rows, create_s, "create"),
        (f"our re-import, {again.changed:,} amounts changed (10%)", rows, reimport_s, "reimport"),
        ("our preview alone", rows, preview_s, "preview"),
        ("baseline: django-import-export ModelResource, create", baseline_rows, baseline_s, "baseline"),
    ]:
        print(f"{label:52} {count:>7,} {seconds:>8.2f} {count / seconds:>9,.0f} {cpu[key]:>7.2f} "
              f"{count / cpu[key]:>10,.0f} {loads[key]:>5.1f}")
    print(f"speed-up over the baseline: {create_rate / baseline_rate:.1f}×")
    print(f"peak memory (resident, from getrusage; no tracing): {ours_peak:.0f} MB after our runs, "
          f"{peak_mb():.0f} MB after the baseline")
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
