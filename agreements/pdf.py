"""Print schedules, whole agreement packs and terms of reference as tagged PDF/UA files.

Every PDF is rendered by WeasyPrint from a Django template fed by the same presenters as the
web pages, from a document dict: the live document, an agreed version's stored snapshot, or
the revision in force on a date, so a version or an "as it stood on" PDF prints exactly as the
document then stood. Views and the export_pdf command call the three `*_pdf` functions.
"""

from __future__ import annotations

import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from agreements.documents import agreement_queryset, agreement_snapshot, schedule_queryset, schedule_snapshot
from agreements.models import Agreement, Schedule
from agreements.presenters import present_agreement, present_schedule
from agreements.revisions import revision_as_of, versions_of
from documents.models import Version

PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
DRAFT_MARK = "DRAFT — not agreed"


class PrintError(Exception):
    """The requested document, version or date does not exist; the message says which."""


@dataclass
class Pdf:
    content: bytes
    filename: str
    title: str


@dataclass
class PrintState:
    """Which state of a document is printed and how its footer describes it."""

    snapshot: dict[str, Any]
    version: Version | None
    draft: bool
    as_of: date | None = None
    status_words: list[str] = field(default_factory=list)

    @property
    def file_suffix(self) -> str:
        if self.as_of is not None:
            return f"as-of-{self.as_of.isoformat()}"
        return "draft" if self.draft or self.version is None else f"v{self.version.number}"


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def css_string(text: str) -> SafeString:
    """A CSS string literal, safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return mark_safe(f'"{escaped}"')


def _watermark_uri() -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="850" viewBox="0 0 600 850">'
        '<text x="300" y="425" text-anchor="middle" font-family="Liberation Sans, DejaVu Sans, sans-serif" '
        'font-weight="bold" font-size="70" fill="#b10e1e" fill-opacity="0.14" transform="rotate(-52 300 425)">'
        f"{DRAFT_MARK}</text></svg>"
    )
    return "data:image/svg+xml," + urllib.parse.quote(svg)


DRAFT_WATERMARK = mark_safe(f'url("{_watermark_uri()}")')


_fonts = threading.local()


def _font_config():
    """One font configuration per thread, reused across renders (it caches the system fonts)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def render_pdf(html: str) -> bytes:
    """WeasyPrint alone: the tagged PDF/UA-1 file for an HTML string."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_font_config(), **PDF_OPTIONS)


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def _version_words(version: Version | None, draft: bool) -> list[str]:
    words = []
    if draft:
        words.append(DRAFT_MARK)
        if version is not None:
            words.append(f"changes since version {version.number}")
    elif version is not None:
        words += [f"Version {version.number}", f"agreed {long_date(version.decision.decided_on)}"]
    return words


def _choose_state(
    document, *, live: dict[str, Any] | None, live_loader, versions: list[Version] | None = None,
    version: int | None = None, as_of: date | None = None, what: str,
) -> PrintState:
    """The state to print: version N, the state on a date, or now; and whether it is a draft."""
    if version is not None and as_of is not None:
        raise PrintError("Choose a version or a date, not both.")
    if versions is None:
        versions = list(versions_of(document).order_by("number"))
    if version is not None:
        chosen = next((v for v in versions if v.number == version), None)
        if chosen is None:
            numbers = ", ".join(str(v.number) for v in versions) or "none yet"
            raise PrintError(f"{what} has no version {version}. Agreed versions: {numbers}.")
        return PrintState(chosen.revision.snapshot, chosen, False, status_words=_version_words(chosen, False))
    if as_of is not None:
        moment = _end_of_day(as_of)
        revision = revision_as_of(document, moment)
        if revision is None:
            raise PrintError(f"{what} did not exist on {long_date(as_of)}.")
        in_force = [v for v in versions if v.agreed_at <= moment]
        latest = in_force[-1] if in_force else None
        draft = latest is None or latest.revision.snapshot != revision.snapshot
        words = [f"as it stood on {long_date(as_of)}", *_version_words(latest, draft)]
        return PrintState(revision.snapshot, latest, draft, as_of=as_of, status_words=words)
    snapshot = live if live is not None else live_loader()
    latest = versions[-1] if versions else None
    draft = latest is None or latest.revision.snapshot != snapshot
    return PrintState(snapshot, latest, draft, status_words=_version_words(latest, draft))


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


def _heading_tags(top: int) -> dict[str, str]:
    tags: dict[str, Any] = {f"h{level}": f"h{min(top + level - 1, 6)}" for level in (1, 2, 3, 4)}
    tags["h3_level"] = min(top + 2, 6)
    return tags


# Schedules ----------------------------------------------------------------------------------


def _schedule_state(schedule: Schedule, *, version: int | None, as_of: date | None, versions=None) -> PrintState:
    live = None
    if version is None and as_of is None and hasattr(schedule, "_prefetched_objects_cache"):
        live = schedule_snapshot(schedule)
    return _choose_state(
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
        "draft": state.draft, "anchor": f"schedule-{schedule['number']}", **_heading_tags(top),
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
    html = render_to_string("pdf/schedule.html", {
        **section,
        "section": section,
        "document_title": title,
        "authors": parties,
        "header_css": css_string(f"{agreement['title']}\n{' · '.join(parties)}"),
        "watermark": DRAFT_WATERMARK if state.draft else "",
        "subject": f"{agreement['reference']} Schedule {number}",
    })
    return html, title, f"{agreement['reference']}-schedule-{number}-{state.file_suffix}.pdf"


def schedule_pdf(schedule: Schedule, *, version: int | None = None, as_of: date | None = None) -> Pdf:
    """Schedule N now, as agreed in version N, or as it stood at the end of a date."""
    html, title, filename = schedule_document(schedule, version=version, as_of=as_of)
    return Pdf(render_pdf(html), filename, title)


# Terms of reference -------------------------------------------------------------------------


def _terms_state(terms, *, version: int | None, as_of: date | None, versions=None) -> PrintState:
    from governance.documents import terms_snapshot_by_id

    return _choose_state(
        terms, live=None, live_loader=lambda: terms_snapshot_by_id(terms.pk), versions=versions,
        version=version, as_of=as_of, what=f"The terms of reference of {terms.board.name}",
    )


def _terms_words(state: PrintState) -> list[str]:
    # Terms of reference are approved rather than agreed.
    return [word.replace("agreed", "approved") for word in state.status_words]


def _terms_section(state: PrintState, *, top: int, anchor: str = "terms") -> dict[str, Any]:
    from governance.presenters import present_terms

    terms = present_terms(state.snapshot)
    footer = " · ".join([terms["board_short_name"] or terms["board_name"], "Terms of reference", *_terms_words(state)])
    return {
        "terms": terms, "state": state, "footer": footer, "footer_css": css_string(footer),
        "draft": state.draft, "anchor": anchor, **_heading_tags(top),
    }


def terms_pdf(board, *, version: int | None = None, as_of: date | None = None) -> Pdf:
    """A board's terms of reference now, as approved in version N, or as they stood on a date."""
    from governance.models import TermsOfReference

    try:
        terms = board.terms
    except TermsOfReference.DoesNotExist:
        raise PrintError(f"{board.name} has no terms of reference yet.") from None
    state = _terms_state(terms, version=version, as_of=as_of)
    section = _terms_section(state, top=1)
    agreements = list(board.agreements.prefetch_related("parties__partner"))
    authors: list[str] = []
    for agreement in agreements:
        for party in agreement.parties.all():
            if party.partner.name not in authors:
                authors.append(party.partner.name)
    title = f"{section['terms']['title']} — {board.name}"
    html = render_to_string("pdf/terms.html", {
        **section,
        "section": section,
        "document_title": title,
        "authors": authors or [board.name],
        "header_css": css_string(f"{board.name}\n{' · '.join(authors)}" if authors else board.name),
        "watermark": DRAFT_WATERMARK if state.draft else "",
        "subject": f"Terms of reference of {board.name}",
    })
    slug = (board.short_name or f"board-{board.pk}").replace(" ", "-")
    return Pdf(render_pdf(html), f"{slug}-terms-of-reference-{state.file_suffix}.pdf", title)


