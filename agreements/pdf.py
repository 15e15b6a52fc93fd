"""Print a schedule, or a whole agreement pack, as a tagged PDF/UA file.

The renderer (fonts, PDF/UA, the static-only fetcher, CSS escaping, draft marking, choosing the
state printed) is the kernel's, `documents.pdf`; this module says what a schedule and a pack
print, with the templates in templates/agreements/pdf/. Views and the export_pdf command call
`schedule_pdf` and `agreement_pack_pdf`.

The pack's annexes come from the apps above, by registration: each `register_annex` provider
(governance registers the managing boards' terms of reference) returns the `Annexes` it adds for
an agreement, so this module imports nothing from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from agreements.models import Agreement, PartyDecision, Schedule, VariationDocument, VariationStatus
from agreements.presenters import present_agreement, present_schedule
from agreements.snapshots import agreement_queryset, agreement_snapshot, schedule_queryset, schedule_snapshot
from documents.models import Version
from documents.pdf import (
    DRAFT_WATERMARK,
    Pdf,
    PrintError,
    PrintState,
    choose_state,
    css_string,
    end_of_day,
    file_name_part,
    heading_tags,
    long_date,
    render_pdf,
)
from documents.revisions import versions_of


@dataclass(frozen=True)
class AnnexSection:
    """One annex of the pack: the partial that prints it (included with ``part`` set to
    ``part`` below, plus the pack's "letter" and "anchor") and the title its contents line shows."""

    template: str
    title: str
    part: dict[str, Any]


@dataclass(frozen=True)
class Annexes:
    """What one provider adds to an agreement's pack: the annexes and the cover's words for them,
    such as "the terms of reference of the board that manages it in an annex"."""

    description: str = ""
    sections: list[AnnexSection] = field(default_factory=list)


AnnexProvider = Callable[..., Annexes]  # (agreement, *, as_of: date | None) -> Annexes
_annex_providers: list[AnnexProvider] = []


def register_annex(provider: AnnexProvider) -> AnnexProvider:
    """Add a pack annex provider, from the owning app's AppConfig.ready(); annexes print in the
    order providers registered. Registering the same provider twice adds it once."""
    if provider not in _annex_providers:
        _annex_providers.append(provider)
    return provider


def _versions_by_object(model, ids: list[int]) -> dict[int, list[Version]]:
    grouped: dict[int, list[Version]] = {pk: [] for pk in ids}
    rows = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    ).select_related("decision", "revision").order_by("number")
    for row in rows:
        grouped[row.object_id].append(row)
    return grouped


def _party_names(snapshot: dict[str, Any], party_ids: list[int]) -> list[str]:
    partners = snapshot.get("partners", {})
    return [partners[str(pid)]["name"] for pid in party_ids if str(pid) in partners]


# Schedules ----------------------------------------------------------------------------------


def _schedule_state(schedule: Schedule, *, version: int | None, as_of: date | None, versions=None) -> PrintState:
    live = None
    if version is None and as_of is None and hasattr(schedule, "_prefetched_objects_cache"):
        live = schedule_snapshot(schedule)
    return choose_state(
        schedule, live=live, live_loader=lambda: schedule_snapshot(schedule_queryset().get(pk=schedule.pk)),
        versions=versions, version=version, as_of=as_of, what=f"Schedule {schedule.number}",
    )


def _schedule_section(state: PrintState, *, top: int) -> dict[str, Any]:
    schedule = present_schedule(state.snapshot)
    footer = " · ".join([f"Schedule {schedule['number']}", *state.status_words])
    if schedule["withdrawn"]:
        footer = f"{footer} · Withdrawn"
    return {
        "schedule": schedule, "state": state, "footer": footer, "footer_css": css_string(footer),
        "draft": state.draft, "anchor": f"schedule-{schedule['number']}", **heading_tags(top),
    }


def schedule_document(
    schedule: Schedule, *, version: int | None = None, as_of: date | None = None
) -> tuple[str, str, str]:
    """The schedule's HTML, title and file name (the benchmark times WeasyPrint alone on this HTML)."""
    state = _schedule_state(schedule, version=version, as_of=as_of)
    section = _schedule_section(state, top=1)
    snapshot = state.snapshot
    agreement = snapshot["agreement"]
    parties = _party_names(snapshot, agreement.get("party_ids", []))
    number = section["schedule"]["number"]
    title = f"{section['schedule']['heading']} — {agreement['title']}"
    html = render_to_string("agreements/pdf/schedule.html", {
        **section,
        "section": section,
        "document_title": title,
        "authors": parties,
        "header_css": css_string(f"{agreement['title']}\n{' · '.join(parties)}"),
        "watermark": DRAFT_WATERMARK if state.draft else "",
        "subject": f"{agreement['reference']} Schedule {number}",
    })
    return html, title, f"{file_name_part(agreement['reference'])}-schedule-{number}-{state.file_suffix}.pdf"


