"""Page speed at a region's scale, each page beside the Django admin's page for the same object.

    .venv/bin/python bench/pages.py [--reuse] [--runs 30] [--warm-ups 3] [--scale 1.0] [--seed 75]

On PostgreSQL (DATABASE_URL postgres://…) it creates its own database ``s75_bench`` on the same
server (dropped and made again unless --reuse), migrates it and fills it with
``bench/make_scale_data.py``; on SQLite it uses test-output/s75_bench.sqlite3. Then, through the
Django test client (settings ``config.settings_test``), for each page: the SQL queries of one
request (every statement counted) and the median and p95 time of --runs requests after --warm-ups,
and the same for the admin page of the same object, in the same run. Prints one table.
``--json PATH`` also writes the rows for ``bench/run_all.py``.

Targets (issue 9): schedule page ≤ 15 queries and median ≤ 50 ms; home and agreement page median
≤ 50 ms; history page (200 entries) median ≤ 200 ms; every page no slower than its admin baseline.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "s75_bench"
PDF_RUNS = 10


@dataclass
class Timing:
    queries: int
    median_ms: float
    p95_ms: float


@dataclass
class Row:
    page: str
    ours: Timing
    admin_page: str
    admin: Timing | None
    target: str
    met: bool
    gap: str = ""


def bench_database_url(url: str, reuse: bool, name: str = BENCH_DB) -> str:
    """The URL of the bench's own database (`name`) beside DATABASE_URL's, created (afresh unless reuse)."""
    BENCH_DB = name  # noqa: N806
    if not url.startswith(("postgres://", "postgresql://")):
        path = ROOT / "test-output" / f"{BENCH_DB}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if not reuse and path.exists():
            path.unlink()
        return f"sqlite:///{path}"
    import psycopg2

    parts = urlparse(url)
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
            exists = cursor.fetchone() is not None
            if exists and not reuse:
                cursor.execute(f'DROP DATABASE "{BENCH_DB}"')
                exists = False
            if not exists:
                cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    finally:
        connection.close()
    return urlunparse(parts._replace(path=f"/{BENCH_DB}"))


def machine_speed_ms() -> float:
    """How long this machine takes for a fixed piece of pure Python (best of five): the same code gives
    page times two or three times apart on machines of the same kind, so a figure taken on another
    day is read beside this one. Lower is faster; 10 million additions."""
    def work() -> float:
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        return (time.perf_counter() - started) * 1000

    return min(work() for _ in range(5))


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class CountQueries:
    """Count the SQL statements run, like CaptureQueriesContext, but surviving the connection being
    closed and opened again between requests (CONN_MAX_AGE=0 closes it at the end of each request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __len__(self) -> int:
        return self.count


def measure(client, url: str, *, runs: int, warm_ups: int) -> Timing:
    from django.db import connection

    for _ in range(warm_ups):
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
    captured = CountQueries()
    with connection.execute_wrapper(captured):
        client.get(url)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
    return Timing(len(captured), statistics.median(timings), percentile(timings, 0.95))


def import_file(schedule, rows: int = 1000) -> bytes:
    """A budget-lines .csv of `rows` lines for the schedule: its own lines (a tenth changed), then new ones."""
    from agreements.budget_values import financial_year_label
    from agreements.models import BudgetLine
    from partnerships.models import Partner

    existing = list(BudgetLine.objects.filter(schedule=schedule).select_related("partner"))
    partners = list(Partner.objects.filter(parties__agreement=schedule.agreement_id).order_by("name"))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Financial year", "Service", "Partner", "Budget type", "Amount (£)", "Status",
                     "Ring-fenced public health", "Notes"])
    written = 0
    for index, line in enumerate(existing[:rows]):
        amount = line.amount
        if amount is not None and index % 10 == 0:
            amount += 1
        writer.writerow([financial_year_label(line.financial_year), line.service, line.partner.name,
                         line.get_budget_type_display(), "" if amount is None else f"{amount:.2f}",
                         line.get_status_display(), "Yes" if line.ring_fenced_public_health else "No", line.notes])
        written += 1
    service = 0
    while written < rows:
        service += 1
        for year in (2023, 2024, 2025, 2026):
            for partner in partners:
                for kind in ("Pooled", "Aligned"):
                    if written < rows:
                        writer.writerow([financial_year_label(year), f"Imported service {service:04d}", partner.name,
                                         kind, f"{1000 + written * 7}.00", "Confirmed", "No", ""])
                        written += 1
    return buffer.getvalue().encode()


