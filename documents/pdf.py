"""Render any versioned document as a tagged PDF/UA file: the renderer every app's PDFs share.

Each app prints its own documents (agreements/pdf.py, governance/pdf.py) from a Django template
that extends templates/documents/pdf/base.html (lang en-GB, print.css), fed by the same
presenters as its web pages, from a document dict: the live document, an agreed version's
stored snapshot, or the revision in force on a date (`choose_state`), so a version or an "as it
stood on" PDF prints exactly as the document then stood. This module knows no agreement,
schedule, board or budget.

Saved text is never trusted here, whatever the write services check: text that goes into the
page CSS (running header and footer) is written with `css_string`, every character outside a
small safe set as a CSS escape, and WeasyPrint fetches through `StaticFilesFetcher`, which serves
data: URIs and the service's own static files and refuses everything else.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import re
import string
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from documents.models import Version
from documents.revisions import is_draft, revision_as_of, versions_of

# Tagged PDF/UA-1; the language (en-GB) is the <html lang> of templates/documents/pdf/base.html.
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


PDF_CACHE_SECONDS = 7 * 24 * 3600  # settings.PDF_CACHE_SECONDS (config/settings.py, from the environment) decides; 0 is off
PDF_CACHE_MAX_BYTES = 5 * 1024 * 1024  # a larger file is made again rather than filling the cache


def _pdf_cache_key(html: str) -> str:
    """The HTML names everything printed (the stylesheet is inlined; only data: URIs are fetched), so the
    same HTML through the same WeasyPrint gives the same file: a changed word, date or version is a new key."""
    import weasyprint

    digest = hashlib.sha256(f"{weasyprint.__version__}|{sorted(PDF_OPTIONS.items())}|".encode() + html.encode())
    return f"pdf:{digest.hexdigest()}"


def render_pdf(html: str) -> bytes:
    """The tagged PDF/UA-1 file for an HTML string, fetching only static files.

    Kept in the cache (Redis when configured, so every node shares it) by the HTML's digest: WeasyPrint
    takes a second or two for a schedule, and in a board week many people print the same one."""
    seconds = getattr(settings, "PDF_CACHE_SECONDS", PDF_CACHE_SECONDS)
    key = _pdf_cache_key(html) if seconds else ""
    if key and (cached := cache.get(key)) is not None:
        return cached
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=static_files_fetcher())
    content = document.write_pdf(font_config=_font_config(), **PDF_OPTIONS)
    if key and len(content) <= PDF_CACHE_MAX_BYTES:
        cache.set(key, content, seconds)
    return content


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in the service's time zone: what "as it stood on" a date means."""
    return timezone.make_aware(datetime.combine(day, time.max))


def version_words(version: Version | None, draft: bool) -> list[str]:
    """How a footer names the state printed: "Version 2 · agreed 6 February 2018", or the draft
    mark and the version the changes are since. Shared so every document's footer reads alike."""
    words = []
    if draft:
        words.append(DRAFT_MARK)
        if version is not None:
            words.append(f"changes since version {version.number}")
    elif version is not None:
        words += [f"Version {version.number}", f"agreed {long_date(version.decision.decided_on)}"]
    return words


def choose_state(
    document, *, live: dict[str, Any] | None, live_loader: Callable[[], dict[str, Any]],
    versions: list[Version] | None = None, version: int | None = None, as_of: date | None = None, what: str,
) -> PrintState:
    """The state to print: version N, the state at the end of a date, or now; and whether it is a draft.

    Any app's printer calls this with its own document: ``live`` is the live dict when the caller
    already has it (else ``live_loader()`` builds it, only when now is asked for), ``versions`` the
    document's versions in number order when the caller fetched them in bulk (the pack does), and
    ``what`` names the document in the PrintError ("Schedule 3 has no version 4. …").
    """
    if version is not None and as_of is not None:
        raise PrintError("Choose a version or a date, not both.")
    if versions is None:
        versions = list(versions_of(document).order_by("number"))
    if version is not None:
        chosen = next((v for v in versions if v.number == version), None)
        if chosen is None:
            numbers = ", ".join(str(v.number) for v in versions) or "none yet"
            raise PrintError(f"{what} has no version {version}. Agreed versions: {numbers}.")
        return PrintState(chosen.revision.snapshot, chosen, False, status_words=version_words(chosen, False))
    if as_of is not None:
        moment = end_of_day(as_of)
        revision = revision_as_of(document, moment)
        if revision is None:
            raise PrintError(f"{what} did not exist on {long_date(as_of)}.")
        in_force = [v for v in versions if v.agreed_at <= moment]
        latest = in_force[-1] if in_force else None
        draft = is_draft(revision, latest)
        words = [f"as it stood on {long_date(as_of)}", *version_words(latest, draft)]
        return PrintState(revision.snapshot, latest, draft, as_of=as_of, status_words=words)
    snapshot = live if live is not None else live_loader()
    latest = versions[-1] if versions else None
    draft = is_draft(snapshot, latest)
    return PrintState(snapshot, latest, draft, status_words=version_words(latest, draft))


def heading_tags(top: int) -> dict[str, Any]:
    """The tag names a document partial uses for its h1–h4 (context keys "h1" … "h4"), shifted so
    its top heading is h<top>: h1 when the document is printed alone, h2 inside the agreement pack,
    so the pack keeps one heading outline. "h3_level" is the number for filters that write headings."""
    tags: dict[str, Any] = {f"h{level}": f"h{min(top + level - 1, 6)}" for level in (1, 2, 3, 4)}
    tags["h3_level"] = min(top + 2, 6)
    return tags
