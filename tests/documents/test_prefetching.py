"""documents.prefetching writes Django's private prefetch cache; this fails loudly if a Django release changes it.

`set_prefetched` must leave a relation exactly as `prefetch_related` does: `.all()` gives the
rows handed over, in their order, and makes no query; filtering it still asks the database.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Outcome
from documents.prefetching import set_prefetched
from tests.factories import make_schedule

pytestmark = pytest.mark.django_db


def test_a_relation_set_as_prefetched_reads_as_prefetch_related_reads_it():
    schedule = make_schedule()
    first, second = (Outcome.objects.create(schedule=schedule, position=n, text=f"Outcome {n}") for n in (1, 2))
    handed = [second, first]  # an order the database would not give, to see it kept

    set_prefetched(schedule, "outcomes", handed)
    with CaptureQueriesContext(connection) as queries:
        read = list(schedule.outcomes.all())
        count = schedule.outcomes.count()
    assert read == handed and read[0] is second
    assert count == 2
    assert len(queries) == 0, [q["sql"] for q in queries]

    with CaptureQueriesContext(connection) as queries:
        assert list(schedule.outcomes.filter(text="Outcome 1")) == [first]
    assert len(queries) == 1


def test_an_empty_list_reads_as_no_rows_without_a_query():
    schedule = make_schedule()
    Outcome.objects.create(schedule=schedule, position=1, text="Stored, but not handed over")
    set_prefetched(schedule, "outcomes", [])
    with CaptureQueriesContext(connection) as queries:
        assert list(schedule.outcomes.all()) == []
    assert len(queries) == 0
