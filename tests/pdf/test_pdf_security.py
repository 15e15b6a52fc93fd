"""PDFs are safe on their own: saved text cannot write CSS, and WeasyPrint fetches nothing but our static files.

The payloads go straight into the database with queryset .update(), past every write service, so
these tests prove the PDF layer alone: a carriage return or form feed in a title ends a CSS
string, and whatever follows would be read as CSS that makes the server fetch URLs. A loopback
listener counts any connection; a spy on WeasyPrint's fetcher records every URL it is asked for.
"""

from __future__ import annotations

import io
import logging
import re
import socketserver
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from agreements.pdf import agreement_pack_pdf, schedule_document, schedule_pdf
from documents.pdf import PdfFetchRefused, render_pdf, static_files_fetcher
from governance.pdf import terms_pdf
from tests.pdf.conftest import pages_text

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PNG_DATA_URI = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAIAAAFUok9dAAAAAElFTkSuQmCC"


@pytest.fixture
def listener():
    """A TCP server on 127.0.0.1 at a random port that records every connection and hangs up."""
    hits: list[tuple[str, int]] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            hits.append(self.client_address)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    yield SimpleNamespace(port=port, url=f"http://127.0.0.1:{port}", hits=hits)
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def requested(monkeypatch):
    """Every URL WeasyPrint asks its fetcher for. file: URLs are refused here, so that code without
    the fix fails the test instead of reading /dev/zero for ever; other URLs go to the real fetcher."""
    from weasyprint.urls import URLFetcher

    urls: list[str] = []
    original = URLFetcher.__call__

    def spy(self, url):
        urls.append(url)
        if url.lower().startswith("file:"):
            raise PermissionError(f"test spy refused {url}")
        return original(self, url)

    monkeypatch.setattr(URLFetcher, "__call__", spy)
    return urls


def payload(separator: str, url: str, label: str) -> str:
    """Text that, were it copied into a CSS string as it stands, would end the string and add rules."""
    return (
        f"{label}{separator}}} }} @font-face {{ font-family: Leak; src: url({url}/font) }} "
        f"body {{ background-image: url({url}) }} @page {{ @top-left {{ content: \""
    )


def short_payload(separator: str, url: str) -> str:
    """The same attack within a reference's 60 characters (PostgreSQL enforces the length)."""
    text = f"R{separator}}} body{{background:url({url})}}"
    assert len(text) <= 60
    return text


def poison(separator: str, url: str) -> SimpleNamespace:
    """Put the payload into every saved text that reaches a PDF's CSS: the agreement's title and
    reference, its partners' names, the managing board's name (which the terms footer prints when
    the short name is blank) and, for a version PDF, the stored snapshot the version prints."""
    from agreements.models import Agreement
    from documents.models import Revision
    from documents.revisions import versions_of
    from governance.models import Board
    from partnerships.models import Partner

    agreement = Agreement.objects.get(reference="CAMBS-CHJC-S75-2014")
    board = Board.objects.get(agreements=agreement, terms__isnull=False)
    Agreement.objects.filter(pk=agreement.pk).update(
        title=payload(separator, url, "Cambs S75"), reference=short_payload(separator, url),
    )
    partner_ids = list(agreement.parties.values_list("partner_id", flat=True))
    for pk in partner_ids:
        Partner.objects.filter(pk=pk).update(name=payload(separator, url, f"Partner {pk}"))
    Board.objects.filter(pk=board.pk).update(name=payload(separator, url, "Board"), short_name="")
    schedule = agreement.schedules.order_by("number").first()
    version = versions_of(schedule).order_by("number").first()
    if version is not None:
        snapshot = version.revision.snapshot
        snapshot["agreement"]["title"] = payload(separator, url, "Stored title")
        for entry in snapshot.get("partners", {}).values():
            entry["name"] = payload(separator, url, "Stored partner")
        Revision.objects.filter(pk=version.revision_id).update(snapshot=snapshot)
    agreement.refresh_from_db()
    board.refresh_from_db()
    return SimpleNamespace(agreement=agreement, board=board, schedule=schedule, version=version)


def _documents(found: SimpleNamespace):
    yield "schedule", schedule_pdf(found.schedule)
    if found.version is not None:
        yield "schedule version", schedule_pdf(found.schedule, version=found.version.number)
    yield "pack", agreement_pack_pdf(found.agreement)
    yield "terms", terms_pdf(found.board)


@pytest.mark.parametrize("separator", ["\r", "\f", "\r\n", "\n"], ids=["CR", "FF", "CRLF", "LF"])
@pytest.mark.parametrize("target", ["listener", "file:///etc/passwd", "file:///dev/zero"])
def test_saved_text_cannot_add_css_to_a_pdf(demo, db, listener, requested, separator, target):
    url = listener.url if target == "listener" else target
    found = poison(separator, url)
    assert found.schedule is not None
    for name, pdf in _documents(found):
        assert pdf.content.startswith(b"%PDF-"), name
        assert re.fullmatch(r"[A-Za-z0-9._-]+\.pdf", pdf.filename), pdf.filename  # safe in a header and a path
        # A form feed saved in a name the HTML prints (a schedule's lead commissioner) has no glyph,
        # and pypdf then reads that page's text with NULs between the letters.
        text = " ".join(pages_text(pdf.content)).replace("\x00", "")
        # The payload is printed as the words it is, in the running header...
        assert "body { background-image: url(" in text, name
        assert "@font-face { font-family: Leak" in text, name
        # ...and nothing it names was asked for.
        assert [u for u in requested if not u.startswith("data:")] == [], name
        assert listener.hits == [], name