# The agreement pack -------------------------------------------------------------------------


def agreement_pack_html(agreement: Agreement, *, as_of: date | None = None) -> tuple[str, str, str]:
    """The pack's HTML, title and file name: cover, contents, clauses, schedules, annexes."""
    agreement = agreement_queryset().get(pk=agreement.pk)
    agreement_versions = list(versions_of(agreement).order_by("number"))
    state = _choose_state(
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

    annexes = []
    from governance.models import Board

    boards = Board.objects.filter(agreements=agreement).select_related("terms").order_by("name")
    for index, board in enumerate(boards, start=1):
        terms = getattr(board, "terms", None)
        if terms is None:
            continue
        try:
            terms_state = _terms_state(terms, version=None, as_of=as_of)
        except PrintError:
            continue
        annex = _terms_section(terms_state, top=2, anchor=f"annex-{index}")
        annex["letter"] = chr(ord("A") + len(annexes))
        annexes.append(annex)

    pack_words = [*state.status_words]
    if state.draft and state.version is None:
        pack_words = []
    title = f"{presented['title']} ({presented['reference']})"
    html = render_to_string("pdf/agreement_pack.html", {
        "agreement": presented,
        "state": state,
        "as_of": as_of,
        "as_of_text": long_date(as_of),
        "printed_on": long_date(timezone.localdate()),
        "document_title": title,
        "authors": parties,
        "header_css": css_string(f"{presented['title']}\n{' · '.join(parties)}"),
        "cover_footer_css": css_string(" · ".join([presented["reference"], *pack_words])),
        "schedules": sections,
        "annexes": annexes,
        "watermark": "",
        "draft_watermark": DRAFT_WATERMARK,
        "subject": f"Agreement pack {presented['reference']}",
        **_heading_tags(1),
    })
    suffix = f"-as-of-{as_of.isoformat()}" if as_of else ""
    return html, title, f"{presented['reference']}-pack{suffix}.pdf"


def agreement_pack_pdf(agreement: Agreement, *, as_of: date | None = None) -> Pdf:
    html, title, filename = agreement_pack_html(agreement, as_of=as_of)
    return Pdf(render_pdf(html), filename, title)
