"""Two app nodes, one database: what a load balancer may do to a user must not matter.

Two gunicorn nodes of the app run on two loopback ports, each with its own MEDIA_ROOT, on one
PostgreSQL database and one Redis. A user signs in on node A and stays signed in on node B; uploads
a budget file on A and confirms it on B; edits a schedule on A and sees the change and its history
on B. One preview confirmed twice at once, through both nodes, imports once. A node whose database
connection is ended mid-save (what a PostgreSQL restart does) answers "try again" and the retry
saves. Then node A is killed (SIGKILL) while it writes a large import: nothing of it is stored, and
node B confirms the same upload.

Real processes and real HTTP (requests), not the test client. It runs in CI's PostgreSQL pass; alone:
`make test PYTEST_ARGS="-m two_nodes"`. The nodes always use PostgreSQL (a database of their own,
dropped afterwards), whatever DATABASE_URL the suite runs on.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from pathlib import Path

import psycopg2
import pytest
import requests

from tests.html_forms import form_data

pytestmark = pytest.mark.two_nodes

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SERVER = "postgres://postgres@127.0.0.1:5432"
HARINGEY = "HARINGEY-S75-2017"
SCHEDULE = f"/agreements/{HARINGEY}/schedules/6/"
IMPORT = f"{SCHEDULE}budgets/import/"
PASSWORD = "demo-password-2026"
HEADINGS = "Financial year,Service,Partner,Budget type,Amount\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_sql(statement: str) -> None:
    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


@dataclass
class Node:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole node (gunicorn's master and its workers): no clean shutdown, no rollback by us."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@dataclass
class Cluster:
    database: str
    a: Node
    b: Node

    def sql(self, query: str, *params):
        connection = psycopg2.connect(f"{SERVER}/{self.database}")
        try:
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def count(self, table: str) -> int:
        return self.sql(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608  (our own table names)


def _start_node(name: str, env: dict[str, str], tmp: Path) -> Node:
    port = _free_port()
    media = tmp / f"media-{name}"
    media.mkdir()
    log = tmp / f"node-{name}.log"
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(BASE_DIR / "config" / "gunicorn_conf.py"), "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120", "--chdir", str(BASE_DIR)],  # production's settings, fewer workers
        env={**env, "MEDIA_ROOT": str(media), "NODE_NAME": name}, cwd=BASE_DIR,
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    node = Node(name, f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert node.alive(), f"node {name} exited:\n{log.read_text()[-3000:]}"
        try:
            if requests.get(f"{node.url}/readyz", timeout=10).status_code == 200:
                return node
        except requests.RequestException:  # not listening yet, or still loading the app
            pass
        time.sleep(0.25)
    node.kill()
    raise AssertionError(f"node {name} never became ready:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-nodes")
    database = f"s75_nodes_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    _admin_sql(f'CREATE DATABASE "{database}"')
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings_loopback",
        "PYTHONPATH": str(BASE_DIR),
        "DATABASE_URL": f"{SERVER}/{database}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": f"s75-{database}",  # this run's keys only, on the machine's shared Redis
        "SECRET_KEY": "two-node-test-" + uuid.uuid4().hex,  # one key for both nodes, as in production
        "DEBUG": "false", "SECURE_COOKIES": "false", "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    nodes: list[Node] = []
    try:
        for command in (["migrate", "--noinput"], ["load_demo", "--force"]):
            done = subprocess.run([*manage, *command], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        nodes = [_start_node("a", env, tmp), _start_node("b", env, tmp)]
        yield Cluster(database, *nodes)
    finally:
        for node in nodes:
            if node.alive():
                node.kill()
        _admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


# ----------------------------------------------------------------------------- a browser, by hand


def _text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _sign_in(node: Node, username: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{node.url}/sign-in/", timeout=30)
    data = {**form_data(page), "username": username, "password": PASSWORD}
    response = browser.post(f"{node.url}/sign-in/", data=data, allow_redirects=False, timeout=30)
    assert response.status_code == 302, _text(response)[:1000]
    return browser


def _same_browser(browser: requests.Session) -> requests.Session:
    """A second session object holding only the first one's cookies: what reaches the other node."""
    other = requests.Session()
    for cookie in browser.cookies:
        other.cookies.set(cookie.name, cookie.value)
    return other


def _upload(browser: requests.Session, node: Node, csv: str, reason: str) -> str:
    """Upload a budget-lines CSV on `node`; returns the preview's path (its token is in the URL)."""
    data = {key: value for key, value in form_data(browser.get(f"{node.url}{IMPORT}", timeout=30)).items() if key != "file"}
    response = browser.post(f"{node.url}{IMPORT}", data={**data, "reason": reason},
                            files={"file": ("budgets.csv", csv.encode(), "text/csv")}, allow_redirects=False, timeout=120)
    assert response.status_code == 302, _text(response)[:2000]
    location = response.headers["Location"]
    assert location.startswith(IMPORT) and location != IMPORT
    return location