def test_the_header_still_reads_title_then_parties(demo, db):
    from agreements.models import Agreement

    haringey = Agreement.objects.get(reference="HARINGEY-S75-2017")
    Agreement.objects.filter(pk=haringey.pk).update(title='Quotes "double" \\ back <b> {braces}; 100% · — é')
    pages = pages_text(schedule_pdf(haringey.schedules.get(number=6)).content)
    assert 'Quotes "double" \\ back <b> {braces}; 100% · — é Haringey Council · NHS Haringey CCG' in pages[0]


def test_css_string_escapes_everything_outside_a_safe_set():
    from documents.pdf import css_string

    literal = css_string('A b-1.\r\f\n"\\<>{};*é\x01')
    assert literal.startswith('"') and literal.endswith('"')
    inner = literal[1:-1]
    for char in '\r\f\n"\x01<>{};*é':
        assert char not in inner
    assert inner.startswith("A b-1.")
    assert inner.count("\\00000A ") == 3  # CR, form feed and line feed each print as a line break
    assert "\\000022 \\00005C \\00003C \\00003E \\00007B \\00007D \\00003B \\00002A \\0000E9 " in inner
    assert inner.endswith("\\00FFFD ")  # any other control character prints as the replacement character
    assert css_string("a\r\nb") == '"a\\00000A b"'


# The fetcher ----------------------------------------------------------------------------------


def _page_images(content: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages)


def test_render_pdf_refuses_every_url_but_data_and_static_files(listener, caplog, tmp_path, settings):
    static_dir = tmp_path / "static"
    static_dir.mkdir()
    (static_dir / "dot.png").write_bytes(PNG)
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    (static_dir / "link.png").symlink_to(outside)
    settings.STATICFILES_DIRS = [static_dir]
    refused = [
        "file:///etc/passwd",
        f"file://{outside}",
        f"file://{static_dir}/../outside.png",
        f"file://{static_dir}/link.png",
        f"{listener.url}/img.png",
        f"https://127.0.0.1:{listener.port}/img.png",
        f"ftp://127.0.0.1:{listener.port}/img.png",
        "../../../../../../etc/passwd",
    ]
    html = (
        "<!DOCTYPE html><html lang='en-GB'><head><title>t</title>"
        f"<link rel='stylesheet' href='{listener.url}/style.css'>"
        f"<style>@font-face {{ font-family: Leak; src: url({listener.url}/font.woff) }}"
        " body { background-image: url(file:///etc/passwd) }</style></head><body>"
        + "".join(f"<p><img src='{url}' alt='refused'></p>" for url in refused)
        + "<object data='file:///etc/passwd'></object><a rel='attachment' href='file:///etc/passwd'>a</a>"
        + "</body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        content = render_pdf(html)
    assert content.startswith(b"%PDF-")
    assert listener.hits == []
    assert _page_images(content) == 0
    assert b"root:" not in content and "root:" not in " ".join(pages_text(content))
    assert "refused" in caplog.text.lower() and "file:///etc/passwd" in caplog.text


def test_render_pdf_keeps_data_uris_and_the_projects_static_files(tmp_path, settings):
    static_dir = tmp_path / "static"
    (static_dir / "images").mkdir(parents=True)
    (static_dir / "images" / "dot.png").write_bytes(PNG)
    settings.STATICFILES_DIRS = [static_dir]
    settings.STATIC_URL = "/static/"
    html = (
        "<!DOCTYPE html><html lang='en-GB'><head><title>t</title></head><body>"
        f"<p><img src='{PNG_DATA_URI}' alt='data'></p>"
        f"<p><img src='file://{static_dir}/images/dot.png' alt='static by path'></p>"
        "<p><img src='/static/images/dot.png' alt='static by URL'></p>"
        "</body></html>"
    )
    assert _page_images(render_pdf(html)) == 3


def test_the_draft_watermark_data_uri_is_still_fetched(schedule_6, caplog):
    from agreements.services.schedules import schedule_update
    from agreements.snapshots import schedule_queryset, schedule_snapshot

    outcomes = schedule_snapshot(schedule_queryset().get(pk=schedule_6.pk))["outcomes"]
    outcomes[0]["text"] = "A change that is not agreed."
    schedule_update(schedule=schedule_6, document={"outcomes": outcomes}, expected_edit_count=None, reason="Draft")
    fetched = []
    fetcher = static_files_fetcher()
    original = fetcher.fetch

    def recording(url, headers=None):
        response = original(url, headers)
        fetched.append((url[:30], response.content_type))
        return response

    fetcher.fetch = recording
    html, _, _ = schedule_document(schedule_6)
    from weasyprint import HTML

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert fetched == [("data:image/svg+xml,%3Csvg%20xm", "image/svg+xml")]
    assert "Failed to load" not in caplog.text


@pytest.mark.parametrize("url", [
    "file:///dev/zero", "file:///etc/passwd", "file:///proc/self/environ", "http://127.0.0.1:1/x",
    "https://example.com/x.png", "ftp://127.0.0.1/x", "gopher://127.0.0.1/x", "file://remote.host/etc/passwd",
    "jar:file:///x!/y", "/etc/passwd",
])
def test_the_fetcher_refuses_at_once(url):
    with pytest.raises(PdfFetchRefused):
        static_files_fetcher().fetch(url)


def test_the_fetcher_serves_a_static_file_and_data(tmp_path, settings):
    (tmp_path / "x.css").write_text("p { color: red }")
    settings.STATICFILES_DIRS = [("prefixed", tmp_path)]
    response = static_files_fetcher().fetch(Path(tmp_path / "x.css").as_uri())
    assert response.read() == b"p { color: red }" and response.content_type == "text/css"
    response.close()
    response = static_files_fetcher().fetch("data:text/plain,hello")
    assert response.read() == b"hello"
    response.close()
