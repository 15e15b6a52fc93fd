"""Hostile and broken files (tests/data/bad_inputs/): each is refused with a clear message,
through the service, the command and the upload page, with no stack trace, nothing written and
memory bounded. Regenerate the corpus with tests/data/make_bad_inputs.py."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from agreements.models import BudgetLine, Schedule
from budgets.importing import ImportRefused, budget_lines_import, build_preview
from budgets.models import BudgetImport
from documents.models import Revision

CORPUS = Path(__file__).resolve().parent.parent / "data" / "bad_inputs"
FILES = sorted(path for path in CORPUS.iterdir() if path.suffix in (".csv", ".xlsx"))
PEAK_MEMORY_LIMIT = 150 * 1024 * 1024


def test_the_corpus_has_at_least_twenty_files():
    assert len(FILES) >= 20


@pytest.fixture
def schedule(demo):
    return Schedule.objects.get(agreement__reference="HARINGEY-S75-2017", number=6)


def _state():
    return BudgetLine.objects.count(), BudgetLine.history.count(), Revision.objects.count(), BudgetImport.objects.count()


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_service_refuses_with_a_message_and_writes_nothing(path, schedule):
    before = _state()
    content = path.read_bytes()
    tracemalloc.start()
    try:
        preview = build_preview(
            schedule=schedule, filename=path.name, content=content, financial_year=2018, budget_type="aligned"
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert preview.errors, f"{path.name} was accepted"
    for error in preview.errors:
        assert str(error).strip() and "Traceback" not in str(error)
    assert peak < PEAK_MEMORY_LIMIT, f"{path.name} used {peak // 2**20} MB"
    with pytest.raises(ImportRefused):
        budget_lines_import(
            schedule=schedule, filename=path.name, content=content, financial_year=2018, budget_type="aligned"
        )
    assert _state() == before


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_upload_page_answers_with_the_problem(path, schedule, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="haringey-finance"))
    before = _state()
    url = "/agreements/HARINGEY-S75-2017/schedules/6/budgets/import/"
    with path.open("rb") as upload:
        response = client.post(url, {"file": upload, "financial_year": "2018/19", "budget_type": "aligned",
                                     "reason": "Hostile file test"}, follow=True)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Traceback" not in body
    # Nothing is written before confirm, and a file with errors cannot be confirmed.
    assert _state() == before


@pytest.mark.parametrize("path", FILES[:6], ids=[path.name for path in FILES[:6]])
def test_command_exits_non_zero(path, schedule, capsys):
    before = _state()
    with pytest.raises((CommandError, SystemExit)):
        call_command("import_budgets", str(path), "--agreement", "HARINGEY-S75-2017", "--schedule", "6",
                     "--year", "2018/19", "--budget-type", "aligned")
    assert _state() == before
