"""REST API speed (issue 18): listing 1,000 budget lines, and writing 10,000 in one request.

    .venv/bin/python bench/api.py [--agreements 20] [--runs 20]

Builds a throwaway test database (never the dev database): one council and one CCG, --agreements
agreements of one schedule each, every schedule given 1,000 budget lines through the API's own
service (so the list is scoped over --agreements × 1,000 lines), and one token. Then, in one run,
each request through the whole Django stack in-process (middleware, token check, DRF, JSON):

- GET /api/v1/budget-lines/?schedule=…&page_size=1000 (median and p95 of --runs, after 2 warm-ups),
  its query count, and beside it the floor: the same 1,000 lines read with the ORM as `values()`
  and dumped to JSON, no HTTP and no scoping;
- POST /api/v1/schedules/{id}/budget-lines/ with 10,000 new lines (create, with a historical row
  per line and one revision with the schedule's snapshot), then the same body with 10 % of the
  amounts changed; and beside them simple-history's `bulk_create_with_history` of the same 10,000
  lines as model instances (history rows, but no checks, no revision and no snapshot).

Wall-clock with this process's CPU seconds, and the load average: the machine is shared.
Targets: list ≤ 100 ms median and ≤ 10 queries; bulk create ≥ 5,000 rows/s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402


def lines(count: int, council, ccg, *, year: int = 2023, bump: int = 0) -> list[dict]:
    return [{"service": f"Service {i // 2:05d}", "partner": (council if i % 2 else ccg).pk, "financial_year": year,
             "budget_type": "pooled" if i % 4 < 2 else "aligned",
             "amount": f"{1000 + i + (bump if i % 10 == 0 else 0)}.50", "ring_fenced_public_health": i % 7 == 0,
             "notes": ""} for i in range(count)]


def timed(fn):
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - started, time.process_time() - cpu, load


def run(agreements: int, runs: int) -> None:
    from rest_framework.test import APIClient
    from simple_history.utils import bulk_create_with_history

    from agreements.models import BudgetLine
    from budgets.importing import budget_lines_write
    from partnerships.tokens import api_token_create
    from tests.factories import make_agreement, make_ccg, make_council, make_schedule, make_user

    council, ccg = make_council(), make_ccg()
    user = make_user(partner=council, role="finance officer")
    schedules = []
    for number in range(agreements):
        schedule = make_schedule(agreement=make_agreement(partners=[council, ccg], reference=f"BENCH-{number}"))
        budget_lines_write(schedule=schedule, records=lines(1000, council, ccg), user=user, reason="Bench",
                           expected_edit_count=None)
        schedules.append(schedule)
    _token, key = api_token_create(user=user, name="bench")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    print(f"data: {agreements} agreements × 1,000 lines = {BudgetLine.objects.count():,} lines in scope")

    # ---- list 1,000 lines
    url = f"/api/v1/budget-lines/?schedule={schedules[0].pk}&page_size=1000"
    for _ in range(2):
        assert len(client.get(url).json()["results"]) == 1000
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)
    floor = []
    for _ in range(runs):
        started = time.perf_counter()
        json.dumps(list(BudgetLine.objects.filter(schedule=schedules[0]).values()), default=str)
        floor.append(time.perf_counter() - started)
    median, p95 = statistics.median(times) * 1000, sorted(times)[int(0.95 * (runs - 1))] * 1000
    floor_ms = statistics.median(floor) * 1000
    print(f"List 1,000 budget lines through the API: {median:.1f} ms median, p95 {p95:.1f} ms, {queries} queries "
          f"(target <= 100 ms, <= 10 queries)")
    print(f"Floor, ORM values() of the same 1,000 lines dumped to JSON: {floor_ms:.1f} ms median "
          f"({median / floor_ms:.1f} x)")

    # ---- bulk write 10,000 lines
    target = make_schedule(agreement=make_agreement(partners=[council, ccg], reference="BENCH-BULK"))
    body = {"reason": "Bench bulk", "lines": lines(10_000, council, ccg, year=2024)}

    def post(payload):
        etag = client.get(f"/api/v1/schedules/{target.pk}/budget-lines/?page_size=1")["ETag"]
        response = client.post(f"/api/v1/schedules/{target.pk}/budget-lines/", data=json.dumps(payload),
                               content_type="application/json", HTTP_IF_MATCH=etag)
        assert response.status_code == 200, response.content[:500]
        return response.json()

    history_before = BudgetLine.history.count()
    result, create_s, create_cpu, create_load = timed(lambda: post(body))
    assert result["created"] == 10_000 and BudgetLine.history.count() - history_before == 10_000
    changed_body = {"reason": "Bench bulk again", "lines": lines(10_000, council, ccg, year=2024, bump=7)}
    result, again_s, again_cpu, again_load = timed(lambda: post(changed_body))
    assert result["changed"] == 1_000, result

    baseline_schedule = make_schedule(agreement=make_agreement(partners=[council, ccg], reference="BENCH-BASE"))

    def baseline():
        objs = [BudgetLine(schedule=baseline_schedule, position=i, service=line["service"],
                           partner_id=line["partner"], financial_year=line["financial_year"],
                           budget_type=line["budget_type"], amount=Decimal(line["amount"]), status="confirmed",
                           ring_fenced_public_health=line["ring_fenced_public_health"], notes="")
                for i, line in enumerate(body["lines"])]
        return bulk_create_with_history(objs, BudgetLine, batch_size=1000)

    _r, base_s, base_cpu, base_load = timed(baseline)
    rate = 10_000 / create_s
    print(f"{'step (10,000 lines)':<70}{'s':>8}{'rows/s':>10}{'rows/CPU s':>12}{'load':>6}")
    for label, seconds, cpu, load in (
        ("our API bulk write, create (checks, history, one revision)", create_s, create_cpu, create_load),
        ("our API bulk write, 1,000 amounts changed", again_s, again_cpu, again_load),
        ("baseline: simple-history bulk_create_with_history (no checks, no revision)", base_s, base_cpu, base_load),
    ):
        print(f"{label:<70}{seconds:>8.2f}{10_000 / seconds:>10,.0f}{10_000 / cpu:>12,.0f}{load:>6.1f}")
    print(f"targets: list median <= 100 ms: {'met' if median <= 100 else 'not met'}; "
          f"list <= 10 queries: {'met' if queries <= 10 else 'not met'}; "
          f"bulk create >= 5,000 rows/s: {'met' if rate >= 5000 else 'not met'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agreements", type=int, default=20)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args.agreements, args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        teardown_test_environment()


if __name__ == "__main__":
    main()
