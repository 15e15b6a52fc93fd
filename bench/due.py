"""The "What's due" page and `send_reminders` at a region's scale, each beside a baseline in the same run.

    .venv/bin/python bench/due.py [--reuse] [--runs 30] [--warm-ups 3] [--scale 1.0] [--seed 75]

Its own database ``s75_bench_due`` (so it never disturbs ``bench/pages.py``'s), filled by
``bench/make_scale_data.py`` and then given what is due: every agreement a notice period, 10 boards
managing the bench user's agreements (each with terms of reference due for review and a meeting
schedule with a moved and a cancelled meeting), 30 more boards elsewhere, ring-fenced public
health lines this year, and an email address for every user; then (`add_budget_due_data`) the
monitoring returns made so far in 2025/26 and 2026/27 by every schedule in force (one in five
missing its latest), review dates on a third of the bench user's schedules, open action plans on
one in eight of them, and an open variation on one in five of the bench user's agreements (half
already agreed by the bench user's partner).

Figures: the page for ``bench-commissioner`` (party to ~50 agreements, 10 boards): queries and
median/p95 of --runs requests, beside the home page (the baseline, the same user's agreements).
`send_reminders` for every user (152 at scale 1), email sent to Django's in-memory backend: its
time and queries, beside the same for 10 users (the queries must not grow) and beside the naive
way (each user's items read separately), as the baseline.

Targets (issue 17): page ≤ 15 queries and median ≤ 50 ms; send_reminders ≤ 10 s, queries not growing per user.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
DUE_DB = "s75_bench_due"
TODAY = date(2026, 12, 7)  # a Monday, so the digests go out too


def add_due_data() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from make_scale_data import BENCH_USER

    from agreements.models import Agreement, BudgetLine
    from governance.models import Board, MeetingChange, MeetingSchedule, TermsOfReference
    from partnerships.access import user_partner

    User = get_user_model()
    bench = User.objects.get(username=BENCH_USER)
    mine = list(Agreement.objects.filter(parties__partner=user_partner(bench)).order_by("pk"))
    others = list(Agreement.objects.exclude(pk__in=[a.pk for a in mine]).order_by("pk")[:300])
    with transaction.atomic():
        Agreement.objects.update(notice_period_months=6)
        for user in User.objects.filter(email=""):
            user.email = f"{user.username}@bench.example"
            user.save(update_fields=["email"])
        for n in range(40):
            managed = mine[n * 5:(n + 1) * 5] if n < 10 else others[(n - 10) * 10:(n - 9) * 10]
            board = Board.objects.create(name=f"Bench board {n + 1}", short_name=f"BB{n + 1}")
            board.agreements.set(managed)
            TermsOfReference.objects.create(board=board, title=f"Terms of bench board {n + 1}", purpose="Bench",
                                            meeting_frequency="Every other month",
                                            review_due=TODAY + timedelta(days=n * 9 - 60))
            schedule = MeetingSchedule.objects.create(board=board, first_meeting=date(2025, 1 + n % 12, 10),
                                                      every_months=1 + n % 3)
            MeetingChange.objects.create(schedule=schedule, scheduled_for=date(2027, 1 + n % 12, 10),
                                         moved_to=date(2027, 1 + n % 12, 17))
        # ring-fenced public health lines this year on the first schedule of a third of the agreements
        BudgetLine.objects.filter(financial_year=2026, schedule__number=1, schedule__agreement__pk__in=[
            a.pk for a in (mine + others)[::3]]).update(ring_fenced_public_health=True)


def add_budget_due_data() -> None:
    """Returns made, schedule review dates, open action plans and open variations (bulk, a few seconds)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from make_scale_data import BENCH_USER

    from agreements.models import Agreement, BudgetLine, PartyDecision, Schedule, Variation
    from budgets.monitoring.due import return_due
    from budgets.monitoring.models import ActionPlan, MonitoringReturn
    from documents.models import Decision
    from partnerships.access import user_partner

    partner = user_partner(get_user_model().objects.get(username=BENCH_USER))
    mine = list(Agreement.objects.filter(parties__partner=partner).order_by("pk"))
    in_force = set(Schedule.objects.filter(status="in_force").values_list("pk", flat=True))
    years = set(BudgetLine.objects.filter(financial_year__in=[2025, 2026], schedule_id__in=in_force)
                .values_list("schedule_id", "financial_year").distinct())
    made = [MonitoringReturn(schedule_id=schedule_id, financial_year=year, period=period)
            for schedule_id, year in sorted(years) for period in range(1, 13)
            if return_due(year, period) < TODAY and not (schedule_id % 5 == 0 and (year, period) == (2026, 7))]
    with transaction.atomic():
        MonitoringReturn.objects.bulk_create(made, batch_size=2000, ignore_conflicts=True)  # the fill made 2026/27 P1-P6
        my_schedules = list(Schedule.objects.filter(agreement__in=mine).order_by("pk"))
        for n, schedule in enumerate(my_schedules[::3]):
            Schedule.objects.filter(pk=schedule.pk).update(review_due=TODAY + timedelta(days=n * 7 - 90))
        plans = []
        for n, schedule in enumerate(my_schedules[::8]):
            line = BudgetLine.objects.filter(schedule=schedule).order_by("pk").first()
            if line is not None:
                plans.append(ActionPlan(schedule=schedule, budget_line=line, owner="Head of Finance", actions="Bench",
                                        target_saving="1000.00", due=TODAY + timedelta(days=n * 11 - 40),
                                        opened_in="2026/27 P6"))
        ActionPlan.objects.bulk_create(plans)
        for n, agreement in enumerate(mine[::5]):
            variation = Variation.objects.create(agreement=agreement, number=900 + n, title=f"Bench variation {n}",
                                                 summary="Bench", effective_date=TODAY + timedelta(days=n * 13 - 20))
            if n % 2:
                PartyDecision.objects.create(variation=variation, partner=partner, outcome="agreed", variation_edit_count=0,
                                             decision=Decision.objects.create(body="Cabinet", decided_on=TODAY))
    print(f"  added {len(made):,} returns made, {len(plans)} action plans, {len(mine[::5])} open variations")


