"""Generated PDFs are kept in the cache by their HTML: a second reader of the same schedule gets the
same file without WeasyPrint, and any change to what is printed makes a new one."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from agreements.pdf import schedule_pdf
from tests.pdf.conftest import pages_text
from tests.pdf.test_schedule_pdf import _edit_outcome_1


@pytest.fixture
def renders(settings, monkeypatch):
    """The cache on and empty; the number of times WeasyPrint actually writes a file."""
    from weasyprint import HTML

    settings.PDF_CACHE_SECONDS = 3600
    cache.clear()
    count = {"writes": 0}
    write_pdf = HTML.write_pdf

    def counted(self, *args, **kwargs):
        count["writes"] += 1
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counted)
    yield count
    cache.clear()


def test_the_same_schedule_printed_twice_is_written_once(schedule_6, renders):
    first = schedule_pdf(schedule_6)
    second = schedule_pdf(schedule_6)
    assert renders["writes"] == 1
    assert second.content == first.content
    assert second.filename == first.filename == "HARINGEY-S75-2017-schedule-6-v1.pdf"


def test_an_edit_prints_afresh_and_the_agreed_version_is_still_the_one_kept(schedule_6, renders):
    agreed = schedule_pdf(schedule_6)
    _edit_outcome_1(schedule_6)
    draft = schedule_pdf(schedule_6)
    assert renders["writes"] == 2
    assert "A rewritten first outcome that was never agreed." in " ".join(pages_text(draft.content))
    assert schedule_pdf(schedule_6, version=1).content == agreed.content  # version 1's HTML is unchanged: kept
    assert renders["writes"] == 2


def test_a_file_over_the_limit_is_not_kept(schedule_6, renders, monkeypatch):
    monkeypatch.setattr("documents.pdf.PDF_CACHE_MAX_BYTES", 1000)
    schedule_pdf(schedule_6)
    schedule_pdf(schedule_6)
    assert renders["writes"] == 2


def test_with_the_cache_off_every_print_is_written(schedule_6, renders, settings):
    settings.PDF_CACHE_SECONDS = 0
    schedule_pdf(schedule_6)
    schedule_pdf(schedule_6)
    assert renders["writes"] == 2
