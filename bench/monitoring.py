"""Monitoring speed: importing a return, and the finance report PDF against WeasyPrint alone.

    .venv/bin/python bench/monitoring.py [--rows 10000] [--baseline-rows N] [--no-pdf] [--pdf-runs 5]

The PDF target is for a schedule's report (Schedule 6 has 30 lines): `--rows 30` times it at that size.

Builds a throwaway test database, a schedule of --rows budget lines (through the budget import's
fast path), a monitoring-return .csv with one row per line, and prints in one run: rows/s for our
import (preview, then the import as one revision with history), for django-import-export's default
ModelResource importing the same rows into the same table (row by row through save(), so
simple-history writes history), the speed-up, peak memory (getrusage), and the finance report PDF
against WeasyPrint alone on the same HTML.
Wall time and this process's CPU time (time.process_time: SQLite runs in the process, so it is the
import's whole cost without the waits of a shared machine) are both printed, with the load average.
Targets (issue 15): ≥ 5,000 rows/s with history, ≥ 5 × the baseline, peak ≤ 500 MB; PDF ≤ 1.3 × WeasyPrint.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.PDF_CACHE_SECONDS = 0  # WeasyPrint each time: the report's render is what is measured

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_resource():
    from import_export import resources

    from budgets.monitoring.models import MonitoringEntry

    class EntryResource(resources.ModelResource):
        class Meta:
            model = MonitoringEntry
            fields = ("id", "monitoring_return", "budget_line", "actual_to_date", "forecast_outturn", "notes")

    return EntryResource()


def run(rows: int, baseline_rows: int, pdf: bool = True, pdf_runs: int = 5) -> None:
    import tablib

    from agreements.models import BudgetLine
    from agreements.services.agreements import agreement_create
    from agreements.services.schedules import schedule_create
    from budgets.importing import budget_lines_import
    from budgets.monitoring.importing import build_return_preview, return_import
    from budgets.monitoring.models import MonitoringEntry, MonitoringReturn
    from budgets.monitoring.pdf import report_html
    from budgets.monitoring.report import build_report, report_state
    from documents.pdf import render_pdf
    from partnerships.models import Partner, PartnerKind

    council = Partner.objects.create(name="Bench Council", short_name="BC", kind=PartnerKind.LOCAL_AUTHORITY)
    ccg = Partner.objects.create(name="NHS Bench CCG", short_name="BCCG", kind=PartnerKind.CCG)
    agreement = agreement_create(document={"fields": {"title": "Bench agreement", "reference": "BENCH-M"},
                                           "parties": [{"partner_id": council.pk, "role": "party"},
                                                       {"partner_id": ccg.pk, "role": "party"}]}, reason="Bench")
    schedule = schedule_create(agreement=agreement, reason="Bench", document={
        "fields": {"number": 1, "title": "Bench schedule", "service_name": "Bench", "aligned_budgets": True}})
    lines_csv = "Financial year,Service,Partner,Budget type,Amount\n" + "".join(
        f"2018/19,Service {i:05d},BC,Aligned,{10000 + i}\n" for i in range(rows))
    budget_lines_import(schedule=schedule, filename="lines.csv", content=lines_csv.encode(), reason="Bench lines")
    content = ("Financial year,Period,Service,Partner,Budget type,Actual to date (£),Forecast outturn (£),Notes\n"
               + "".join(f"2018/19,P6,Service {i:05d},BC,Aligned,{5000 + i}.25,{10100 + i},Note {i % 7}\n"
                         for i in range(rows))).encode()
    print(f"File: {rows:,} return rows, {len(content) / 1024:.0f} KB .csv; database: {connection.vendor}")

    load, started = os.getloadavg()[0], time.perf_counter()
    preview = build_return_preview(schedule=schedule, filename="bench.csv", content=content)
    preview_s = time.perf_counter() - started
    assert not preview.errors and len(preview.new) == rows, preview.errors[:3]
    started, cpu = time.perf_counter(), time.process_time()
    _preview, saved = return_import(schedule=schedule, filename="bench.csv", content=content, reason="Bench")
    ours_s, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert MonitoringEntry.history.filter(monitoring_return_id=saved.pk).count() == rows
    ours_peak = peak_mb()

    other = MonitoringReturn.objects.create(schedule=schedule, financial_year=2018, period=5)
    ids = list(BudgetLine.objects.filter(schedule=schedule).values_list("pk", flat=True)[:baseline_rows])
    dataset = tablib.Dataset(headers=["monitoring_return", "budget_line", "actual_to_date", "forecast_outturn", "notes"])
    for i, pk in enumerate(ids):
        dataset.append([other.pk, pk, f"{5000 + i}.25", f"{10100 + i}", f"Note {i % 7}"])
    started, cpu = time.perf_counter(), time.process_time()
    outcome = baseline_resource().import_data(dataset, dry_run=False, raise_errors=True)
    base_s, base_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not outcome.has_errors()

    ours_rate, base_rate = rows / ours_s, len(ids) / base_s
    print(f"load average before: {load:.2f}")
    print(f"preview alone               {rows:>8,}  {preview_s:8.2f}  {rows / preview_s:>10,.0f}")
    print(f"our import (history)        {rows:>8,}  {ours_s:8.2f}  {ours_rate:>10,.0f}  (target >= 5,000 rows/s)"
          f"; CPU {ours_cpu:.2f} s = {rows / ours_cpu:,.0f} rows/s")
    print(f"baseline: import-export     {len(ids):>8,}  {base_s:8.2f}  {base_rate:>10,.0f}"
          f"; CPU {base_cpu:.2f} s = {len(ids) / base_cpu:,.0f} rows/s")
    print(f"speed-up over the baseline: {ours_rate / base_rate:.1f} x wall, "
          f"{(rows / ours_cpu) / (len(ids) / base_cpu):.1f} x CPU (target >= 5 x)")
    print(f"peak memory (max RSS): {ours_peak:,.0f} MB (target <= 500 MB)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not pdf:
        return

    report = build_report(saved, report_state(saved))
    assert report
    html = report_html(report)
    render_pdf(html)  # warm-up: WeasyPrint's first document loads fonts and parses the stylesheet once
    ours, alone = [], []
    for _run in range(pdf_runs):
        started = time.perf_counter()
        render_pdf(report_html(build_report(saved, report_state(saved))))  # ours: report, charts, HTML, PDF
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_pdf(html)  # WeasyPrint alone on the same HTML
        alone.append(time.perf_counter() - started)
    ours_pdf, alone_pdf = statistics.median(ours), statistics.median(alone)
    print(f"Finance report PDF ({rows:,} lines), median of {pdf_runs} after a warm-up: {ours_pdf:.2f} s; "
          f"WeasyPrint alone on the same HTML: {alone_pdf:.2f} s")
    print(f"Ratio to WeasyPrint alone: {ours_pdf / alone_pdf:.2f} x (target <= 1.3 x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=None)
    parser.add_argument("--no-pdf", action="store_true", help="Skip the finance report PDF (minutes at 10,000 lines)")
    parser.add_argument("--pdf-runs", type=int, default=5)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_bench_monitoring_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args.rows, args.baseline_rows or args.rows, pdf=not args.no_pdf,
            pdf_runs=args.pdf_runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        teardown_test_environment()


if __name__ == "__main__":
    main()
