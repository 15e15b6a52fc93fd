"""Reading through the API: scope, documents, history, money as strings, ETags."""

from __future__ import annotations

import pytest

from agreements.models import BudgetLine
from tests.api.conftest import HARINGEY

pytestmark = pytest.mark.django_db


def test_agreements_with_parties_dates_and_status(api_for):
    response = api_for("haringey-viewer").get("/api/v1/agreements/")
    assert response.status_code == 200
    [agreement] = [a for a in response.json()["results"] if a["reference"] == HARINGEY]
    assert agreement["status"] and "dated" in agreement and len(agreement["schedules"]) == 6
    assert {p["partner_name"] for p in agreement["parties"]} >= {"Haringey Council"}


def test_an_outsider_sees_neither_the_agreement_nor_its_lines(api_for, schedule6):
    outsider = api_for("cambridgeshire-commissioner")
    refs = [a["reference"] for a in outsider.get("/api/v1/agreements/").json()["results"]]
    assert HARINGEY not in refs
    assert outsider.get(f"/api/v1/agreements/{HARINGEY}/").status_code == 404
    assert outsider.get(f"/api/v1/schedules/{schedule6.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/schedules/{schedule6.pk}/revisions/").status_code == 404
    assert outsider.get(f"/api/v1/budget-lines/?schedule={schedule6.pk}").json()["results"] == []
    line = BudgetLine.objects.filter(schedule=schedule6).first()
    assert outsider.get(f"/api/v1/budget-lines/{line.pk}/").status_code == 404


def test_the_schedule_is_the_whole_document_with_its_etag(api_for, schedule6):
    response = api_for("haringey-viewer").get(f"/api/v1/schedules/{schedule6.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert response["ETag"] == body["etag"] == f'"schedule-{schedule6.pk}-{schedule6.edit_count}"'
    document = body["document"]
    assert document["type"] == "schedule" and document["outcomes"] and document["budget_lines"]
    assert all(isinstance(line["amount"], str | None) for line in document["budget_lines"])


def test_money_is_a_decimal_string(api_for, schedule6):
    response = api_for("haringey-finance").get(f"/api/v1/budget-lines/?schedule={schedule6.pk}&status=confirmed")
    lines = response.json()["results"]
    assert lines and all(isinstance(line["amount"], str) and line["amount"].count(".") == 1 for line in lines)
    stored = BudgetLine.objects.get(pk=lines[0]["id"])
    assert lines[0]["amount"] == f"{stored.amount:.2f}"


@pytest.mark.parametrize("query", ["financial_year=2018", "budget_type=aligned", "ring_fenced_public_health=false",
                                   "status=confirmed", f"agreement={HARINGEY}"])
def test_filters(api_for, schedule6, query):
    lines = api_for("haringey-finance").get(f"/api/v1/budget-lines/?{query}&page_size=1000").json()["results"]
    field, value = query.split("=")
    assert lines
    for line in lines:
        got = str(line["agreement" if field == "agreement" else field]).lower()
        assert got == value.lower()


def test_revisions_without_snapshots_unless_asked(api_for, schedule6):
    client = api_for("haringey-legal")
    plain = client.get(f"/api/v1/schedules/{schedule6.pk}/revisions/").json()["results"]
    assert plain and set(plain[0]) == {"id", "created_at", "user", "kind", "reason", "summary"}
    full = client.get(f"/api/v1/schedules/{schedule6.pk}/revisions/?snapshot=true").json()["results"]
    assert full[0]["snapshot"]["type"] == "schedule"


def test_agreed_versions_and_as_of(api_for, schedule6):
    client = api_for("haringey-legal")
    versions = client.get(f"/api/v1/schedules/{schedule6.pk}/versions/").json()
    assert versions and versions[0]["decision"]["body"] and "snapshot" not in versions[0]
    one = client.get(f"/api/v1/schedules/{schedule6.pk}/versions/{versions[0]['number']}/").json()
    assert one["snapshot"]["type"] == "schedule"
    state = client.get(f"/api/v1/schedules/{schedule6.pk}/as-of/?date=2099-01-01").json()
    assert state["document"]["id"] == schedule6.pk and state["revision"]["kind"]
    assert client.get(f"/api/v1/schedules/{schedule6.pk}/as-of/?date=1990-01-01").status_code == 404
    bad = client.get(f"/api/v1/schedules/{schedule6.pk}/as-of/?date=yesterday")
    assert bad.status_code == 400 and "date" in bad.json()["errors"]


def test_boards_and_terms(api_for):
    client = api_for("cambridgeshire-commissioner")
    boards = client.get("/api/v1/boards/").json()["results"]
    assert boards
    board = client.get(f"/api/v1/boards/{boards[0]['id']}/").json()
    assert board["document"]["type"] == "board"
    terms = client.get(f"/api/v1/terms/{boards[0]['terms']}/").json()
    assert terms["document"]["type"] == "terms" and terms["document"]["duties"]
    assert client.get(f"/api/v1/terms/{boards[0]['terms']}/revisions/").status_code == 200


def test_partners(api_for):
    partners = api_for("haringey-viewer").get("/api/v1/partners/?name=haringey").json()["results"]
    assert "Haringey Council" in [p["name"] for p in partners] and len(partners) < 5


def test_a_repeat_get_with_the_etag_is_not_modified(api_for, schedule6):
    client = api_for("haringey-viewer")
    first = client.get(f"/api/v1/schedules/{schedule6.pk}/")
    again = client.get(f"/api/v1/schedules/{schedule6.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_list_gives_exactly_what_the_serializer_gives(api_for, schedule6):
    from budgets.api.serializers import BudgetLineSerializer

    listed = api_for("haringey-finance").get(f"/api/v1/budget-lines/?schedule={schedule6.pk}&page_size=1000")
    lines = BudgetLine.objects.filter(schedule=schedule6).select_related("schedule__agreement", "partner")
    expected = {line.pk: dict(BudgetLineSerializer(line).data) for line in lines}
    got = {line["id"]: line for line in listed.json()["results"]}
    assert got == expected
    assert [line["id"] for line in listed.json()["results"]] == sorted(got)
