"""Fixtures for budget tests: the Haringey agreement with Schedule 6, built through the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from agreements.services.agreements import agreement_create
from agreements.services.schedules import schedule_create
from budgets.importing import xlsx_cells
from partnerships.models import Partner, PartnerKind


@pytest.fixture
def shared_budgets() -> Path:
    folder = Path(settings.BASE_DIR).parent / "shared/data/budgets"
    if not folder.is_dir():
        pytest.skip(f"The shared budget spreadsheets are not here: {folder} is absent")
    return folder


@pytest.fixture
def partners(db):
    council = Partner.objects.create(name="Haringey Council", short_name="LBH", kind=PartnerKind.LOCAL_AUTHORITY,
                                     code="E09000014")
    ccg = Partner.objects.create(name="NHS Haringey CCG", short_name="Haringey CCG", kind=PartnerKind.CCG,
                                 code="08D")
    outsider = Partner.objects.create(name="Cambridgeshire County Council", short_name="CCC",
                                      kind=PartnerKind.LOCAL_AUTHORITY, code="E10000003")
    return council, ccg, outsider


@pytest.fixture
def agreement(partners):
    council, ccg, _ = partners
    return agreement_create(
        document={
            "fields": {"title": "Haringey section 75 agreement", "reference": "HAR-S75-2017"},
            "parties": [{"partner_id": council.pk, "role": "party"}, {"partner_id": ccg.pk, "role": "party"}],
        },
        reason="Set up for tests",
    )


@pytest.fixture
def schedule(agreement):
    return schedule_create(
        agreement=agreement,
        document={"fields": {"number": 6, "title": "Children's commissioned services",
                             "service_name": "Children's community health services", "aligned_budgets": True}},
        reason="Set up for tests",
    )


@pytest.fixture
def finance_user(db, django_user_model):
    return django_user_model.objects.create_user(username="haringey-finance", password="pw", first_name="Fiona",
                                                 last_name="Finance")


def _unknown_openpyxl():
    raise ImportError("an openpyxl whose parser the fast path does not know")


@pytest.fixture(params=["fast", "openpyxl"])
def xlsx_path(request, monkeypatch):
    """Both ways of reading an xlsx: the fast cell parser, and openpyxl's own rows (another openpyxl)."""
    if request.param == "openpyxl":
        monkeypatch.setattr(xlsx_cells, "fast_cell_parser", _unknown_openpyxl)
    return request.param
