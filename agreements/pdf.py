"""Print schedules, whole agreement packs and terms of reference as tagged PDF/UA files.

Every PDF is rendered by WeasyPrint from a Django template fed by the same presenters as the
web pages, from a document dict: the live document, an agreed version's stored snapshot, or
the revision in force on a date, so a version or an "as it stood on" PDF prints exactly as the
document then stood. Views and the export_pdf command call the three `*_pdf` functions.

Saved text is never trusted here, whatever the write services check: text that goes into the
page CSS (running header and footer) is written with `css_string`, every character outside a
small safe set as a CSS escape, and WeasyPrint fetches through `StaticFilesFetcher`, which serves
data: URIs and the service's own static files and refuses everything else.
"""

from __future__ import annotations

import functools
import mimetypes
import re
import string
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from agreements.documents import agreement_queryset, agreement_snapshot, schedule_queryset, schedule_snapshot
from agreements.models import Agreement, Schedule
from agreements.presenters import present_agreement, present_schedule
from documents.models import Version
from documents.revisions import is_draft, revision_as_of, versions_of

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


# Characters written into a CSS string as they are; every other character becomes a hex escape.
CSS_SAFE = frozenset(string.ascii_letters + string.digits + " .,:'()/-_!?#%+=@&")
# What plain text means by a line break (CSS itself reads CR, CRLF and form feed as line ends).
LINE_BREAKS = re.compile(r"\r\n|[\r\n\f\v\x1c\x1d\x1e\x85\u2028\u2029]")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _css_escape(char: str) -> str:
    # Six hex digits and a space: the escape can neither run into the next character nor be cut short.
    return f"\\{ord(char):06X} "


def css_string(text: str) -> SafeString:
    """A CSS string literal for any text, safe inside a <style> element.

    Every character but letters, digits, the space and harmless punctuation is written as a CSS
    hex escape, so no saved text can end the string (quote, backslash, CR, LF, form feed), the
    rule or the <style> element. Line breaks print as line breaks; other control characters,
    which have no glyph, as the replacement character.
    """
    text = CONTROL.sub("\ufffd", LINE_BREAKS.sub("\n", text))
    escaped = "".join(char if char in CSS_SAFE else _css_escape(char) for char in text)
    return mark_safe(f'"{escaped}"')


def file_name_part(text: str) -> str:
    """Text made safe for a file name and a Content-Disposition header: letters, digits, . _ -."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "document"


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


class PdfFetchRefused(ValueError):
    """WeasyPrint asked for something other than a data: URI or one of the service's static files."""


def _static_roots() -> list[tuple[str, Path]]:
    """(URL prefix, folder) for each static files folder: STATICFILES_DIRS, then STATIC_ROOT."""
    roots = []
    for entry in settings.STATICFILES_DIRS:
        prefix, folder = entry if isinstance(entry, list | tuple) else ("", entry)
        roots.append((str(prefix).strip("/"), Path(folder).resolve()))
    if settings.STATIC_ROOT:
        roots.append(("", Path(settings.STATIC_ROOT).resolve()))
    return roots


def static_file_for(url: str) -> Path | None:
    """The static file a file: URL names, by its path in a static folder or by its STATIC_URL path
    (``/static/css/print.css``, as ``{% static %}`` writes it); None for anything else."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    roots = _static_roots()
    candidates = [Path(urllib.request.url2pathname(parts.path))]
    static_path = urllib.parse.urlsplit(settings.STATIC_URL or "").path
    if static_path.startswith("/") and static_path != "/" and parts.path.startswith(static_path):
        relative = urllib.request.url2pathname(parts.path[len(static_path):])
        for prefix, folder in roots:
            if not prefix:
                candidates.append(folder / relative)
            elif relative.startswith(f"{prefix}/"):
                candidates.append(folder / relative[len(prefix) + 1:])
    for candidate in candidates:
        try:
            found = candidate.resolve(strict=True)  # follows links and "..": the real file must be inside
        except (OSError, RuntimeError):
            continue
        if found.is_file() and any(found.is_relative_to(folder) for _, folder in roots):
            return found
    return None


@functools.cache
def _static_files_fetcher_class() -> type:
    # Made on first use, so that importing this module (every URL conf does) does not import WeasyPrint.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """WeasyPrint's fetcher for our PDFs: data: URIs (the draft watermark) and files in the
        static folders only. Anything else (http, https, ftp, file outside the static folders,
        devices such as /dev/zero) raises PdfFetchRefused before a byte is read; WeasyPrint logs
        the error and leaves the resource out."""

        def __init__(self) -> None:
            super().__init__(timeout=5, allowed_protocols=("data",), allow_redirects=False)

        def fetch(self, url: str, headers: dict[str, str] | None = None):
            scheme = url.partition(":")[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            path = static_file_for(url) if scheme == "file" else None
            if path is None:
                raise PdfFetchRefused(
                    f"Refused to fetch {url[:200]!r}: a PDF may use only data: URIs and the service's static files."
                )
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.open("rb"), {"Content-Type": content_type})

    return StaticFilesFetcher


def static_files_fetcher():
    """A WeasyPrint URL fetcher that serves data: URIs and the service's static files, and refuses the rest."""
    return _static_files_fetcher_class()()


def render_pdf(html: str) -> bytes:
    """WeasyPrint alone: the tagged PDF/UA-1 file for an HTML string, fetching only static files."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=static_files_fetcher())
    return document.write_pdf(font_config=_font_config(), **PDF_OPTIONS)


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
        draft = is_draft(revision, latest)
        words = [f"as it stood on {long_date(as_of)}", *_version_words(latest, draft)]
        return PrintState(revision.snapshot, latest, draft, as_of=as_of, status_words=words)
    snapshot = live if live is not None else live_loader()
    latest = versions[-1] if versions else None
    draft = is_draft(snapshot, latest)
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
    return html, title, f"{file_name_part(agreement['reference'])}-schedule-{number}-{state.file_suffix}.pdf"


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
    slug = file_name_part(board.short_name or f"board-{board.pk}")
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
        "schedules": sections,
        "annexes": annexes,
        "watermark": "",
        "draft_watermark": DRAFT_WATERMARK,
        "subject": f"Agreement pack {presented['reference']}",
        **_heading_tags(1),
    })
    suffix = f"-as-of-{as_of.isoformat()}" if as_of else ""
    return html, title, f"{file_name_part(presented['reference'])}-pack{suffix}.pdf"


def agreement_pack_pdf(agreement: Agreement, *, as_of: date | None = None) -> Pdf:
    html, title, filename = agreement_pack_html(agreement, as_of=as_of)
    return Pdf(render_pdf(html), filename, title)
