"""What's due: dates people must not miss, gathered from the apps that own them, by registration.

partnerships knows no agreement or board, so each app registers its own kinds of due item from
its `AppConfig.ready()` (`register_due_kind`) with a *source*: a function answering, for a set of
partners, every item due up to a date, each with the partners whose staff may see it. One call
per source serves one user's page or every user's reminders alike, so the number of queries does
not grow with the number of users.

    register_due_kind(DueKind("agreement_review", "Agreement review", remind_days=30), agreement_items)

A source is called as ``source(partner_ids, today=..., until=..., shared=...)`` (``partner_ids`` None
means every partner, for a superuser) and returns ``DueItem``s whose ``kind`` it registered.
``shared`` is a dict that lives for one `due_items` call: sources that read the same rows (every
agreement-based source needs the live agreements and their parties) read them once through
`shared_read`, so adding a kind need not add a query to the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings
from django.utils.functional import cached_property

SOON_DAYS = 30          # "due within 30 days"
HORIZON_DAYS = 366      # how far ahead the page, the feed and the digest look


@dataclass(frozen=True)
class DueKind:
    code: str                   # "agreement_review"
    label: str                  # "Agreement review"
    remind_days: int = 14       # a reminder this many days before (settings.DUE_REMINDER_DAYS overrides, by code)

    @property
    def reminder_days(self) -> int:
        return getattr(settings, "DUE_REMINDER_DAYS", {}).get(self.code, self.remind_days)


@dataclass(frozen=True)
class DueItem:
    kind: str                   # a registered DueKind.code
    uid: str                    # stable for the thing that is due: "agreement-3-review"
    due: date
    title: str                  # "Review of HARINGEY-S75-2017"
    link: str | tuple[str, tuple]  # where it is dealt with: a path, or (URL name, args) reversed when first shown
    audience: frozenset[int]    # the partners whose staff may see it
    agreement: str = ""         # the agreement's reference, for filtering
    board_id: int | None = None
    board_name: str = ""
    detail: str = ""
    group: str = ""             # items of a kind with the same group and date may show as one row ("Monitoring return 2026/27 P8")
    count: ClassVar[int] = 0    # one item; a `GroupRow` holds many (the page's rows and the digest tell them apart by it)

    @cached_property
    def url(self) -> str:
        """The link's path; reversed only for the items shown (a listing builds hundreds the page groups or filters out)."""
        if isinstance(self.link, str):
            return self.link
        from django.urls import get_script_prefix, get_urlconf

        name, args = self.link
        return _reverse(name, args, get_script_prefix(), get_urlconf())

    @cached_property
    def due_text(self) -> str:
        """"7 Dec 2026", formatted here, once (a row shows it twice): the template's date filter is the page's main
        cost at hundreds of rows. (A frozen dataclass still has a __dict__, where cached_property keeps it.)"""
        return f"{self.due:%-d %b %Y}"

    @cached_property
    def due_long(self) -> str:
        """"7 December 2026", for the emails (formatted here for the same reason)."""
        return f"{self.due:%-d %B %Y}"

    @cached_property
    def key(self) -> str:
        """One occurrence: a moved meeting or a new review date is a new item."""
        return f"{self.uid}-{self.due.isoformat()}"

    @cached_property
    def kind_label(self) -> str:
        return _kinds[self.kind].label if self.kind in _kinds else self.kind


@lru_cache(maxsize=20_000)
def _reverse(name: str, args: tuple, prefix: str, urlconf: str | None) -> str:
    """`reverse`, remembered: the same schedules' links are asked for on every listing (~400 a page).
    The prefix and URLconf are in the key, as the answer depends on them."""
    from django.urls import reverse

    return reverse(name, args=args, urlconf=urlconf)


Source = Callable[..., Iterable[DueItem]]


@dataclass
class _Registry:
    kinds: dict[str, DueKind] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)


_registry = _Registry()
_kinds = _registry.kinds


def register_due_kind(kind: DueKind, source: Source) -> DueKind:
    """Add a kind of due item and the source that lists it; registering twice is a no-op."""
    _registry.kinds.setdefault(kind.code, kind)
    if source not in _registry.sources:
        _registry.sources.append(source)
    return kind


def shared_read(shared: dict, key: str, read: Callable[[], Any]) -> Any:
    """`read()`, once per `due_items` call: later sources asking for `key` get the same value."""
    if key not in shared:
        shared[key] = read()
    return shared[key]


def due_kinds() -> list[DueKind]:
    return list(_registry.kinds.values())


def due_kind(code: str) -> DueKind:
    return _registry.kinds[code]


def due_items(partner_ids: set[int] | None, *, today: date, until: date | None = None) -> list[DueItem]:
    """Every registered item due up to `until` (overdue ones included) visible to any of `partner_ids`."""
    until = until or today + timedelta(days=HORIZON_DAYS)
    items: list[DueItem] = []
    shared: dict[str, Any] = {}
    for source in _registry.sources:
        items.extend(source(partner_ids, today=today, until=until, shared=shared))
    if partner_ids is not None:
        items = [item for item in items if not item.audience.isdisjoint(partner_ids)]
    return sorted(items, key=attrgetter("due", "kind", "title"))


def scope_ids(user) -> set[int] | None:
    """The partner ids a user's items are for: None (all) for a superuser, empty when they have no partner."""
    from partnerships.access import user_partner

    if user.is_superuser:
        return None
    partner = user_partner(user)
    return {partner.pk} if partner is not None else set()


def items_for(user, *, today: date, until: date | None = None) -> list[DueItem]:
    return due_items(scope_ids(user), today=today, until=until)


GROUP_FROM = 4  # this many items of one kind, group and date show as one row (on the page and in the digest)


@dataclass(frozen=True)
class GroupRow:
    """Many items of one kind due on one day (200 schedules' P8 returns) as one row, linking to them listed."""

    kind: str
    kind_label: str
    group: str
    due_text: str
    due_long: str
    count: int
    url: str

    @property
    def title(self) -> str:
        return f"{self.group} for {self.count} schedules"


def grouped(items: list[DueItem], *, board: str = "") -> list[DueItem | GroupRow]:
    """The items in order, each large set of like items (same kind, `group` and date) as one `GroupRow`."""
    from django.urls import reverse

    sizes = Counter((item.kind, item.group, item.due) for item in items if item.group)
    if not any(size >= GROUP_FROM for size in sizes.values()):
        return list(items)
    page = reverse("due")
    rows: list[DueItem | GroupRow] = []
    done = set()
    for item in items:
        key = (item.kind, item.group, item.due)
        if not item.group or sizes[key] < GROUP_FROM:
            rows.append(item)
        elif key not in done:
            done.add(key)
            query = urlencode({"kind": item.kind, **({"board": board} if board else {})})
            rows.append(GroupRow(item.kind, item.kind_label, item.group, item.due_text, item.due_long, sizes[key],
                                 f"{page}?{query}"))
    return rows


def band(item: DueItem, today: date) -> str:
    """'overdue', 'soon' (within 30 days) or 'later'."""
    if item.due < today:
        return "overdue"
    if item.due <= today + timedelta(days=SOON_DAYS):
        return "soon"
    return "later"
