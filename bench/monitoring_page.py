"""The monitoring pages at a region's scale: queries and median time of the pages a finance officer opens.

    .venv/bin/python bench/monitoring_page.py [--reuse] [--runs 30] [--warm-ups 3] [--scale 1.0] [--seed 75]

Uses its own bench database (``s75_bench_monitoring``: on PostgreSQL beside DATABASE_URL's, else
test-output/s75_bench_monitoring.sqlite3), filled by ``bench/make_scale_data.py`` (which writes a
monitoring return for every schedule, P1-P6 of the current year), then times through the Django
test client, as ``bench/pages.py`` does: the schedule's monitoring index, the P6 return page, the
schedule's finance report and the agreement's finance report for P6, each for the bench schedule
(``BENCH-S75`` Schedule 1). Prints the load average beside the figures.
Target (issue 15): the monitoring page (the period's return) ≤ 15 queries and median ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "s75_bench_monitoring"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the filled bench database")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warm-ups", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=75)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    from pages import bench_database_url, measure

    os.environ["DATABASE_URL"] = bench_database_url(os.environ.get("DATABASE_URL", ""), args.reuse, BENCH_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from make_scale_data import BENCH_REFERENCE, BENCH_USER, MONITORING_YEAR, fill

    from agreements.models import Agreement, Schedule
    from budgets.monitoring.models import MonitoringEntry, MonitoringReturn

    setup_test_environment()
    call_command("migrate", verbosity=0)
    if not Agreement.objects.filter(reference=BENCH_REFERENCE).exists():
        print(f"Filling the bench database (scale {args.scale}, seed {args.seed}); --reuse skips this next time.")
        fill(scale=args.scale, seed=args.seed)
    schedule = Schedule.objects.get(agreement__reference=BENCH_REFERENCE, number=1)
    p6 = MonitoringReturn.objects.get(schedule=schedule, financial_year=MONITORING_YEAR, period=6)
    print(f"Data: {Schedule.objects.count():,} schedules, {MonitoringReturn.objects.count():,} returns, "
          f"{MonitoringEntry.objects.count():,} entries; the bench schedule's P6 return: {p6.entries.count()} lines")
    client = Client()
    client.force_login(get_user_model().objects.get(username=BENCH_USER))
    period = [BENCH_REFERENCE, 1, MONITORING_YEAR, 6]
    pages = [
        ("monitoring index (the year's periods)", reverse("budgets:monitoring", args=[BENCH_REFERENCE, 1])),
        ("monitoring page: the P6 return", reverse("budgets:return", args=period)),
        ("schedule finance report, P6", reverse("budgets:finance_report", args=period)),
        ("agreement finance report, P6", reverse("budgets:agreement_finance_report",
                                                 args=[BENCH_REFERENCE, MONITORING_YEAR, 6])),
    ]
    load = os.getloadavg()[0]
    rows = [(label, measure(client, url, runs=args.runs, warm_ups=args.warm_ups)) for label, url in pages]
    print(f"\nMonitoring pages at scale {args.scale}, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"{connection.vendor}, load average {load:.1f} before / {os.getloadavg()[0]:.1f} after; "
          f"median/p95 of {args.runs} requests")
    print(f"| {'page':<40} | queries | median ms | p95 ms |")
    for label, timing in rows:
        print(f"| {label:<40} | {timing.queries:>7} | {timing.median_ms:>9.1f} | {timing.p95_ms:>6.1f} |")
    monitoring = rows[1][1]
    print(f"Target: the monitoring page <= 15 queries and median <= 50 ms: "
          f"{'met' if monitoring.queries <= 15 and monitoring.median_ms <= 50 else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