def _writing_budget_lines(cluster: Cluster, thread: threading.Thread) -> list[tuple[int]]:
    """Wait until a transaction on the nodes' database has written budget lines (an import, mid-way);
    its backend pids, or [] if `thread`'s request ended first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and thread.is_alive():
        writing = cluster.sql("SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL "
                              "AND query ILIKE '%%budgetline%%'", cluster.database)
        if writing:
            return writing
        time.sleep(0.005)
    return []


def _lines_like(cluster: Cluster, prefix: str) -> int:
    return cluster.sql("SELECT count(*) FROM budgets_budgetline WHERE service LIKE %s", f"{prefix}%")[0][0]


def _confirm(browser: requests.Session, node: Node, preview: str, **kwargs) -> requests.Response:
    data = form_data(browser.get(f"{node.url}{preview}", timeout=120))
    return browser.post(f"{node.url}{preview}", data=data, allow_redirects=False, timeout=kwargs.get("timeout", 120))


# ----------------------------------------------------------------------------- the tests, in order


def test_signed_in_on_a_stays_signed_in_on_b(cluster):
    on_a = _sign_in(cluster.a, "haringey-finance")
    on_b = _same_browser(on_a)
    response = on_b.get(f"{cluster.b.url}{SCHEDULE}", allow_redirects=False, timeout=30)
    assert response.status_code == 200, response.headers.get("Location")
    assert "Sign out" in _text(response)
    anonymous = requests.get(f"{cluster.b.url}{SCHEDULE}", allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous.headers["Location"]


def test_a_budget_file_uploaded_on_a_is_confirmed_on_b(cluster):
    on_a = _sign_in(cluster.a, "haringey-finance")
    preview = _upload(on_a, cluster.a, HEADINGS + "2019/20,Two-node check,LBH,Aligned,1234\n", "Uploaded on node A")
    on_b = _same_browser(on_a)
    page = on_b.get(f"{cluster.b.url}{preview}", timeout=60)
    assert page.status_code == 200 and "Two-node check" in _text(page)  # B reads the file A kept
    response = _confirm(on_b, cluster.b, preview)
    assert response.status_code == 302, _text(response)[:2000]
    assert cluster.sql("SELECT amount FROM budgets_budgetline WHERE service = %s", "Two-node check") == [(Decimal("1234.00"),)]
    assert not list((Path(cluster.a.log).parent / "media-a").rglob("*.csv"))  # nothing kept on A's disk
    schedule = on_b.get(f"{cluster.b.url}{SCHEDULE}", timeout=30)
    assert "Two-node check" in _text(schedule)


def test_a_schedule_edited_on_a_shows_with_its_history_on_b(cluster):
    on_a = _sign_in(cluster.a, "haringey-commissioner")
    edit = f"{cluster.a.url}{SCHEDULE}edit/"
    data = form_data(on_a.get(edit, timeout=30))
    outcome = "Outcome three, as changed on node A and read on node B."
    data.update({"outcomes-2-text": outcome, "reason": "Edited on node A", "action": "save"})
    response = on_a.post(edit, data=data, allow_redirects=False, timeout=60)
    assert response.status_code == 302, _text(response)[:2000]
    on_b = _same_browser(on_a)
    assert outcome in _text(on_b.get(f"{cluster.b.url}{SCHEDULE}", timeout=30))
    history = _text(on_b.get(f"{cluster.b.url}{SCHEDULE}history/", timeout=30))
    assert "Edited on node A" in history  # the revision A wrote, with its reason, in B's history


def test_a_confirm_sent_twice_imports_once(cluster):
    """A double click, or a retry through the other node: two confirms of one preview at the same moment."""
    on_a = _sign_in(cluster.a, "haringey-finance")
    on_b = _same_browser(on_a)
    csv = HEADINGS + "".join(f"2021/22,Double confirm {n:03d},LBH,Aligned,{n + 1}\n" for n in range(300))
    preview = _upload(on_a, cluster.a, csv, "Confirmed twice")
    data = form_data(on_a.get(f"{cluster.a.url}{preview}", timeout=120))
    before = {table: cluster.count(table) for table in ("agreements_revision", "budgets_budgetimport")}
    barrier = threading.Barrier(2)
    responses: list = [None, None]

    def send(index, browser, node):
        barrier.wait(timeout=30)
        responses[index] = browser.post(f"{node.url}{preview}", data=data, allow_redirects=False, timeout=120)

    threads = [threading.Thread(target=send, args=(0, on_a, cluster.a)), threading.Thread(target=send, args=(1, on_b, cluster.b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    codes = sorted(response.status_code for response in responses)
    assert 302 in codes and set(codes) <= {302, 404, 409}, [(r.status_code, _text(r)[:300]) for r in responses]
    assert _lines_like(cluster, "Double confirm") == 300
    assert cluster.count("budgets_budgetimport") == before["budgets_budgetimport"] + 1
    assert cluster.count("agreements_revision") == before["agreements_revision"] + 1


def test_the_database_connection_lost_mid_save_says_try_again_and_the_retry_saves(cluster):
    """What a PostgreSQL restart does to a node: its open connection is ended by the server mid-transaction.
    (Simulated with pg_terminate_backend on that node's connection, the same "terminating connection
    due to administrator command" a restart sends; restarting the machine's shared server itself would
    break every other test worker.)"""
    on_b = _sign_in(cluster.b, "haringey-finance")
    rows = 6000
    csv = HEADINGS + "".join(f"2022/23,Connection lost {n:05d},LBH,Aligned,{n + 1}\n" for n in range(rows))
    preview = _upload(on_b, cluster.b, csv, "Saved while the database restarts")
    tables = ("budgets_budgetline", "budgets_historicalbudgetline", "agreements_revision", "budgets_budgetimport")
    before = {table: cluster.count(table) for table in tables}
    data = form_data(on_b.get(f"{cluster.b.url}{preview}", timeout=120))
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(
        on_b.post(f"{cluster.b.url}{preview}", data=data, allow_redirects=False, timeout=120)))
    thread.start()
    writing = _writing_budget_lines(cluster, thread)
    assert writing, f"node B finished or never started writing: {outcome}"
    cluster.sql("SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid", [pid for (pid,) in writing])
    thread.join(timeout=120)

    response = outcome[0]
    assert response.status_code == 503, _text(response)[:1000]
    assert response.headers["Retry-After"] == "30"
    assert "Nothing you sent was saved: try again in a minute." in _text(response)
    assert {table: cluster.count(table) for table in tables} == before  # nothing half-written
    response = _confirm(on_b, cluster.b, preview, timeout=300)  # the same node, a fresh connection
    assert response.status_code == 302, _text(response)[:2000]
    assert _lines_like(cluster, "Connection lost") == rows
    assert cluster.count("agreements_revision") == before["agreements_revision"] + 1


def test_node_a_killed_mid_import_writes_nothing_and_b_carries_on(cluster):
    rows = 6000
    csv = HEADINGS + "".join(f"2020/21,Killed import {n:05d},LBH,Aligned,{n + 1}\n" for n in range(rows))
    on_a = _sign_in(cluster.a, "haringey-finance")
    preview = _upload(on_a, cluster.a, csv, "Large import, node A dies")
    tables = ("budgets_budgetline", "budgets_historicalbudgetline", "agreements_revision", "budgets_budgetimport")
    before = {table: cluster.count(table) for table in tables}

    data = form_data(on_a.get(f"{cluster.a.url}{preview}", timeout=120))
    outcome: list = []

    def confirm_on_a():
        try:
            outcome.append(on_a.post(f"{cluster.a.url}{preview}", data=data, allow_redirects=False, timeout=120))
        except requests.RequestException as error:  # the node dies under it: the connection drops
            outcome.append(error)

    thread = threading.Thread(target=confirm_on_a)
    thread.start()
    writing = _writing_budget_lines(cluster, thread)
    assert writing, f"node A finished or never started writing: {outcome}"
    cluster.a.kill()
    thread.join(timeout=60)
    assert isinstance(outcome[0], requests.RequestException), outcome  # A never answered

    deadline = time.monotonic() + 30  # PostgreSQL notices the dropped connection and rolls it back
    while cluster.sql("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [pid for (pid,) in writing]):
        assert time.monotonic() < deadline, "node A's transaction outlived the node"
        time.sleep(0.1)
    assert {table: cluster.count(table) for table in tables} == before  # nothing half-written
    assert _lines_like(cluster, "Killed import") == 0

    on_b = _same_browser(on_a)
    assert requests.get(f"{cluster.b.url}/readyz", timeout=10).status_code == 200
    response = _confirm(on_b, cluster.b, preview, timeout=300)
    assert response.status_code == 302, _text(response)[:2000]
    assert _lines_like(cluster, "Killed import") == rows
    assert cluster.count("agreements_revision") == before["agreements_revision"] + 1  # one revision, as ever
