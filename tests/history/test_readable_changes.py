"""What changed reads as people write it: items added or removed show what they held, choices
by their labels, dates as "1 March 2017", booleans as Yes/No (issue 14, item 6)."""

from __future__ import annotations

import copy

import pytest

from agreements.services.schedules import schedule_update
from documents.diffing import diff_documents
from documents.revisions import latest_revision
from tests.history.conftest import SCHEDULE_URL, current_document

PARTNERS = {
    "1": {"name": "Haringey Council", "short_name": "LBH", "kind": "local_authority"},
    "2": {"name": "NHS Haringey CCG", "short_name": "CCG", "kind": "ccg"},
}
LINE = {
    "id": 31, "position": 0, "service": "Short breaks", "partner_id": 1, "financial_year": 2017,
    "budget_type": "pooled", "amount": "443441.50", "status": "confirmed", "ring_fenced_public_health": False,
    "notes": "",
}


def schedule_doc(**overrides):
    doc = {
        "type": "schedule", "id": 6,
        "fields": {"title": "Children's services", "status": "draft", "review_due": "2017-03-01",
                   "pooled_fund": False},
        "partners": PARTNERS,
        "aims": [], "outcomes": [], "strategy_documents": [], "kpis": [],
        "risks": [{"id": 21, "risk": "Overspend", "mitigation": "Monthly monitoring"}],
        "specification": [], "budget_lines": [],
    }
    doc.update(overrides)
    return doc


def only_list(diff, label):
    [changes] = [changes for changes in diff.lists if changes.label == label]
    return changes.items


def details(item):
    return [(detail.label, detail.value) for detail in item.details]


def test_an_added_risk_shows_its_mitigation_and_a_removed_one_too():
    new = schedule_doc(risks=[{"id": 22, "risk": "Demand rises", "mitigation": "Quarterly review of numbers"}])
    removed, added = only_list(diff_documents(schedule_doc(), new), "Risks and mitigations")
    assert (removed.kind, removed.name, details(removed)) == ("removed", "Overspend", [("Mitigation", "Monthly monitoring")])
    assert (added.kind, added.name, details(added)) == ("added", "Demand rises", [("Mitigation", "Quarterly review of numbers")])


def test_a_risk_too_long_to_name_whole_is_given_whole_in_its_details():
    long_risk = "Demand for short breaks rises faster than the pooled budget allows, " * 3
    new = schedule_doc(risks=[*schedule_doc()["risks"], {"id": 22, "risk": long_risk, "mitigation": "Review"}])
    [added] = only_list(diff_documents(schedule_doc(), new), "Risks and mitigations")
    assert added.name.endswith("…")
    assert details(added) == [("Risk", long_risk), ("Mitigation", "Review")]


def test_an_added_budget_line_shows_its_amount_year_type_and_partner():
    [added] = only_list(diff_documents(schedule_doc(), schedule_doc(budget_lines=[LINE])), "Budget lines")
    assert added.kind == "added"
    assert details(added) == [
        ("Service", "Short breaks"), ("Partner", "Haringey Council"), ("Financial year", "2017/18"),
        ("Budget type", "Pooled fund"), ("Amount", "£443,441.50"), ("Status", "Confirmed"),
        ("Ring-fenced public health", "No"),
    ]


def test_a_removed_budget_line_to_be_agreed_shows_its_status_by_label():
    line = {**LINE, "amount": None, "status": "to_be_agreed", "notes": "Subject to Cabinet"}
    [removed] = only_list(diff_documents(schedule_doc(budget_lines=[line]), schedule_doc()), "Budget lines")
    assert ("Status", "To be agreed") in details(removed)
    assert ("Notes", "Subject to Cabinet") in details(removed)
    assert "Amount" not in dict(details(removed))  # no figure: nothing to show, not "(blank)"


def test_statuses_dates_and_booleans_read_as_people_write_them():
    new = schedule_doc()
    new["fields"] = {**new["fields"], "status": "in_force", "review_due": "2019-03-14", "pooled_fund": True}
    changes = {change.label: (change.old, change.new) for change in diff_documents(schedule_doc(), new).fields}
    assert changes == {
        "Status": ("Draft", "In force"),
        "Review date": ("1 March 2017", "14 March 2019"),
        "Pooled fund": ("No", "Yes"),
    }


