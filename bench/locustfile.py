"""Locust users for bench/load.py: signed-in people walking the real journeys.

Each user takes one of the signed-in sessions bench/load.py prepared (LOAD_SESSIONS, a file of
session keys) and one of the nodes (LOAD_HOSTS, comma-separated; users are spread over them, as a
load balancer would), then walks home → agreement → schedule → history, now and then a PDF or the
budget import preview, with a person's think time (LOAD_THINK="1,3" seconds; "0" for the ceiling).
LOAD_ONLY=<page> makes every user ask for that page only (the per-page ceiling).
"""

from __future__ import annotations

import itertools
import json
import os

from locust import HttpUser, between, constant, task

_pages = json.loads(os.environ["LOAD_PAGES"])   # {"home": "/", "agreement": "/agreements/…/", …}
_sessions = itertools.cycle(open(os.environ["LOAD_SESSIONS"]).read().split())  # noqa: SIM115
_hosts = itertools.cycle(os.environ["LOAD_HOSTS"].split(","))
_low, _, _high = os.environ.get("LOAD_THINK", "1,3").partition(",")
_only = os.environ.get("LOAD_ONLY", "")


class Person(HttpUser):
    host = os.environ["LOAD_HOSTS"].split(",")[0]
    wait_time = between(float(_low), float(_high)) if float(_low) or _high else constant(0)

    def on_start(self):
        self.node = next(_hosts)
        self.client.cookies.set("sessionid", next(_sessions))

    def _get(self, page: str) -> None:
        with self.client.get(f"{self.node}{_pages[page]}", name=page, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{page} answered {response.status_code}")

    @task(4)
    def home(self):
        self._get(_only or "home")

    @task(3)
    def agreement(self):
        self._get(_only or "agreement")

    @task(6)
    def schedule(self):
        self._get(_only or "schedule")

    @task(2)
    def history(self):
        self._get(_only or "history")

    @task(1)
    def budget_preview(self):
        self._get(_only or "budget preview")

    @task(1)
    def pdf(self):
        self._get(_only or "schedule PDF")
