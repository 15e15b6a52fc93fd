"""Rows handed to a model instance as if `prefetch_related` had read them: the one place that does so.

Two readers fetch a document's child rows faster than `prefetch_related` can, then hand them to
the same snapshot code, which reads `instance.<name>.all()`:

- the schedule page (`agreements.selectors.schedule_with_rows`) reads six item lists in one
  UNION query, where `prefetch_related` (or `Prefetch(to_attr=)`) takes one query per list: five
  fewer queries for the page (12 today);
- the bench's scale data (`bench/make_scale_data.py`) builds 10,000 rows in memory and snapshots
  them before writing them.

Django has no public call for "these are the prefetched rows", so this writes what
`prefetch_related_objects` itself writes: the instance's `_prefetched_objects_cache`, holding a
queryset whose result cache is filled. Django is pinned to 5.2.x (pyproject.toml), and
`tests/documents/test_prefetching.py` fails loudly if a Django release changes how a prefetched
relation is read (a query made, or other rows returned).
"""

from __future__ import annotations

from django.db.models import Model, QuerySet


def set_prefetched(instance: Model, name: str, items: list[Model]) -> None:
    """Make `instance.<name>.all()` return `items`, in that order, without a query."""
    model = type(instance)._meta.get_field(name).related_model
    queryset = QuerySet(model=model)
    queryset._result_cache = items
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