def test_a_budget_line_status_change_reads_by_its_label():
    old = schedule_doc(budget_lines=[LINE])
    new = schedule_doc(budget_lines=[{**LINE, "status": "within_block", "amount": None}])
    [changed] = only_list(diff_documents(old, new), "Budget lines")
    assert [(f.label, f.old, f.new) for f in changed.fields] == [
        ("Amount", "£443,441.50", "(blank)"), ("Status", "Confirmed", "Within block contract"),
    ]


def test_agreement_choices_and_dates_come_from_its_model():
    old = {"type": "agreement", "id": 1, "partners": PARTNERS,
           "fields": {"status": "signed", "dated": "2017-03-01", "notice_period_months": 6},
           "parties": [{"id": 1, "partner_id": 1, "role": "party"}], "clauses": []}
    new = copy.deepcopy(old)
    new["fields"].update(status="in_force", dated="2017-04-01")
    new["parties"][0]["role"] = "lead_commissioner"
    new["parties"].append({"id": 2, "partner_id": 2, "role": "host"})
    diff = diff_documents(old, new)
    assert [(f.label, f.old, f.new) for f in diff.fields] == [
        ("Status", "Signed", "In force"), ("Dated", "1 March 2017", "1 April 2017"),
    ]
    changed, added = only_list(diff, "Parties")
    assert [(f.label, f.old, f.new) for f in changed.fields] == [("Role", "Party", "Lead commissioner")]
    # The added party is named by its partner, which its details do not repeat.
    assert (added.name, details(added)) == ("NHS Haringey CCG", [("Role", "Host")])


def test_terms_members_show_voting_as_yes_or_no_and_their_status_by_label():
    old = {"type": "terms", "id": 1, "partners": PARTNERS, "fields": {"status": "draft"}, "members": []}
    new = copy.deepcopy(old)
    new["fields"]["status"] = "under_review"
    new["members"] = [{"id": 5, "role": "Director of Children's Services", "organisation_id": 1,
                       "organisation": "Haringey Council", "organisation_name": "", "voting": False, "substitute": ""}]
    diff = diff_documents(old, new)
    assert [(f.label, f.old, f.new) for f in diff.fields] == [("Status", "Draft", "Under review")]
    [added] = only_list(diff, "Members")
    assert added.name == "Director of Children's Services"
    assert details(added) == [("Organisation", "Haringey Council"), ("Voting", "No")]


@pytest.mark.django_db
def test_the_history_page_shows_an_added_risks_mitigation(schedule6, client_for, user):
    document = current_document(schedule6)
    document["risks"].append({"risk": "Provider market fails", "mitigation": "Keep a list of reserve providers"})
    schedule_update(schedule=schedule6, document=document, expected_edit_count=None,
                    reason="Market risk added", user=user("haringey-commissioner"))
    assert latest_revision(schedule6).reason == "Market risk added"
    page = client_for("haringey-legal").get(f"{SCHEDULE_URL}history/")
    html = page.content.decode()
    entry = html.split('data-testid="history-entry"')[1]  # the newest entry, up to the next one
    assert "Market risk added" in entry
    assert "Provider market fails" in entry
    assert "Mitigation: Keep a list of reserve providers" in entry


def test_an_added_items_link_to_another_row_reads_by_the_name_it_keeps_not_its_id():
    old = {"type": "terms", "id": 1, "partners": PARTNERS, "fields": {}, "accountability_lines": []}
    new = copy.deepcopy(old)
    new["accountability_lines"] = [{"id": 7, "label": "3.1", "reports_to_id": 42, "reports_to": "Health and Wellbeing Board",
                                    "reports_to_name": "", "frequency": "Annual", "text": "An annual report"}]
    [added] = only_list(diff_documents(old, new), "Accountability and reporting")
    assert added.name == "3.1 An annual report"
    assert details(added) == [("Reports to", "Health and Wellbeing Board"), ("Frequency", "Annual")]


def test_a_changed_link_to_another_row_reads_by_the_names_too():
    line = {"id": 7, "label": "3.1", "reports_to_id": 42, "reports_to": "Health and Wellbeing Board",
            "reports_to_name": "", "frequency": "Annual", "text": "An annual report"}
    old = {"type": "terms", "id": 1, "partners": PARTNERS, "fields": {}, "accountability_lines": [line]}
    new = copy.deepcopy(old)
    new["accountability_lines"][0].update(reports_to_id=43, reports_to="Cabinet")
    [changed] = only_list(diff_documents(old, new), "Accountability and reporting")
    assert [(f.label, f.old, f.new) for f in changed.fields] == [("Reports to", "Health and Wellbeing Board", "Cabinet")]
