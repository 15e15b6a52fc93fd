"""Fill a database with a region's worth of section 75 data, reproducibly, in a few minutes.

    .venv/bin/python bench/make_scale_data.py [--scale 1.0] [--seed 75] [--force]

At scale 1: ~150 partners (councils, CCGs and ICBs), 1,000 agreements, 5,000 schedules,
100,000 budget lines and 50,000 history entries (revisions, each with the whole document's
snapshot, and the django-simple-history rows each one wrote). Among them:

- the bench agreement ``BENCH-S75`` (parties: the bench council and the bench ICB);
- its Schedule 1 with 100 budget lines and 30 outcomes (agreed version 1, then edits: a draft);
- its Schedule 2 with 200 history entries;
- a monitoring return for every schedule for each of P1-P6 of the current financial year
  (``MONITORING_YEAR``), one entry per budget line of that year, each return one revision with its
  snapshot (``budgets.monitoring.snapshots``' own dict builders) and its historical rows;
- ``bench-commissioner`` (a commissioner of the bench ICB, party to ~50 agreements) and
  ``bench-admin`` (a superuser for the admin baseline), password ``bench-password``.

Writing through the services one row at a time would take hours at this scale, so the rows, their
historical rows (``Model.history.model``) and the revisions are built in memory and written with
``bulk_create``. Each revision's snapshot is made by ``agreements.snapshots.schedule_snapshot``
(and ``agreement_snapshot``) itself, run over in-memory model instances, so the data reads exactly
as the app writes it; at the end a sample of documents is checked against a fresh snapshot from
the database. The database is DATABASE_URL's; the script refuses one that already holds
agreements unless --force.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

BENCH_REFERENCE = "BENCH-S75"
BENCH_SCHEDULE = 1  # 100 budget lines, 30 outcomes
HISTORY_SCHEDULE = 2  # 200 history entries
BENCH_USER = "bench-commissioner"
ADMIN_USER = "bench-admin"
PASSWORD = "bench-password"
YEARS = (2023, 2024, 2025, 2026)
CHUNK_AGREEMENTS = 50
MONITORING_YEAR = YEARS[-1]  # the current financial year of the data (2026/27)
MONITORING_PERIODS = range(1, 7)
CHUNK_SCHEDULES = 250

AREAS = [
    "Haringey", "Camden", "Islington", "Enfield", "Barnet", "Hackney", "Newham", "Tower Hamlets", "Waltham Forest",
    "Redbridge", "Havering", "Barking and Dagenham", "Bexley", "Bromley", "Croydon", "Sutton", "Merton", "Kingston",
    "Richmond", "Hounslow", "Ealing", "Brent", "Harrow", "Hillingdon", "Lambeth", "Southwark", "Lewisham",
    "Greenwich", "Wandsworth", "Westminster", "Kensington and Chelsea", "Hammersmith and Fulham", "Cambridgeshire",
    "Peterborough", "Norfolk", "Suffolk", "Essex", "Thurrock", "Southend", "Hertfordshire", "Bedford",
    "Central Bedfordshire", "Luton", "Milton Keynes", "Buckinghamshire", "Oxfordshire", "Berkshire", "Reading",
    "Slough", "Surrey", "Kent", "Medway", "Brighton and Hove", "East Sussex", "West Sussex", "Hampshire",
    "Portsmouth", "Southampton", "Isle of Wight", "Dorset", "Wiltshire", "Swindon", "Somerset", "Devon", "Plymouth",
    "Torbay", "Cornwall", "Gloucestershire", "Bristol", "Worcestershire", "Herefordshire", "Shropshire",
    "Telford and Wrekin", "Staffordshire", "Stoke-on-Trent", "Derbyshire", "Derby", "Nottinghamshire",
    "Nottingham", "Leicestershire", "Leicester", "Rutland", "Lincolnshire", "Northamptonshire", "Warwickshire",
    "Coventry", "Birmingham", "Solihull", "Sandwell", "Walsall", "Wolverhampton", "Dudley", "Manchester",
    "Salford", "Trafford", "Stockport", "Tameside", "Oldham", "Rochdale", "Bury",
]
ICB_AREAS = [
    "North Central London", "North East London", "South East London", "South West London", "North West London",
    "Cambridgeshire and Peterborough", "Norfolk and Waveney", "Suffolk and North East Essex", "Mid and South Essex",
    "Hertfordshire and West Essex", "Bedfordshire, Luton and Milton Keynes", "Buckinghamshire, Oxfordshire and "
    "Berkshire West", "Kent and Medway", "Sussex", "Hampshire and Isle of Wight", "Birmingham and Solihull",
    "Black Country", "Coventry and Warwickshire", "Greater Manchester", "Derby and Derbyshire",
]
SERVICES = [
    "Children's community health", "Child and adolescent mental health", "Speech and language therapy",
    "Health visiting", "School nursing", "Short breaks", "Continuing care", "Learning disabilities",
    "Community equipment", "Reablement", "Carers' support", "Drug and alcohol treatment", "Sexual health",
    "Integrated community teams", "Hospital discharge", "Occupational therapy", "Autism assessment",
    "Memory assessment", "Physical disability day opportunities", "Transitions", "Telecare", "Home care",
    "Intermediate care beds", "Falls prevention", "Stop smoking", "NHS health checks", "Weight management",
    "Family nurse partnership", "Perinatal mental health", "Crisis care",
]
WORDS = (
    "integrated services improve outcomes for children young people adults and carers across the borough "
    "through joint commissioning pooled budgets shared assessment and a single point of access with "
    "partners in primary care community health social care and the voluntary sector measured against "
    "agreed indicators and reported to the joint board each quarter within the resources set out below"
).split()
REASONS = [
    "Budget figures updated after month 6 monitoring", "Outcomes revised after the annual review",
    "KPIs aligned with the new performance framework", "Services wording agreed at the joint board",
    "Correction requested by legal services", "Amounts confirmed by finance", "Annual refresh of the schedule",
    "Risk register review", "Changes agreed at the commissioning executive",
]


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def money(rng: random.Random, low: int = 5_000, high: int = 5_000_000) -> Decimal:
    cents = rng.randrange(low * 100, high * 100)
    if rng.random() < 0.7:
        cents -= cents % 100  # most figures are whole pounds, stored as 1234.00
    return Decimal(cents).scaleb(-2)


class Ids:
    """Explicit primary keys, so snapshots and historical rows can name rows before they are written."""

    def __init__(self, models):
        from django.db.models import Max

        self.next = {model: (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for model in models}

    def __call__(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


@dataclass
class Batch:
    """Rows waiting for bulk_create, in dependency order."""

    rows: dict[type, list] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, obj) -> None:
        self.rows.setdefault(type(obj), []).append(obj)

    def write(self, order: list[type]) -> int:
        written = 0
        for model in order:
            objs = self.rows.pop(model, [])
            if objs:
                started = time.perf_counter()
                model.objects.bulk_create(objs, batch_size=1000)
                key = model._meta.label
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started
                written += len(objs)
        assert not self.rows, f"unwritten rows: {list(self.rows)}"
        return written


def history_row(obj, history_type: str, revision, reason: str | None = None):
    """The historical row simple-history writes for `obj` as it stands now, linked to `revision`."""
    model = type(obj).history.model
    values = {
        f.attname: getattr(obj, f.attname)
        for f in model._meta.fields
        if not f.name.startswith("history_") and f.name != "revision"
    }
    extra: dict[str, Any] = {"history_date": datetime(2015, 1, 5, 9, tzinfo=UTC),
                             "history_change_reason": "Loaded for the benchmark"}
    if revision is not None:
        extra = {
            "revision_id": revision.pk, "history_date": revision.created_at, "history_user_id": revision.user_id,
            "history_change_reason": reason if reason is not None else revision.reason,
        }
    return model(**values, history_type=history_type, **extra)


def fill(*, scale: float = 1.0, seed: int = 75, force: bool = False, out=print) -> dict[str, Any]:
    """Fill the default database; return what the benches need to find (references, usernames)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from agreements.models import (
        Agreement,
        Aim,
        BudgetLine,
        Clause,
        KeyPerformanceIndicator,
        Outcome,
        Party,
        Risk,
        Schedule,
        SpecificationParagraph,
        SpecificationSection,
        StrategyDocument,
    )
    from agreements.snapshots import agreement_snapshot, schedule_snapshot
    from documents.models import Decision, Revision, Version
    from documents.prefetching import set_prefetched
    from partnerships.models import Partner, PartnerKind, Profile, Role

    User = get_user_model()
    if Agreement.objects.exists() and not force:
        raise SystemExit(
            f"The database {connection.settings_dict['NAME']} already holds agreements; "
            "fill an empty one (or pass --force to add to it)."
        )
    rng = random.Random(seed)
    started = time.perf_counter()
    timings: list[tuple[str, float]] = []

    def lap(label: str, since: float) -> float:
        now = time.perf_counter()
        timings.append((label, now - since))
        out(f"  {label}: {now - since:.1f} s")
        return now

    n_agreements = max(2, round(1000 * scale))
    n_schedules = 5 * n_agreements
    n_lines = max(200, round(100_000 * scale))
    n_entries = max(n_agreements + n_schedules + 210, round(50_000 * scale))
    n_partners = max(30, round(150 * min(scale, 1.0))) if scale < 1 else 150

    schedule_models = [
        Schedule, Aim, Outcome, StrategyDocument, KeyPerformanceIndicator, Risk, SpecificationSection,
        SpecificationParagraph, BudgetLine,
    ]
    ids = Ids([Partner, Agreement, Party, Clause, Revision, Decision, Version, *schedule_models])
    schedule_ct = ContentType.objects.get_for_model(Schedule)
    agreement_ct = ContentType.objects.get_for_model(Agreement)

    # ------------------------------------------------------------------ partners and users
    t = time.perf_counter()
    n_icbs = max(4, n_partners * 20 // 150)
    n_ccgs = max(4, n_partners * 30 // 150)
    n_councils = n_partners - n_icbs - n_ccgs
    taken = set(Partner.objects.values_list("name", flat=True))
    prefix = "" if not taken else f"S{seed}-{ids.next[Partner]} "
    icbs = [
        Partner(pk=ids(Partner), name=f"{prefix}NHS {ICB_AREAS[i % len(ICB_AREAS)]} Integrated Care Board"
                + (f" {i // len(ICB_AREAS) + 1}" if i >= len(ICB_AREAS) else ""),
                short_name=f"ICB{i + 1}", kind=PartnerKind.ICB, code=f"{prefix[:6]}QB{i + 1:03d}".strip(),
                active_from=date(2022, 7, 1))
        for i in range(n_icbs)
    ]
    ccgs = [
        Partner(pk=ids(Partner), name=f"{prefix}NHS {AREAS[i % len(AREAS)]} CCG" + (f" {i // len(AREAS) + 1}" if i >= len(AREAS) else ""),
                short_name=f"CCG{i + 1}", kind=PartnerKind.CCG, code=f"{prefix[:6]}0C{i + 1:03d}".strip(),
                active_to=date(2022, 6, 30), successor_id=icbs[i % n_icbs].pk)
        for i in range(n_ccgs)
    ]
    councils = [
        Partner(pk=ids(Partner), name=f"{prefix}{AREAS[i % len(AREAS)]} Council" + (f" {i // len(AREAS) + 1}" if i >= len(AREAS) else ""),
                short_name=f"LA{i + 1}", kind=PartnerKind.LOCAL_AUTHORITY, code=f"{prefix[:6]}E09{i + 1:05d}".strip())
        for i in range(n_councils)
    ]
    partners = icbs + ccgs + councils
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    password = make_password(PASSWORD)
    with transaction.atomic():
        Partner.objects.bulk_create(icbs)
        Partner.objects.bulk_create(ccgs + councils)
        Partner.history.model.objects.bulk_create([history_row(p, "+", None) for p in partners])
        usernames = [f"editor-{p.short_name.lower()}" for p in partners]
        suffix = "" if not User.objects.filter(username__in=usernames + [BENCH_USER, ADMIN_USER]).exists() else f"-{seed}-{ids.next[Partner]}"
        editors = User.objects.bulk_create([
            User(username=name + suffix, password=password, first_name="Editor", last_name=p.short_name)
            for name, p in zip(usernames, partners, strict=True)
        ])
        bench_user = User.objects.create(username=BENCH_USER + suffix, password=password, first_name="Bench",
                                         last_name="Commissioner")
        admin_user = User.objects.create(username=ADMIN_USER + suffix, password=password, is_staff=True,
                                         is_superuser=True)
        editors = list(User.objects.filter(username__in=[u.username for u in editors]).order_by("username"))
        editor_of = {}
        by_name = {u.username: u for u in editors}
        profiles = []
        for name, partner in zip(usernames, partners, strict=True):
            user = by_name[name + suffix]
            editor_of[partner.pk] = user.pk
            profiles.append(Profile(user=user, partner=partner))
        profiles.append(Profile(user=bench_user, partner=icbs[0]))
        Profile.objects.bulk_create(profiles)
        Profile.history.model.objects.bulk_create([history_row(p, "+", None) for p in profiles])
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user_id=u.pk, group_id=groups[Role.COMMISSIONER].pk) for u in editors]
            + [Membership(user_id=bench_user.pk, group_id=groups[Role.COMMISSIONER].pk)]
        )
    t = lap(f"{len(partners)} partners, {len(editors) + 2} users", t)

    # ------------------------------------------------------------------ how many of each per schedule
    # Agreement 0 is the bench agreement: its schedule 1 has 100 lines and 30 outcomes, schedule 2
    # has 200 history entries. Every other schedule shares out the remaining lines and entries.
    lines_left = n_lines - 100
    others = n_schedules - 1
    line_counts = [lines_left // others + (1 if i < lines_left % others else 0) for i in range(others)]
    rng.shuffle(line_counts)
    line_counts.insert(0, 100)
    edits_left = max(0, n_entries - n_agreements - n_schedules - 199 - 9)
    edit_counts = [0] * n_schedules
    edit_counts[0], edit_counts[1] = 9, 199
    for _ in range(edits_left):
        edit_counts[rng.randrange(2, n_schedules)] += 1

    start_day = datetime(2015, 4, 1, 9, tzinfo=UTC)
    end_day = datetime(2026, 10, 30, 17, tzinfo=UTC)
    span = (end_day - start_day).total_seconds()

    def moment(low: datetime, share: float) -> datetime:
        seconds = (end_day - low).total_seconds() * share
        return low + timedelta(seconds=int(seconds))

    totals = {"agreements": 0, "schedules": 0, "lines": 0, "entries": 0, "historical": 0, "versions": 0}
    tag = f"-{seed}-{ids.next[Agreement]}" if Agreement.objects.exists() else ""
    bench: dict[str, Any] = {"reference": BENCH_REFERENCE + tag, "schedule": BENCH_SCHEDULE,
                             "history_schedule": HISTORY_SCHEDULE, "user": bench_user.username,
                             "admin": admin_user.username, "password": PASSWORD}
    write_order = [
        Agreement, Party, Clause, Schedule, Aim, Outcome, StrategyDocument, KeyPerformanceIndicator, Risk,
        SpecificationSection, SpecificationParagraph, BudgetLine, Revision, Decision, Version,
        *[m.history.model for m in [Agreement, Party, Clause, *schedule_models]],
    ]

    def new_revision(batch: Batch, *, ct, obj_id: int, when: datetime, user_id, kind: str, reason: str,
                     summary: str = "") -> Revision:
        revision = Revision(pk=ids(Revision), content_type_id=ct.pk, object_id=obj_id, created_at=when,
                            user_id=user_id, kind=kind, reason=reason, summary=summary)
        batch.add(revision)
        totals["entries"] += 1
        return revision

    def build_agreement(batch: Batch, index: int) -> None:
        if index == 0:
            council, nhs, reference = councils[0], icbs[0], bench["reference"]
        else:
            council = councils[rng.randrange(len(councils))]
            nhs = icbs[rng.randrange(len(icbs))] if rng.random() < 0.8 else ccgs[rng.randrange(len(ccgs))]
            reference = f"S75-{council.short_name}-{index:04d}{tag}"
        created = start_day + timedelta(seconds=int(span * 0.6 * rng.random()))
        dated = created.date()
        agreement = Agreement(
            pk=ids(Agreement), title=f"{council.name.removeprefix(prefix)} and {nhs.short_name} section 75 agreement",
            reference=reference, status=rng.choice(["in_force"] * 6 + ["varied", "signed", "draft", "expired"]),
            dated=dated, effective_from=dated + timedelta(days=30), expires=dated + timedelta(days=30 + 365 * 5),
            review_due=date(2026, 1, 1) + timedelta(days=rng.randrange(0, 730)),
        )
        party_partners = [(council, "host"), (nhs, "lead_commissioner")]
        if rng.random() < 0.2:
            other = councils[rng.randrange(len(councils))]
            if other is not council:
                party_partners.append((other, "party"))
        parties = [
            Party(pk=ids(Party), agreement=agreement, partner=partner, role=role, position=position)
            for position, (partner, role) in enumerate(party_partners, start=1)
        ]
        clauses = [
            Clause(pk=ids(Clause), agreement=agreement, position=position, heading=heading, text=" ".join(
                sentence(rng, 20, 40) for _ in range(3)))
            for position, heading in enumerate(
                ["Definitions", "Term", "Aims and outcomes", "Pooled fund", "Governance", "Disputes"], start=1)
        ]
        set_prefetched(agreement, "parties", parties)
        set_prefetched(agreement, "clauses", clauses)
        editor = editor_of[council.pk]
        revision = new_revision(batch, ct=agreement_ct, obj_id=agreement.pk, when=created, user_id=editor,
                                kind="created", reason="Agreement entered from the signed copy")
        revision.snapshot = agreement_snapshot(agreement)
        for obj in [agreement, *parties, *clauses]:
            batch.add(obj)
            batch.add(history_row(obj, "+", revision))
        totals["agreements"] += 1
        decision = None
        for number in range(1, 6):
            s_index = index * 5 + number - 1
            version_wanted = s_index == 0 or rng.random() < 0.25
            if version_wanted and decision is None:
                decision = Decision(pk=ids(Decision), body=rng.choice(["Cabinet", "Governing body",
                                                                        "Cabinet Member Signing"]),
                                    decided_on=dated, reference=f"FP-{index:04d}", key_decision=rng.random() < 0.5)
                batch.add(decision)
            build_schedule(batch, agreement, number, s_index, parties, created,
                           decision if version_wanted else None)

    def build_schedule(batch: Batch, agreement, number: int, s_index: int, parties, agreement_created: datetime,
                       decision) -> None:
        party_partners = [p.partner for p in parties]
        lead, host = rng.choice(party_partners), rng.choice(party_partners)
        services = rng.sample(SERVICES, 3)
        schedule = Schedule(
            pk=ids(Schedule), agreement=agreement, number=number, title=f"{services[0]} and related services",
            status=rng.choice(["in_force"] * 4 + ["draft"]), pooled_fund=rng.random() < 0.5,
            lead_commissioning=True, aligned_budgets=rng.random() < 0.5, lead_commissioner=lead, host=host,
            pool_manager=f"Head of joint commissioning, {host.short_name}", service_name=", ".join(services),
            agreement_type="Section 75", service_type=f"{lead.short_name} lead commissioner with aligned budgets",
            delegated_function=sentence(rng, 15, 30), services=sentence(rng, 30, 60),
            eligibility=sentence(rng, 15, 30), resources=sentence(rng, 20, 40) + "\n\n" + sentence(rng, 20, 40),
            specification_title="Outline specification", edit_count=edit_counts[s_index],
        )
        n_outcomes = 30 if s_index == 0 else 5
        lists: dict[str, list] = {
            "aims": [Aim(pk=ids(Aim), schedule=schedule, position=i, text=sentence(rng)) for i in range(1, 4)],
            "outcomes": [Outcome(pk=ids(Outcome), schedule=schedule, position=i, text=sentence(rng))
                         for i in range(1, n_outcomes + 1)],
            "strategy_documents": [
                StrategyDocument(pk=ids(StrategyDocument), schedule=schedule, position=i,
                                 text=f"{agreement.reference} joint strategy {2018 + i}") for i in range(1, 3)],
            "kpis": [KeyPerformanceIndicator(pk=ids(KeyPerformanceIndicator), schedule=schedule, position=i,
                                             text=sentence(rng, 6, 12)) for i in range(1, 5)],
            "risks": [Risk(pk=ids(Risk), schedule=schedule, position=i, risk=sentence(rng, 6, 12),
                           mitigation=sentence(rng, 10, 20)) for i in range(1, 4)],
        }
        sections = [SpecificationSection(pk=ids(SpecificationSection), schedule=schedule, position=i,
                                         heading=heading) for i, heading in enumerate(["Context", "Service model"], 1)]
        paragraphs = []
        for section in sections:
            items = [SpecificationParagraph(pk=ids(SpecificationParagraph), section=section, position=i,
                                            text=sentence(rng, 15, 30),
                                            list_items="\n".join(sentence(rng, 3, 6) for _ in range(3)) if i == 2 else "")
                     for i in range(1, 4)]
            set_prefetched(section, "paragraphs", items)
            paragraphs += items
        lines = []
        combos = [(service, partner, year, kind) for year in YEARS for kind in ("pooled", "aligned")
                  for service in (SERVICES if s_index == 0 else services) for partner in party_partners]
        count = line_counts[s_index]
        if count > len(combos):  # a schedule with more lines than combinations: number the services
            combos = [(f"{service} {n}", partner, year, kind) for n in range(1, count // len(combos) + 2)
                      for service, partner, year, kind in combos]
        chosen = sorted(rng.sample(range(len(combos)), count))
        for position, combo_index in enumerate(chosen, start=1):
            service, partner, year, kind = combos[combo_index]
            status = rng.choice(["confirmed"] * 8 + ["to_be_agreed", "not_applicable", "within_block"])
            amount = None if status in ("not_applicable", "within_block") else money(rng)
            lines.append(BudgetLine(
                pk=ids(BudgetLine), schedule=schedule, position=position, service=service, partner=partner,
                financial_year=year, budget_type=kind, amount=amount, status=status,
                ring_fenced_public_health=service in ("Drug and alcohol treatment", "Sexual health", "Stop smoking"),
                notes="Subject to review" if status == "to_be_agreed" else "",
            ))
        for name, items in lists.items():
            set_prefetched(schedule, name, items)
        set_prefetched(schedule, "specification_sections", sections)
        set_prefetched(schedule, "budget_lines", lines)

        when = agreement_created + timedelta(days=rng.randrange(1, 90), minutes=rng.randrange(600))
        editor_ids = [editor_of[p.pk] for p in party_partners]
        revision = new_revision(batch, ct=schedule_ct, obj_id=schedule.pk, when=when,
                                user_id=rng.choice(editor_ids), kind="created", reason="Schedule entered from the signed copy")
        revision.snapshot = schedule_snapshot(schedule)
        children = [*[i for items in lists.values() for i in items], *sections, *paragraphs, *lines]
        batch.add(history_row(schedule, "+", revision))
        for obj in children:
            batch.add(history_row(obj, "+", revision))
        revisions = [revision]
        # Edits: each one revision that changes one row, with the historical row it wrote.
        n_edits = edit_counts[s_index]
        shares = sorted(rng.random() for _ in range(n_edits))
        with_amounts = [line for line in lines if line.amount is not None]
        for share in shares:
            when = max(moment(revision.created_at, share), revision.created_at + timedelta(seconds=1))
            what = rng.random()
            if what < 0.5 and with_amounts:
                line = rng.choice(with_amounts)
                line.amount = (line.amount * Decimal(rng.choice(["1.02", "0.98", "1.05", "1.01"]))).quantize(Decimal("0.01"))
                kind, reason, changed = ("imported", "Budget import: month 6 figures", line) if rng.random() < 0.3 \
                    else ("edited", rng.choice(REASONS), line)
            elif what < 0.7:
                schedule.services = sentence(rng, 30, 60)
                kind, reason, changed = "edited", rng.choice(REASONS), schedule
            elif what < 0.85:
                changed = rng.choice(lists["outcomes"])
                changed.text = sentence(rng)
                kind, reason = "edited", rng.choice(REASONS)
            else:
                changed = rng.choice(lists["kpis"])
                changed.text = sentence(rng, 6, 12)
                kind, reason = "edited", rng.choice(REASONS)
            revision = new_revision(batch, ct=schedule_ct, obj_id=schedule.pk, when=when,
                                    user_id=rng.choice(editor_ids), kind=kind, reason=reason,
                                    summary="1 changed" if kind == "imported" else "")
            revision.snapshot = schedule_snapshot(schedule)
            batch.add(history_row(changed, "~", revision))
            revisions.append(revision)
        if decision is not None:
            agreed = revisions[len(revisions) // 2] if s_index == 0 else rng.choice(revisions)
            batch.add(Version(pk=ids(Version), content_type_id=schedule_ct.pk, object_id=schedule.pk, number=1,
                              revision=agreed, decision=decision, agreed_by_id=agreed.user_id,
                              agreed_at=agreed.created_at + timedelta(hours=1)))
            totals["versions"] += 1
        batch.add(schedule)
        for obj in children:
            batch.add(obj)
        totals["schedules"] += 1
        totals["lines"] += len(lines)

    write_seconds: dict[str, float] = {}
    build_seconds = 0.0
    for first in range(0, n_agreements, CHUNK_AGREEMENTS):
        batch = Batch(seconds=write_seconds)
        built = time.perf_counter()
        for index in range(first, min(first + CHUNK_AGREEMENTS, n_agreements)):
            build_agreement(batch, index)
        build_seconds += time.perf_counter() - built
        historical = sum(len(rows) for model, rows in batch.rows.items() if model._meta.model_name.startswith("historical"))
        with transaction.atomic():
            batch.write(write_order)
        totals["historical"] += historical
        done = min(first + CHUNK_AGREEMENTS, n_agreements)
        if done % 200 == 0 or done == n_agreements:
            elapsed = time.perf_counter() - t
            out(f"  {done:,}/{n_agreements:,} agreements written ({elapsed:.0f} s)")
    t = lap(f"{totals['agreements']:,} agreements, {totals['schedules']:,} schedules, {totals['lines']:,} budget "
            f"lines, {totals['entries']:,} history entries ({totals['historical']:,} historical rows), "
            f"{totals['versions']:,} agreed versions", t)
    slowest = sorted(write_seconds.items(), key=lambda item: -item[1])[:4]
    out(f"    of which building rows and snapshots in memory {build_seconds:.1f} s; writing "
        f"{sum(write_seconds.values()):.1f} s (" + ", ".join(f"{name} {sec:.1f} s" for name, sec in slowest) + ")")

    monitoring_ids = fill_monitoring(rng, ids, editor_of, totals, out)
    t = lap(f"{totals['returns']:,} monitoring returns ({totals['return_entries']:,} entries), P1-P6 of "
            f"{MONITORING_YEAR}/{(MONITORING_YEAR + 1) % 100:02d} for every schedule", t)

    with connection.cursor() as cursor:  # explicit ids were inserted: move the sequences on
        for sql in connection.ops.sequence_reset_sql(no_style(), [*ids.next, *monitoring_ids.next]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    t = lap("sequences reset, statistics gathered", t)

    checked = verify(rng, bench)
    t = lap(f"checked {checked} documents against a fresh snapshot from the database", t)
    total = time.perf_counter() - started
    out(f"  total: {total:.1f} s")
    bench["timings"] = timings
    bench["totals"] = totals
    return bench


def fill_monitoring(rng: random.Random, ids: Ids, editor_of: dict[int, int], totals: dict[str, int], out) -> Ids:
    """A return for every schedule and each of MONITORING_PERIODS: an entry per budget line of MONITORING_YEAR,
    actuals rising through the year and forecasts near the budget (a few overspends, so some flags are red).
    Each return is created as the app creates it: one revision whose snapshot is `return_dict` of
    `entry_dict`s (the monitoring snapshot's own builders), and a "+" historical row per row it wrote."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from agreements.budget_values import financial_year_label
    from agreements.models import BudgetLine, Schedule
    from agreements.snapshots import partner_entry
    from budgets.monitoring.models import MonitoringEntry, MonitoringReturn, period_month
    from budgets.monitoring.snapshots import ENTRY_FIELDS, entry_dict, return_dict
    from documents.models import Revision
    from partnerships.models import Partner

    return_ct = ContentType.objects.get_for_model(MonitoringReturn)
    own = Ids([MonitoringReturn, MonitoringEntry])
    revision_id = max(ids.next[Revision], (Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1)
    partners = {p.pk: partner_entry(p) for p in Partner.objects.all()}
    schedule_ids = list(Schedule.objects.order_by("pk").values_list("pk", flat=True))
    totals.setdefault("returns", 0)
    totals.setdefault("return_entries", 0)
    label = financial_year_label(MONITORING_YEAR)
    order = [MonitoringReturn, MonitoringEntry, Revision, MonitoringReturn.history.model, MonitoringEntry.history.model]
    for first in range(0, len(schedule_ids), CHUNK_SCHEDULES):
        chunk = schedule_ids[first:first + CHUNK_SCHEDULES]
        schedules = Schedule.objects.select_related("agreement").in_bulk(chunk)
        lines_of: dict[int, list] = {}
        for line in BudgetLine.objects.filter(schedule_id__in=chunk, financial_year=MONITORING_YEAR).order_by(
                "schedule_id", *BudgetLine._meta.ordering):
            lines_of.setdefault(line.schedule_id, []).append(line)
        batch = Batch()
        for schedule_id in chunk:
            schedule, lines = schedules[schedule_id], lines_of.get(schedule_id, [])
            agreement = schedule.agreement
            user_id = editor_of.get(schedule.host_id) or editor_of.get(schedule.lead_commissioner_id)
            drift = {line.pk: Decimal(rng.choice(["0.96", "0.99", "1.00", "1.00", "1.01", "1.02", "1.05"]))
                     for line in lines}
            for period in MONITORING_PERIODS:
                obj = MonitoringReturn(pk=own(MonitoringReturn), schedule_id=schedule_id,
                                       financial_year=MONITORING_YEAR, period=period, note="")
                # Entered after the data's last edit (end_day), a day apart: each snapshot holds the budget
                # lines as they stand, which is what the historical rows give at that moment too.
                when = datetime(MONITORING_YEAR, 11, 1, 9, tzinfo=UTC) + timedelta(days=period, minutes=schedule_id % 600)
                revision = Revision(pk=revision_id, content_type_id=return_ct.pk, object_id=obj.pk, created_at=when,
                                    user_id=user_id, kind="created",
                                    reason=f"Monitoring return for {label} P{period} ({period_month(period)})")
                revision_id += 1
                entries, snapshot_entries, used = [], [], {}
                for position, line in enumerate(lines, start=1):
                    budget = line.amount
                    actual = None if budget is None else (budget * period / 12 * drift[line.pk]).quantize(Decimal("0.01"))
                    forecast = None if budget is None else (budget * drift[line.pk]).quantize(Decimal("0.01"))
                    entry = MonitoringEntry(pk=own(MonitoringEntry), monitoring_return_id=obj.pk,
                                            budget_line_id=line.pk, position=position, actual_to_date=actual,
                                            forecast_outturn=forecast,
                                            notes="Agency costs" if drift[line.pk] > 1 else "")
                    entries.append(entry)
                    used.setdefault(str(line.partner_id), partners[line.partner_id])
                    snapshot_entries.append(entry_dict(entry.pk, position, {f: getattr(entry, f) for f in ENTRY_FIELDS},
                                                       line))
                revision.snapshot = return_dict(obj, schedule, agreement, used, snapshot_entries)
                batch.add(obj)
                batch.add(revision)
                batch.add(history_row(obj, "+", revision))
                for entry in entries:
                    batch.add(entry)
                    batch.add(history_row(entry, "+", revision))
                totals["returns"] += 1
                totals["return_entries"] += len(entries)
                totals["entries"] += 1
        with transaction.atomic():
            batch.write(order)
    ids.next[Revision] = revision_id
    out(f"  monitoring: {totals['returns']:,} returns written")
    return own


def verify(rng: random.Random, bench: dict[str, Any]) -> int:
    """The latest revision of sampled documents equals the app's own snapshot of them now."""
    import json

    from agreements.models import Agreement, Schedule
    from agreements.snapshots import agreement_snapshot_by_id, schedule_snapshot_by_id
    from documents.revisions import latest_revision

    schedules = list(Schedule.objects.filter(agreement__reference=bench["reference"]))
    ids = list(Schedule.objects.values_list("pk", flat=True))
    schedules += list(Schedule.objects.filter(pk__in=rng.sample(ids, min(20, len(ids)))))
    agreements = list(Agreement.objects.filter(pk__in=[s.agreement_id for s in schedules[:10]]))
    from budgets.monitoring.models import MonitoringReturn
    from budgets.monitoring.snapshots import return_snapshot_by_id

    returns = list(MonitoringReturn.objects.filter(schedule__in=schedules[:10]))
    for obj, snapshot in [*((s, schedule_snapshot_by_id) for s in schedules),
                          *((a, agreement_snapshot_by_id) for a in agreements),
                          *((r, return_snapshot_by_id) for r in returns)]:
        stored = latest_revision(obj).snapshot
        fresh = json.loads(json.dumps(snapshot(obj.pk)))
        if stored != fresh:
            raise AssertionError(f"{obj}: the stored snapshot differs from the app's snapshot")
    return len(schedules) + len(agreements) + len(returns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000 agreements (default)")
    parser.add_argument("--seed", type=int, default=75)
    parser.add_argument("--force", action="store_true", help="add to a database that already holds agreements")
    args = parser.parse_args()
    from django.db import connection

    print(f"Filling {connection.vendor} database {connection.settings_dict['NAME']} "
          f"(scale {args.scale}, seed {args.seed})")
    fill(scale=args.scale, seed=args.seed, force=args.force)


if __name__ == "__main__":
    main()
