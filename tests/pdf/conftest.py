"""The demo data (Haringey agreement, Cambridgeshire board), loaded once per module and rolled back."""

from __future__ import annotations

import io
import re

import pytest
from django.db import transaction
from pypdf import PdfReader


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from governance.demo import load_demo_data

    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo_data()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def haringey(demo, db):
    from agreements.models import Agreement

    return Agreement.objects.get(reference="HARINGEY-S75-2017")


@pytest.fixture
def schedule_6(haringey):
    return haringey.schedules.get(number=6)


def pages_text(content: bytes) -> list[str]:
    """Each page's text, whitespace collapsed to single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return [re.sub(r"\s+", " ", page.extract_text()).strip() for page in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(flat(part), position)
        assert found >= 0, f"{part!r} missing after position {position}: …{text[position:position + 200]}…"
        position = found + len(flat(part))
