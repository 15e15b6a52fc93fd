"""Load held: signed-in users walking the real journeys against gunicorn on PostgreSQL (issue 19).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py \
        [--scale 1.0] [--reuse] [--users 50 200] [--nodes 1 2] [--duration 60] \
        [--workers N] [--worker-class sync|gthread] [--threads N] [--ceiling-duration 20] [--ceiling-users 16]
        [--compare sync:3 sync:5 gthread:2:4 …]

It fills its own database ``s75_load`` beside DATABASE_URL's with bench/make_scale_data.py
(``--reuse`` keeps it), signs in one session per simulated user (the bench commissioner, who sees
the regional scale's agreements), and gives each session a budget import waiting for its preview.
Then, for each node count and user count, it starts that many gunicorn nodes on loopback ports
(config.settings_loopback: production settings, static files from the finders), and runs Locust
headless (bench/locustfile.py) with a person's think time of 1–3 s between actions: requests/s,
median, p95 and p99 per page, and errors. Then the ceiling: each page alone, no think time, on one
node: requests/s at saturation beside what the in-process bench implies (cores ÷ its median, the
median measured here, in the same run, with Django's test client on the same database).

Loopback only; every run is bounded by --duration. Prints the tables for docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LOAD_DB = "s75_load"
PAGES = ("home", "agreement", "schedule", "history", "budget preview", "schedule PDF")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(args) -> tuple[dict[str, str], dict[str, float], Path]:
    """Fill the database (unless reused), sign in the sessions; the pages' URLs and in-process medians."""
    import logging

    import django

    django.setup()
    logging.getLogger("django_structlog").setLevel(logging.WARNING)  # no request lines from the in-process runs
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from agreements.models import Agreement, Schedule
    from budgets.pending import pending_upload_save
    from budgets.views import SESSION_KEY as IMPORTS_KEY

    sys.path.insert(0, str(ROOT / "bench"))
    from make_scale_data import BENCH_REFERENCE, BENCH_USER, fill
    from pages import import_file, measure

    call_command("migrate", verbosity=0)
    if not Agreement.objects.filter(reference=BENCH_REFERENCE).exists():
        print(f"Filling {args.database} (scale {args.scale}); --reuse skips this next time.", flush=True)
        fill(scale=args.scale, seed=75)
    agreement = Agreement.objects.get(reference=BENCH_REFERENCE)
    schedule = Schedule.objects.get(agreement=agreement, number=1)
    user = get_user_model().objects.get(username=BENCH_USER)

    content = import_file(schedule, rows=200)
    token, path = pending_upload_save(filename="load-200.csv", content=content)
    pending = {token: {"schedule_id": schedule.pk, "filename": "load-200.csv", "path": path, "financial_year": None,
                       "budget_type": "", "reason": "Load", "fingerprint": ""}}
    sessions = []
    for _ in range(max(args.users)):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[IMPORTS_KEY] = pending
        store.create()
        sessions.append(store.session_key)
    session_file = Path(tempfile.mkdtemp(prefix="s75-load-")) / "sessions.txt"
    session_file.write_text("\n".join(sessions))

    pages = {
        "home": reverse("home"),
        "agreement": reverse("agreement", args=[agreement.reference]),
        "schedule": reverse("schedule", args=[agreement.reference, 1]),
        "history": reverse("schedule_history", args=[agreement.reference, 2]),
        "budget preview": reverse("budgets:import_preview", args=[agreement.reference, 1, token]),
        "schedule PDF": reverse("pdf:schedule", args=[agreement.reference, 1]),
    }
    setup_test_environment()
    client = Client()
    client.cookies["sessionid"] = sessions[0]
    medians = {}
    for name, url in pages.items():
        runs = 5 if name == "schedule PDF" else 20
        medians[name] = measure(client, url, runs=runs, warm_ups=2).median_ms
        print(f"  in process: {name} median {medians[name]:.1f} ms", flush=True)
    return pages, medians, session_file


