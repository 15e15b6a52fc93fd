"""PDF benchmark: Schedule 6 from the database against WeasyPrint alone, and the whole agreement pack.

Run from the project folder: `.venv/bin/python bench/pdf.py` (or `make bench`). It creates a
throwaway database (a test database next to the one DATABASE_URL names), loads the demo data,
times the renders (each made afresh: the PDF cache is off) and destroys the database at the end;
then the same schedule printed again with the cache on, as a second reader gets it. Targets: Schedule 6 <= 0.3 s warm and
<= 1.3 x the floor (WeasyPrint alone on the same HTML string); the whole pack <= 2 s.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

settings.PDF_CACHE_SECONDS = 0  # every render made afresh; the cached figure is measured on its own below

WARM_UPS = 2
RUNS = 10
PACK_RUNS = 3


def median_seconds(function, runs: int, warm_ups: int) -> float:
    for _ in range(warm_ups):
        function()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> int:
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from agreements.models import Agreement, Schedule
        from agreements.pdf import agreement_pack_pdf, schedule_document, schedule_pdf
        from documents.pdf import render_pdf
        from governance.demo import load_demo_data

        load_demo_data()
        reference = "HARINGEY-S75-2017"

        def schedule_from_database() -> bytes:
            schedule = Schedule.objects.select_related("agreement").get(agreement__reference=reference, number=6)
            return schedule_pdf(schedule).content

        html = schedule_document(
            Schedule.objects.get(agreement__reference=reference, number=6)
        )[0]

        def floor() -> bytes:
            return render_pdf(html)

        def pack() -> bytes:
            return agreement_pack_pdf(Agreement.objects.get(reference=reference)).content

        schedule_time = median_seconds(schedule_from_database, RUNS, WARM_UPS)
        floor_time = median_seconds(floor, RUNS, WARM_UPS)
        pack_time = median_seconds(pack, PACK_RUNS, 1)
        ratio = schedule_time / floor_time
        settings.PDF_CACHE_SECONDS = 3600
        cached_time = median_seconds(schedule_from_database, RUNS, 1)  # the same schedule, printed again

        print(f"PDF benchmark, {date.today().isoformat()}, {platform.python_implementation()} "
              f"{platform.python_version()}, {os.cpu_count()} cores, database {connection.vendor}")
        print(f"Schedule 6 from the database (median of {RUNS}, {WARM_UPS} warm-ups): {schedule_time:.3f} s "
              f"(target <= 0.300 s) {'ok' if schedule_time <= 0.3 else 'OVER'}")
        print(f"WeasyPrint alone on the same HTML (the floor, median of {RUNS}): {floor_time:.3f} s")
        print(f"Ratio to the floor: {ratio:.2f} x (target <= 1.30 x) {'ok' if ratio <= 1.3 else 'OVER'}")
        print(f"Schedule 6 again, its file from the cache (median of {RUNS}): {cached_time:.3f} s, "
              f"{schedule_time / cached_time:.0f} x faster than made afresh")
        print(f"Agreement pack {reference} (median of {PACK_RUNS}): {pack_time:.3f} s "
              f"(target <= 2.000 s) {'ok' if pack_time <= 2 else 'OVER'}")
        return 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