def schedule_pdf(schedule: Schedule, *, version: int | None = None, as_of: date | None = None) -> Pdf:
    """Schedule N now, as agreed in version N, or as it stood at the end of a date."""
    html, title, filename = schedule_document(schedule, version=version, as_of=as_of)
    return Pdf(render_pdf(html), filename, title)


# The agreement pack -------------------------------------------------------------------------


def _annexes(agreement: Agreement, *, as_of: date | None) -> tuple[list[str], list[dict[str, Any]]]:
    """Every registered provider's annexes, lettered A, B, … in order, and the cover's words for them."""
    descriptions: list[str] = []
    annexes: list[dict[str, Any]] = []
    for provider in _annex_providers:
        added = provider(agreement, as_of=as_of)
        if not added.sections:
            continue
        descriptions.append(added.description)
        for section in added.sections:
            number = len(annexes) + 1
            letter = chr(ord("A") + number - 1)
            annexes.append({
                "template": section.template, "title": section.title, "letter": letter,
                "anchor": f"annex-{number}", "part": {**section.part, "letter": letter, "anchor": f"annex-{number}"},
            })
    return descriptions, annexes


def agreement_pack_html(agreement: Agreement, *, as_of: date | None = None) -> tuple[str, str, str]:
    """The pack's HTML, title and file name: cover, contents, clauses, schedules, annexes."""
    agreement = agreement_queryset().get(pk=agreement.pk)
    agreement_versions = list(versions_of(agreement).order_by("number"))
    state = choose_state(
        agreement, live=None, live_loader=lambda: agreement_snapshot(agreement), versions=agreement_versions,
        as_of=as_of, what=f"Agreement {agreement.reference}",
    )
    presented = present_agreement(state.snapshot)
    parties = [party["name"] for party in presented["parties"]]

    schedules = list(schedule_queryset().filter(agreement=agreement).order_by("number"))
    schedule_versions = _versions_by_object(Schedule, [s.pk for s in schedules])
    sections = []
    for schedule in schedules:
        try:
            schedule_state = _schedule_state(
                schedule, version=None, as_of=as_of, versions=schedule_versions[schedule.pk]
            )
        except PrintError:
            continue  # the schedule did not exist yet on that date
        sections.append(_schedule_section(schedule_state, top=2))

    descriptions, annexes = _annexes(agreement, as_of=as_of)
    title = f"{presented['title']} ({presented['reference']})"
    variations = agreed_variations(agreement, as_of=as_of)
    html = render_to_string("agreements/pdf/agreement_pack.html", {
        "agreement": presented,
        "state": state,
        "as_of": as_of,
        "as_of_text": long_date(as_of),
        "printed_on": long_date(timezone.localdate()),
        "document_title": title,
        "authors": parties,
        "header_css": css_string(f"{presented['title']}\n{' · '.join(parties)}"),
        "schedules": sections,
        "annexes": annexes,
        "variations": variations,
        "annex_description": " and ".join(descriptions),
        "watermark": "",
        "draft_watermark": DRAFT_WATERMARK,
        "subject": f"Agreement pack {presented['reference']}",
        **heading_tags(1),
    })
    suffix = f"-as-of-{as_of.isoformat()}" if as_of else ""
    return html, title, f"{file_name_part(presented['reference'])}-pack{suffix}.pdf"


def agreed_variations(agreement: Agreement, *, as_of: date | None = None) -> list[dict[str, Any]]:
    """The variations that had taken effect (by the end of `as_of`), oldest first, as the pack prints them."""
    variations = agreement.variations.filter(status=VariationStatus.AGREED).order_by("number").prefetch_related(
        Prefetch("decisions", queryset=PartyDecision.objects.select_related("partner", "decision").defer("revisions")),
        Prefetch("documents", queryset=VariationDocument.objects.select_related("version")),
    )
    if as_of is not None:
        variations = variations.filter(closed_at__lte=end_of_day(as_of))  # London's day, not a naive UTC midnight
    return [{
        "number": v.number, "title": v.title, "effective_date": v.effective_date,
        "changes": [f"{d.label}: version {d.version.number}{' (new)' if d.before_id is None else ''}"
                    for d in v.documents.all() if d.version_id],
        "decisions": list(v.decisions.all()),
    } for v in variations]


def agreement_pack_pdf(agreement: Agreement, *, as_of: date | None = None) -> Pdf:
    html, title, filename = agreement_pack_html(agreement, as_of=as_of)
    return Pdf(render_pdf(html), filename, title)