def warm_up(nodes, pages: dict[str, str], session: str, rounds: int) -> None:
    """Each page a few times on each node, so every worker has imported and connected before timing."""
    import urllib.request

    for url, _process in nodes:
        for _ in range(rounds):
            for path in pages.values():
                request = urllib.request.Request(f"{url}{path}", headers={"Cookie": f"sessionid={session}"})
                with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
                    response.read()


def start_nodes(count: int, args, env: dict[str, str]) -> list[tuple[str, subprocess.Popen]]:
    nodes = []
    for index in range(count):
        port = free_port()
        command = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "config" / "gunicorn_conf.py"), "config.wsgi:application",
                   "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--chdir", str(ROOT), *worker_flags(args)]
        log = open(Path(tempfile.gettempdir()) / f"s75-load-node-{index}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        nodes.append((f"http://127.0.0.1:{port}", process))
    import urllib.request

    for url, process in nodes:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"node {url} exited (see {tempfile.gettempdir()}/s75-load-node-*.log)"
            try:
                if urllib.request.urlopen(f"{url}/readyz", timeout=5).status == 200:  # noqa: S310 (loopback)
                    break
            except OSError:
                assert time.monotonic() < deadline, f"node {url} never became ready"
                time.sleep(0.25)
    return nodes


def worker_flags(args) -> list[str]:
    """gunicorn's flags for the workers asked for; none asked, config/gunicorn_conf.py's production defaults."""
    flags = []
    for flag, value in (("--worker-class", args.worker_class), ("--workers", args.workers), ("--threads", args.threads)):
        if value is not None:
            flags += [flag, str(value)]
    return flags


def workers_text(args) -> str:
    defaults = runpy.run_path(str(ROOT / "config" / "gunicorn_conf.py"))  # the production defaults
    klass = args.worker_class or defaults["worker_class"]
    return f"{args.workers or defaults['workers']} × {klass}" + (
        f" × {args.threads or defaults['threads']} threads" if klass == "gthread" else "")


def compare_workers(args, env, pages, session_file) -> None:
    """The journey mix with no think time on one node, for each worker set-up: which serves most, and how fast."""
    print(f"\nWorker class and count: the journey mix, no think time, {args.ceiling_users} users, one node, "
          f"{args.ceiling_duration} s each")
    print("| workers | req/s | median ms | p95 ms | p99 ms | errors | schedule p95 ms | schedule PDF median ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for spec in args.compare:
        klass, workers, threads = (spec.split(":") + ["1"])[:3]
        setup = argparse.Namespace(worker_class=klass, workers=int(workers), threads=int(threads))
        nodes = start_nodes(1, setup, env)
        try:
            warm_up(nodes, pages, session_file.read_text().split()[0], rounds=setup.workers * setup.threads)
            rows = run_locust(hosts=[u for u, _ in nodes], users=args.ceiling_users, duration=args.ceiling_duration,
                              think="0", only="", env=env, pages=pages, session_file=session_file)
        finally:
            stop_nodes(nodes)
        r, schedule, pdf = rows["Aggregated"], rows.get("schedule", {}), rows.get("schedule PDF", {})
        print(f"| {workers_text(setup)} | {r['rps']:.1f} | {r['median']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | "
              f"{r['failures']} | {schedule.get('p95', 0):.0f} | {pdf.get('median', 0):.0f} |", flush=True)


def stop_nodes(nodes) -> None:
    for _url, process in nodes:
        os.killpg(process.pid, signal.SIGTERM)
    for _url, process in nodes:
        process.wait(timeout=60)


def run_locust(*, hosts: list[str], users: int, duration: int, think: str, only: str, env: dict[str, str],
               pages: dict[str, str], session_file: Path) -> dict[str, dict[str, float]]:
    prefix = Path(tempfile.mkdtemp(prefix="s75-locust-")) / "run"
    spawn_rate = max(1, users // 10)
    command = [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{duration}s",
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]
    locust_env = {**env, "LOAD_HOSTS": ",".join(hosts), "LOAD_SESSIONS": str(session_file), "LOAD_THINK": think,
                  "LOAD_ONLY": only, "LOAD_PAGES": json.dumps(pages)}
    subprocess.run(command, env=locust_env, cwd=ROOT, check=False, capture_output=True, timeout=duration + 120)
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]), "median": float(row["50%"] or 0), "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--database", default=LOAD_DB,
                        help=f"the bench database's name (default {LOAD_DB}); with --reuse, e.g. one bench/due.py filled")
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--workers", type=int, help="gunicorn workers per node (default: config/gunicorn_conf.py's)")
    parser.add_argument("--worker-class", help="sync or gthread (default: config/gunicorn_conf.py's)")
    parser.add_argument("--threads", type=int, help="threads per gthread worker (default: config/gunicorn_conf.py's)")
    parser.add_argument("--compare", nargs="+", metavar="CLASS:WORKERS[:THREADS]",
                        help="only compare these worker set-ups (e.g. sync:3 gthread:2:4) on the journey mix, then stop")
    parser.add_argument("--ceiling-duration", type=int, default=20)
    parser.add_argument("--ceiling-users", type=int, default=16)
    args = parser.parse_args(argv)

    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        parser.error("bench/load.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from pages import bench_database_url, machine_speed_ms

    url = bench_database_url(database, args.reuse, name=args.database)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings_loopback",
                       "DEBUG": "false", "SECURE_COOKIES": "false", "SECURE_SSL_REDIRECT": "false",
                       "SECURE_HSTS_SECONDS": "0", "SECRET_KEY": os.environ.get("SECRET_KEY") or "load-bench-key",
                       "ALLOWED_HOSTS": "127.0.0.1,testserver", "LOG_LEVEL": "WARNING",
                       "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                       "CACHE_KEY_PREFIX": "s75-load"})
    pages, medians, session_file = prepare(args)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.strftime("%Y-%m-%d %H:%M")
    if args.compare:
        compare_workers(args, env, pages, session_file)
        return 0

    print(f"\nMachine speed: {machine_speed_ms():.0f} ms for 10 million Python additions (lower is faster)")
    print(f"\nLoad held, {started}, {os.cpu_count()} cores, gunicorn {workers_text(args)} per node, "
          f"think time 1–3 s, {args.duration} s per run")
    print("| nodes | users | page | requests | errors | req/s | median ms | p95 ms | p99 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for node_count in args.nodes:
        for users in args.users:
            nodes = start_nodes(node_count, args, env)
            try:
                warm_up(nodes, pages, session_file.read_text().split()[0], rounds=4)
                load_before = os.getloadavg()[0]
                rows = run_locust(hosts=[u for u, _ in nodes], users=users, duration=args.duration, think="1,3",
                                  only="", env=env, pages=pages, session_file=session_file)
            finally:
                stop_nodes(nodes)
            for name in (*PAGES, "Aggregated"):
                if name in rows:
                    r = rows[name]
                    print(f"| {node_count} | {users} | {name} | {r['requests']:,} | {r['failures']} | {r['rps']:.1f} | "
                          f"{r['median']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} |", flush=True)
            print(f"|  |  | (load average before the run {load_before:.1f}) |  |  |  |  |  |  |", flush=True)

    print(f"\nCeiling: each page alone, no think time, {args.ceiling_users} users, one node, "
          f"{args.ceiling_duration} s; implied = {os.cpu_count()} cores ÷ the in-process median")
    print("| page | req/s | median ms | errors | in-process median ms | implied req/s | share |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in PAGES:
        nodes = start_nodes(1, args, env)
        try:
            warm_up(nodes, {name: pages[name]}, session_file.read_text().split()[0], rounds=4)
            rows = run_locust(hosts=[u for u, _ in nodes], users=args.ceiling_users, duration=args.ceiling_duration,
                              think="0", only=name, env=env, pages=pages, session_file=session_file)
        finally:
            stop_nodes(nodes)
        r = rows.get(name) or rows.get("Aggregated")
        implied = (os.cpu_count() or 1) * 1000 / medians[name]
        print(f"| {name} | {r['rps']:.1f} | {r['median']:.0f} | {r['failures']} | {medians[name]:.1f} | "
              f"{implied:.1f} | {100 * r['rps'] / implied:.0f} % |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