def page_timing(client, url: str, runs: int, warm_ups: int) -> tuple[int, float, float]:
    from django.db import connection
    from pages import CountQueries, percentile

    for _ in range(warm_ups):
        assert client.get(url).status_code == 200
    counted = CountQueries()
    with connection.execute_wrapper(counted):
        client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    return len(counted), statistics.median(times), percentile(times, 0.95)


def reminders_timing(users_filter) -> tuple[float, int, int, int]:
    """(seconds, queries, users, emails) of one send_reminders run, nothing recorded (rolled back)."""
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.db import connection, transaction
    from pages import CountQueries

    from partnerships import reminders

    original = get_user_model().objects
    counted = CountQueries()
    mail.outbox = []

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic(), connection.execute_wrapper(counted):
            get_user_model().objects.filter(is_active=True).exclude(pk__in=users_filter(original)).update(is_active=False)
            counted.count = 0
            started = time.perf_counter()
            summary = reminders.send_reminders(today=TODAY)
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return seconds, counted.count, summary.users, len(mail.outbox)


def naive_timing() -> tuple[float, int]:
    """The baseline: each user's items read on their own, as the page reads them."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from pages import CountQueries

    from partnerships.due import items_for

    counted = CountQueries()
    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        users = list(get_user_model().objects.filter(is_active=True, profile__isnull=False).select_related("profile"))
        for user in users:
            items_for(user, today=TODAY, until=TODAY + timedelta(days=60))
        return time.perf_counter() - started, counted.count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the filled database")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warm-ups", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=75)
    args = parser.parse_args(argv)

    from pages import bench_database_url

    os.environ["DATABASE_URL"] = bench_database_url(os.environ.get("DATABASE_URL", ""), args.reuse, DUE_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # also: email to the in-memory outbox
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    from make_scale_data import BENCH_USER, fill

    from governance.models import Board

    if not Board.objects.filter(name="Bench board 1").exists():
        print(f"Filling {DUE_DB} (scale {args.scale}, seed {args.seed}); --reuse skips this next time.")
        fill(scale=args.scale, seed=args.seed)
        add_due_data()
    from agreements.models import Variation

    if not Variation.objects.filter(number__gte=900).exists():  # the fill's returns are not these: they stop at 2026/27 P6
        add_budget_due_data()
    import partnerships.due_views as due_views

    due_views.timezone.localdate = lambda: TODAY  # the same "today" for the page as for the reminders
    client = Client()
    client.force_login(get_user_model().objects.get(username=BENCH_USER))
    due = page_timing(client, "/due/", args.runs, args.warm_ups)
    home = page_timing(client, "/", args.runs, args.warm_ups)
    items = client.get("/due/").content.decode().count('class="govuk-table__row"') - 3
    all_s, all_q, all_users, all_mail = reminders_timing(lambda users: users.values("pk"))
    few_s, few_q, few_users, few_mail = reminders_timing(lambda users: users.order_by("pk").values("pk")[:10])
    naive_s, naive_q = naive_timing()
    print(f"What's due at regional scale, {time.strftime('%Y-%m-%d %H:%M')}, {platform.python_version()}, "
          f"{os.cpu_count()} cores, {connection.vendor}, load average {os.getloadavg()[0]:.1f}; median/p95 of {args.runs}")
    print(f"What's due page (bench user, ~{items} items): {due[0]} queries, median {due[1]:.1f} ms, p95 {due[2]:.1f} ms "
          f"(target <= 15 queries, median <= 50 ms) {'ok' if due[0] <= 15 and due[1] <= 50 else 'OVER'}")
    print(f"Home page (baseline, same user): {home[0]} queries, median {home[1]:.1f} ms, p95 {home[2]:.1f} ms")
    print(f"send_reminders, {all_users} users, {all_mail} emails: {all_s:.2f} s, {all_q} queries "
          f"(target <= 10 s) {'ok' if all_s <= 10 else 'OVER'}")
    print(f"send_reminders, {few_users} users, {few_mail} emails: {few_s:.2f} s, {few_q} queries "
          f"(queries must not grow per user) {'ok' if few_q == all_q else 'OVER'}")
    print(f"Baseline, each user's items read separately ({all_users} users): {naive_s:.2f} s, {naive_q} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
