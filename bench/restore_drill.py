"""Back up the region's data, restore it into a fresh database, and prove nothing was lost.

    .venv/bin/python bench/restore_drill.py [--scale 1.0] [--reuse] [--keep] [--source NAME]

On the PostgreSQL server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres):

1. makes its own source database ``s75_drill_source``, migrates it and fills it with
   ``bench/make_scale_data.py`` at --scale (--reuse keeps a source from an earlier run);
2. backs it up as docs/operations.md says: ``pg_dump --format=custom``;
3. restores the dump into a new, empty database ``s75_drill_restored`` with ``pg_restore``;
4. proves the restore complete: the row count of every table and the position of every sequence
   are equal in both databases, and for every agreement and every schedule the latest revision's
   snapshot equals a fresh snapshot the app makes from the restored rows;
5. prints how long the backup and the restore took and how big the dump is, and exits non-zero
   on any difference. The restored database is dropped unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DB = "s75_drill_source"
RESTORED_DB = "s75_drill_restored"


def url_for(base: str, name: str) -> str:
    return urlunparse(urlparse(base)._replace(path=f"/{name}"))


def admin_sql(base: str, *statements: str) -> None:
    import psycopg2

    connection = psycopg2.connect(base)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def database_exists(base: str, name: str) -> bool:
    import psycopg2

    with psycopg2.connect(base) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def tally(url: str) -> dict[str, int]:
    """Every table's exact row count and every sequence's last value, by name."""
    import psycopg2

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[f"table {table}"] = cursor.fetchone()[0]
        cursor.execute("SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = 'public'")
        counts.update({f"sequence {name}": value for name, value in cursor.fetchall()})
    return counts


def run(command: list[str], **env: str) -> None:
    subprocess.run(command, check=True, cwd=ROOT, env={**os.environ, **env})


def check_snapshots() -> None:
    """In a process set up on the restored database: each document's latest revision = a fresh snapshot."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from agreements.models import Agreement, Schedule
    from agreements.snapshots import agreement_snapshot_by_id, schedule_snapshot_by_id
    from documents.revisions import latest_revision

    checked, differ = 0, []
    for model, snapshot in ((Agreement, agreement_snapshot_by_id), (Schedule, schedule_snapshot_by_id)):
        for obj in model.objects.order_by("pk").iterator(chunk_size=500):
            revision = latest_revision(obj)
            fresh = json.loads(json.dumps(snapshot(obj.pk)))
            if revision is None or revision.snapshot != fresh:
                differ.append(f"{model.__name__} {obj.pk}")
            checked += 1
    print(json.dumps({"checked": checked, "differ": differ[:20], "differ_count": len(differ)}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="keep the source database of an earlier run")
    parser.add_argument("--keep", action="store_true", help="keep the restored database afterwards")
    parser.add_argument("--source", default=SOURCE_DB,
                        help=f"the source database (default {SOURCE_DB}, filled here); an existing one is backed up as it "
                             "is and never dropped. Its documents must have changed only through the app: bench/due.py's "
                             "database fails the snapshot check (its notice periods and review dates are bulk updates "
                             "that write no revision)")
    parser.add_argument("--check-snapshots", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check_snapshots:
        check_snapshots()
        return 0

    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not base.startswith(("postgres://", "postgresql://")):
        print("The restore drill needs PostgreSQL (DATABASE_URL postgres://…).")
        return 2
    source, restored = url_for(base, args.source), url_for(base, RESTORED_DB)
    python = sys.executable
    if args.source != SOURCE_DB and not database_exists(base, args.source):
        print(f"No database {args.source!r} to back up.")
        return 2

    if args.source == SOURCE_DB and not (args.reuse and database_exists(base, SOURCE_DB)):
        admin_sql(base, f'DROP DATABASE IF EXISTS "{SOURCE_DB}"', f'CREATE DATABASE "{SOURCE_DB}"')
        started = time.perf_counter()
        run([python, "manage.py", "migrate", "--noinput", "-v", "0"], DATABASE_URL=source)
        run([python, "bench/make_scale_data.py", "--scale", str(args.scale)], DATABASE_URL=source)
        print(f"source filled in {time.perf_counter() - started:.0f} s")

    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "s75.dump"
        started = time.perf_counter()
        run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source])
        backup_seconds = time.perf_counter() - started
        size_mb = dump.stat().st_size / 1e6

        admin_sql(base, f'DROP DATABASE IF EXISTS "{RESTORED_DB}"', f'CREATE DATABASE "{RESTORED_DB}"')
        started = time.perf_counter()
        run(["pg_restore", "--no-owner", "--exit-on-error", "--jobs=2", f"--dbname={restored}", str(dump)])
        restore_seconds = time.perf_counter() - started

    before, after = tally(source), tally(restored)
    missing = {name: (before.get(name), after.get(name)) for name in before.keys() | after.keys()
               if before.get(name) != after.get(name)}
    rows = sum(value for name, value in before.items() if name.startswith("table "))
    tables = sum(1 for name in before if name.startswith("table "))

    started = time.perf_counter()
    done = subprocess.run([python, __file__, "--check-snapshots"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "DATABASE_URL": restored})
    if done.returncode:
        print(done.stdout, done.stderr)
        return 1
    snapshots = json.loads(done.stdout.strip().splitlines()[-1])
    check_seconds = time.perf_counter() - started
    if not args.keep:
        admin_sql(base, f'DROP DATABASE IF EXISTS "{RESTORED_DB}"')

    print(f"backup (pg_dump --format=custom): {backup_seconds:.1f} s, {size_mb:.1f} MB")
    print(f"restore (pg_restore --jobs=2 into an empty database): {restore_seconds:.1f} s")
    print(f"tables: {tables}, rows: {rows:,}; differing counts or sequences: {len(missing)}")
    for name, (was, now) in sorted(missing.items())[:20]:
        print(f"  {name}: {was} before, {now} after")
    print(f"documents whose latest revision equals a fresh snapshot of the restored rows: "
          f"{snapshots['checked'] - snapshots['differ_count']:,} of {snapshots['checked']:,} "
          f"(checked in {check_seconds:.0f} s)")
    for name in snapshots["differ"]:
        print(f"  differs: {name}")
    complete = not missing and not snapshots["differ_count"]
    print("restore complete" if complete else "RESTORE INCOMPLETE")
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