def run(args) -> list[Row]:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from agreements.models import Agreement, Schedule
    from documents.models import Revision

    sys.path.insert(0, str(ROOT / "bench"))
    from make_scale_data import ADMIN_USER, BENCH_REFERENCE, BENCH_USER, fill

    if not Agreement.objects.filter(reference=BENCH_REFERENCE).exists():
        print(f"Filling the bench database (scale {args.scale}, seed {args.seed}); --reuse skips this next time.")
        fill(scale=args.scale, seed=args.seed)
    else:
        print("Reusing the filled bench database.")
    User = get_user_model()
    agreement = Agreement.objects.get(reference=BENCH_REFERENCE)
    schedule = Schedule.objects.get(agreement=agreement, number=1)
    history_schedule = Schedule.objects.get(agreement=agreement, number=2)
    print(f"Data: {Agreement.objects.count():,} agreements, {Schedule.objects.count():,} schedules, "
          f"{schedule.budget_lines.model.objects.count():,} budget lines, {Revision.objects.count():,} history entries; "
          f"schedule page: {schedule.budget_lines.count()} lines, {schedule.outcomes.count()} outcomes; history page: "
          f"{Revision.objects.filter(object_id=history_schedule.pk, content_type__model='schedule').count()} entries")

    ours = Client()
    ours.force_login(User.objects.get(username=BENCH_USER))
    admin = Client()
    admin.force_login(User.objects.get(username=ADMIN_USER))
    runs, warm_ups = args.runs, args.warm_ups

    # The import preview: upload once, then time the preview page (it builds the preview each time).
    upload = SimpleUploadedFile("bench-1000.csv", import_file(schedule), content_type="text/csv")
    response = ours.post(reverse("budgets:import", args=[agreement.reference, 1]),
                         {"file": upload, "financial_year": "", "budget_type": "", "reason": "Bench"})
    assert response.status_code == 302, f"upload answered {response.status_code}"
    preview_url = response["Location"]

    change = "/admin/agreements/{}/{}/change/"
    pages = [
        ("home page", reverse("home"), "admin agreement list", "/admin/agreements/agreement/", runs, "median ≤ 50 ms",
         lambda t: t.median_ms <= 50),
        ("agreement page", reverse("agreement", args=[agreement.reference]), "admin agreement change",
         change.format("agreement", agreement.pk), runs, "median ≤ 50 ms", lambda t: t.median_ms <= 50),
        ("schedule page (100 lines, 30 outcomes)", reverse("schedule", args=[agreement.reference, 1]),
         "admin schedule change", change.format("schedule", schedule.pk), runs, "≤ 15 queries, median ≤ 50 ms",
         lambda t: t.queries <= 15 and t.median_ms <= 50),
        ("history page (200 entries)", reverse("schedule_history", args=[agreement.reference, 2]),
         "admin schedule history", f"/admin/agreements/schedule/{history_schedule.pk}/history/", runs,
         "median ≤ 200 ms", lambda t: t.median_ms <= 200),
        ("import preview (1,000 lines)", preview_url, "admin schedule change", change.format("schedule", schedule.pk),
         runs, "no slower than admin", lambda t: True),
        ("schedule PDF (100 lines)", reverse("pdf:schedule", args=[agreement.reference, 1]), "admin schedule change",
         change.format("schedule", schedule.pk), PDF_RUNS, "no slower than admin", lambda t: True),
    ]
    rows = []
    admin_cache: dict[str, Timing] = {}
    for label, url, admin_label, admin_url, page_runs, target, check in pages:
        timing = measure(ours, url, runs=page_runs, warm_ups=min(warm_ups, 1) if page_runs == PDF_RUNS else warm_ups)
        if admin_url not in admin_cache:
            admin_cache[admin_url] = measure(admin, admin_url, runs=runs, warm_ups=warm_ups)
        baseline = admin_cache[admin_url]
        own = check(timing)
        not_slower = timing.median_ms <= baseline.median_ms
        gaps = []
        if not own:
            gaps.append("target missed")
        if not not_slower:
            gaps.append(f"{timing.median_ms / baseline.median_ms:.1f}× the admin")
        rows.append(Row(label, timing, admin_label, baseline, f"{target}; ≤ admin", own and not_slower,
                        ", ".join(gaps)))
        print(f"  measured {label}: {timing.queries} queries, median {timing.median_ms:.1f} ms")
    return rows


def format_table(rows: list[Row], extra: list[tuple[str, str, str, str]] | None = None) -> str:
    header = ["page", "queries", "median ms", "p95 ms", "admin baseline", "admin q", "admin median",
              "admin p95", "target", "met?"]
    table = [header]
    for row in rows:
        base = row.admin
        table.append([
            row.page, str(row.ours.queries), f"{row.ours.median_ms:.1f}", f"{row.ours.p95_ms:.1f}", row.admin_page,
            str(base.queries) if base else "—", f"{base.median_ms:.1f}" if base else "—",
            f"{base.p95_ms:.1f}" if base else "—", row.target, "yes" if row.met else f"NO ({row.gap})",
        ])
    for label, figure, target, met in extra or []:
        table.append([label, "", figure, "", "", "", "", "", target, met])
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    numeric = {1, 2, 3, 5, 6, 7}
    lines = []
    for n, line in enumerate(table):
        cells = [cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(line)]
        lines.append(" | ".join(cells).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the filled bench database")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warm-ups", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=75)
    parser.add_argument("--json", help="also write the rows to this file (for bench/run_all.py)")
    args = parser.parse_args(argv)

    url = bench_database_url(os.environ.get("DATABASE_URL", ""), args.reuse)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's request/response wiring; the database stays s75_bench
    call_command("migrate", verbosity=0)
    rows = run(args)
    print()
    print(f"Pages at regional scale, {time.strftime('%Y-%m-%d %H:%M')}, {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores, {connection.vendor} "
          f"{connection.pg_version if connection.vendor == 'postgresql' else connection.Database.sqlite_version}, "
          f"load average {os.getloadavg()[0]:.1f}; median/p95 of {args.runs} requests ({PDF_RUNS} for the PDF)")
    print(format_table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(row) for row in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
