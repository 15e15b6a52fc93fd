"""The compare page's choices are labelled in full: a long reason whole, a version by its decision's date."""

from __future__ import annotations

import re
from html import unescape

import pytest

from agreements.services.schedules import schedule_update
from documents.revisions import versions_of
from tests.history.conftest import SCHEDULE_URL, current_document

LONG_REASON = (
    "Budget lines for 2019/20 brought into line with the figures the Cabinet agreed in March, after the "
    "joint commissioning board asked for the short breaks service to be shown separately from respite"
)

pytestmark = pytest.mark.django_db


def options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [unescape(label) for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


@pytest.fixture
def long_reason_entry(schedule6, user):
    document = current_document(schedule6)
    document["fields"]["pool_manager"] = "Jo Bloggs"
    return schedule_update(schedule=schedule6, document=document, expected_edit_count=None,
                           reason=LONG_REASON, user=user("haringey-commissioner"))


def test_compare_choices_give_the_whole_reason_and_the_versions_decision(schedule6, long_reason_entry, client_for):
    page = client_for("haringey-legal").get(f"{SCHEDULE_URL}compare/")
    assert page.status_code == 200
    labels = options(page.content.decode(), "id_older")
    assert any(label.endswith(f": {LONG_REASON}") for label in labels), labels[:2]
    version = versions_of(schedule6).order_by("number").first()
    decision = version.decision
    by = f"{decision.body} ({decision.reference})" if decision.reference else decision.body
    expected = f"Version {version.number}, agreed {decision.decided_on:%-d %B %Y} by {by}. Entry of "
    [version_choice] = [label for label in labels if label.startswith(f"Version {version.number},")]
    assert version_choice.startswith(expected)
    assert re.search(r"\d{4}-\d{2}-\d{2}", version_choice) is None  # dates as people write them


def test_the_history_pages_chooser_labels_in_full_too(schedule6, long_reason_entry, client_for):
    html = client_for("haringey-legal").get(f"{SCHEDULE_URL}history/").content.decode()
    older, newer = options(html, "compare-older"), options(html, "compare-newer")
    assert older == newer
    assert newer[0].endswith(f": {LONG_REASON}")
    assert any(re.match(r"Version \d+, agreed \d{1,2} [A-Z][a-z]+ \d{4} by ", label) for label in older)


def test_the_compare_page_names_what_it_compares_in_full(schedule6, long_reason_entry, client_for):
    version = versions_of(schedule6).order_by("number").first()
    page = client_for("haringey-legal").get(
        f"{SCHEDULE_URL}compare/", {"older": version.revision_id, "newer": long_reason_entry.pk},
    )
    compared = unescape(re.search(r'data-testid="compared">(.*?)</dl>', page.content.decode(), re.S).group(1))
    assert re.search(rf"From</dt><dd[^>]*>Version {version.number}, agreed \d{{1,2}} [A-Z][a-z]+ \d{{4}} by ", compared)
    assert f": {LONG_REASON}</dd>" in compared
