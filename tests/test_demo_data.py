"""The demo data: loads twice without duplicates, and Schedule 6 and the Cambridgeshire terms equal the seeds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Sum

from agreements.demo import DEMO_PASSWORD
from agreements.models import Agreement, BudgetLine, Outcome, Risk, Schedule
from documents.models import Revision, Version
from documents.revisions import revisions_of, versions_of
from governance.demo import load_demo_data
from governance.models import AccountabilityLine, Board, Duty, Member, TermsOfReference
from partnerships.models import Partner, Role

pytestmark = pytest.mark.django_db

S6_REASON = "Loaded from the signed Schedule 6 (Cabinet Member Signing, 6 February 2018)"

OUTCOMES = [
    "A co-ordinated preventative approach for children and young people, parents/carers and families across the age "
    "range from 0 \u2013 19.",
    "Improved access to community health services.",
    "Improved quality of community health services for children and young people.",
    "An early intervention approach that provides access to a range of universal and targeted services in hospital and "
    "community settings and takes into consideration the needs of young people who are transitioning into adulthood.",
    "Flexible services that meet the preferences and developmental needs of children and young people.",
    "Improved inter-agency working and improved communication across frontline practitioners.",
    "More engaged children, young people, families and practitioners, and especially within under-represented "
    "communities/groups.",
    "Integrated commissioning across 0-19 year olds (up to 25 years of age with special needs).",
]
AIMS = [
    "To improve the health and wellbeing of 0-19 year olds (up to 25 years of age with special needs) and to support "
    "parents/carers.",
    "To meet and deliver the outcomes outlined in the Haringey council corporate plan and the Haringey CCG strategy.",
]
STRATEGY_DOCUMENTS = [
    "Four core priorities in Haringey CCG's Strategy 2014/15 \u2013 2018/19.",
    "Priority 1 in Haringey Council's Corporate Plan 2015-18.",
    "Haringey and Islington Wellbeing Partnership's Community Services Transformation Programme and the Children and "
    "Young People's work stream Priorities to reduce A&E attendances in under 5s, improve outcomes for children and "
    "young people with asthma and viral-induced wheeze and improve the transition of children and young people in "
    "health and care.",
    "North London Partners in Health and Care: children's work stream (School Readiness Priority)",
]
KPIS = [
    "For each of the services commissioned there are agreed local KPIs in addition to any existing national indicators.",
    "This agreement will support driving improvements in children and young people community services which are part "
    "of a long-standing block arrangement and where there are known issues, for example, waiting times.",
]
RISKS = [
    "Fail to agree and effectively measure outcomes",
    "The provider's performance in particular services deteriorates",
    "Governance for management of risk and incident including serious injury (accident/medication errors/equipment "
    "errors) or child death",
    "Addition of the Children's Schedule brings no real change to services/ improvement in outcomes",
]
BLOCK = "Part of the provider block contract, subject to the community services financial work between the CCGs and the Trust."
# Service, LBH (amount, status, note), NHS Haringey CCG (status, note): the seed's table, row by row.
BUDGET_TABLE = [
    ("Health visiting", "4388588.00", "confirmed", "", "not_applicable", ""),
    ("Family nurse partnership", "443441.00", "confirmed", "", "not_applicable", ""),
    ("School nursing", "644000.00", "confirmed", "", "not_applicable", ""),
    ("Oral health promotion", "77000.00", "confirmed", "", "not_applicable", ""),
    ("Community paediatrics", None, "not_applicable", "", "within_block", BLOCK),
    ("Children's community nursing", None, "not_applicable", "", "within_block",
     "Provided by local hospital and part of a block arrangement."),
    ("Speech and language services (early years and schools)", None, "to_be_agreed",
     "Final amount to be agreed following the service review of specialist therapies taking place during 17/18",
     "within_block",
     "Part of the provider block contract. The total service amount is made up of NHS and LBH contributions and is "
     "subject to the community services financial work being undertaken between the CCG and the Trust."),
    ("Occupational and physiotherapy", "840000.00", "to_be_agreed",
     "Final amounts to be agreed as part of the Specialist Therapies Review", "within_block",
     "Part of provider block contract, subject to the community services financial work between the CCGs and the Trust."),
    ("Children in Care and Adoption Health Assessment Services", "54696.00", "confirmed", "", "within_block", BLOCK),
]
DUTY_LABELS = ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.11", "2.12", "2.13", "2.14", "2.15"]
MEMBER_ROLES = [
    "Children's Lead Member",
    "Director of Strategy and Commissioning, Cambridgeshire County Council \u2013 Children Families and Adults Services",
    "Representative District Council officer",
    "Director of Enhanced and Preventative Services",
    "Representatives from LCGs/CCG",
    "NHS England",
    "Head of Children's Joint Commissioning",
    "Head of Enhanced Commissioning",
    "Public Health",
    "Representative from service user for a",
]


@pytest.fixture
def schedule6(demo):
    return Schedule.objects.get(agreement__reference="HARINGEY-S75-2017", number=6)


def counts() -> dict[str, int]:
    return {
        "partners": Partner.objects.count(),
        "agreements": Agreement.objects.count(),
        "schedules": Schedule.objects.count(),
        "budget_lines": BudgetLine.objects.count(),
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
        "boards": Board.objects.count(),
        "terms": TermsOfReference.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "schedule_history": Schedule.history.count(),
        "outcome_history": Outcome.history.count(),
        "budget_history": BudgetLine.history.count(),
    }


# ----------------------------------------------------------------------------- loading


def test_loads_twice_without_duplicates(demo):
    first = counts()
    assert first["agreements"] == 2
    assert first["schedules"] == 7
    assert first["boards"] == 5
    assert first["terms"] == 2
    second_summary = load_demo_data()
    assert counts() == first
    assert second_summary.created == {}
    assert any("HARINGEY-S75-2017 already exists" in message for message in second_summary.messages)


def test_haringey_has_six_schedules_and_the_others_are_marked_illustrative(demo):
    agreement = Agreement.objects.get(reference="HARINGEY-S75-2017")
    assert agreement.dated == datetime.date(2017, 3, 1)
    assert agreement.status == "in_force"
    assert [p.partner.short_name for p in agreement.parties.select_related("partner")] == ["LBH", "NHS Haringey CCG"]
    assert list(agreement.schedules.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    for schedule in agreement.schedules.exclude(number=6):
        assert any("Illustrative demo content" in k.text for k in schedule.kpis.all()), schedule
    version = versions_of(agreement).get()
    assert version.number == 1
    assert (version.decision.body, version.decision.decided_on) == ("Cabinet", datetime.date(2016, 9, 13))
    assert revisions_of(agreement).get().created_at.date() == datetime.date(2017, 3, 1)


def test_haringey_agreement_is_managed_by_its_joint_commissioning_group(demo):
    """The seed names the group; its terms are invented for the demo and say so."""
    agreement = Agreement.objects.get(reference="HARINGEY-S75-2017")
    [board] = agreement.boards.all()
    assert board.name == "Haringey Joint Commissioning Finance and Management Group"
    assert "Illustrative demo content" in board.description
    assert "Illustrative demo content" in board.terms.purpose
    assert all("(illustrative)" in duty.text for duty in board.terms.duties.all())
    assert versions_of(board.terms).get().number == 1


def test_partners_and_successors(demo):
    ccg = Partner.objects.get(code="07M")
    assert (ccg.name, ccg.short_name, ccg.kind) == ("NHS Haringey CCG", "NHS Haringey CCG", "ccg")
    assert ccg.active_to == datetime.date(2022, 6, 30)
    assert (ccg.successor.code, ccg.successor.kind, ccg.successor.active_from) == ("QMJ", "icb", datetime.date(2022, 7, 1))
    assert Partner.objects.get(code="06H").successor.code == "QUE"
    council = Partner.objects.get(code="E09000014")
    assert (council.name, council.short_name, council.kind) == ("Haringey Council", "LBH", "local_authority")


def test_sign_ins(demo):
    User = get_user_model()
    expected = {
        "haringey-commissioner": (Role.COMMISSIONER, "Haringey Council"),
        "haringey-legal": (Role.LEGAL_OFFICER, "Haringey Council"),
        "haringey-finance": (Role.FINANCE_OFFICER, "Haringey Council"),
        "haringey-viewer": (Role.VIEWER, "Haringey Council"),
        "cambridgeshire-commissioner": (Role.COMMISSIONER, "Cambridgeshire County Council"),
    }
    for username, (role, partner) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
        assert user.profile.partner.name == partner
        assert user.get_full_name()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


# ----------------------------------------------------------------------------- Schedule 6 equals the seed


def test_schedule6_fields(schedule6):
    s = schedule6
    assert s.title == "Children's commissioned services"
    assert s.service_name == "Children's commissioned services"
    assert s.agreement_type == "Section 75"
    assert s.service_type == "CCG lead commissioner with aligned budgets"
    assert s.delegated_function == "The Council's children health-related commissioning"
    assert s.services == (
        "Haringey CCG will commission on behalf of itself and the council a range of services and pathways to improve "
        "the health outcomes of 0-19 year olds (up to 25 years of age with special needs) and to support parents/carers."
    )
    assert s.eligibility == (
        "Various dependent on the specific services included in the schedule (universal, targeted and specialist)"
    )
    assert s.resources == (
        "The partners will make available staffing resources and capacity to enable the operation of the agreement "
        "from their existing establishments.\n\nAny alterations to those establishments which may impair the operation "
        "of the partnership will be notified to the other partner in sufficient time to allow mitigations to be agreed."
    )
    assert (s.lead_commissioning, s.aligned_budgets, s.pooled_fund, s.integrated_provision) == (True, True, False, False)
    assert s.lead_commissioner.code == "07M"
    assert s.status == "in_force"
    assert s.specification_title == "Outline specification - arrangements for lead commissioning"


def test_schedule6_lists(schedule6):
    assert [a.text for a in schedule6.aims.all()] == AIMS
    assert [o.text for o in schedule6.outcomes.all()] == OUTCOMES
    assert [o.position for o in schedule6.outcomes.all()] == list(range(1, 9))
    assert [d.text for d in schedule6.strategy_documents.all()] == STRATEGY_DOCUMENTS
    assert [k.text for k in schedule6.kpis.all()] == KPIS


def test_schedule6_risks(schedule6):
    risks = list(schedule6.risks.all())
    assert [r.risk for r in risks] == RISKS
    assert risks[0].mitigation == (
        "Discussions have already started and the commissioners and provider are confident an agreement will be "
        "reached by March 2018 for universal services."
    )
    assert "tender services where it is thought to be in the best interests of the needs of the population and/or " \
           "where the current provider is not able to deliver a service specified." in risks[1].mitigation
    assert "\n" not in risks[1].mitigation
    assert risks[2].mitigation == "Processes in place within the CCG/NHS structures will continue to cover all children's services."
    paragraphs = risks[3].mitigation.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("There is a plan to bring children's commissioning in the CCG together into one team")
    assert paragraphs[1].endswith("having one provider but two different commissioners and commissioning organisations.")


def test_schedule6_specification(schedule6):
    sections = list(schedule6.specification_sections.all())
    assert [s.heading for s in sections] == ["Context", "Expected outcomes", "Budgets"]
    assert [s.paragraphs.count() for s in sections] == [4, 1, 1]
    context = list(sections[0].paragraphs.all())
    assert context[0].text.startswith("The development of this schedule builds on the strong, informal joint working")
    assert context[3].text.endswith("already has a specific focus on children, young people and families.")
    expected = sections[1].paragraphs.get()
    assert expected.text == "The identified commissioned services in the schedule have identified a number of expected outcomes;"
    items = expected.list_items.split("\n")
    assert len(items) == 7
    assert items[0].startswith("Integrated, more flexible commissioning")
    assert items[6] == "Better engagement with under-represented communities/groups."
    assert not any(item.startswith(("i.", "v.")) for item in items)
    assert sections[2].paragraphs.get().text.startswith("At this stage, there is no proposal to pool budgets")


def test_schedule6_budget_table_cell_for_cell(schedule6):
    lines = list(schedule6.budget_lines.select_related("partner"))
    assert len(lines) == 18
    assert {(line.financial_year, line.budget_type) for line in lines} == {(2018, "aligned")}
    assert lines[0].financial_year_label == "2018/19"
    rows = []
    for lbh, ccg in zip(lines[0::2], lines[1::2], strict=True):
        assert lbh.service == ccg.service
        assert (lbh.partner.short_name, ccg.partner.short_name) == ("LBH", "NHS Haringey CCG")
        assert ccg.amount is None
        rows.append((lbh.service, None if lbh.amount is None else str(lbh.amount), lbh.status, lbh.notes,
                     ccg.status, ccg.notes))
    assert rows == BUDGET_TABLE

    lbh_lines = schedule6.budget_lines.filter(partner__code="E09000014")
    assert lbh_lines.aggregate(total=Sum("amount"))["total"] == Decimal("6447725.00")
    assert lbh_lines.filter(status="to_be_agreed").aggregate(total=Sum("amount"))["total"] == Decimal("840000.00")
    ccg_lines = schedule6.budget_lines.filter(partner__code="07M")
    assert set(ccg_lines.values_list("status", flat=True)) == {"not_applicable", "within_block"}
    assert not ccg_lines.filter(amount__isnull=False).exists()
    ring_fenced = set(schedule6.budget_lines.filter(ring_fenced_public_health=True).values_list("service", flat=True))
    assert ring_fenced == {"Health visiting", "Family nurse partnership", "School nursing", "Oral health promotion"}


def test_schedule6_is_version_1_agreed_by_cabinet_member_signing(schedule6):
    version = versions_of(schedule6).get()
    assert version.number == 1
    assert version.decision.body == "Cabinet Member Signing"
    assert version.decision.decided_on == datetime.date(2018, 2, 6)
    assert version.decision.key_decision is True
    assert version.agreed_at.date() == datetime.date(2018, 2, 6)
    revision = revisions_of(schedule6).get()
    assert version.revision == revision
    assert revision.reason == S6_REASON
    assert revision.created_at.date() == datetime.date(2018, 2, 6)
    assert revision.snapshot["fields"]["title"] == "Children's commissioned services"
    assert len(revision.snapshot["budget_lines"]) == 18


def test_schedule6_history_rows_carry_the_reason_and_revision(schedule6):
    revision = revisions_of(schedule6).get()
    for model in (Outcome, Risk, BudgetLine):
        rows = model.history.filter(schedule=schedule6)
        assert rows.exists()
        first = rows.first()
        assert first.history_change_reason == S6_REASON
        assert first.revision_id == revision.pk
        assert first.history_date.date() == datetime.date(2018, 2, 6)
    parent = Schedule.history.get(id=schedule6.pk)
    assert parent.history_change_reason == S6_REASON
    assert parent.revision_id == revision.pk


# ----------------------------------------------------------------------------- Cambridgeshire


@pytest.fixture
def terms(demo):
    return TermsOfReference.objects.get(board__short_name="CHJCB")


def test_cambridgeshire_board_and_agreement(terms):
    board = terms.board
    assert board.name == "Cambridgeshire Children's Health Joint Commissioning Board"
    assert board.reports_to.name == "Cambridgeshire and Peterborough CCG Children's Programme Board"
    agreement = board.agreements.get()
    assert agreement.reference == "CAMBS-CHJC-S75-2014"
    parties = {p.partner.code: p.role for p in agreement.parties.select_related("partner")}
    assert parties == {"E10000003": "lead_commissioner", "06H": "party", "X24": "party"}
    assert agreement.schedules.count() >= 1


def test_cambridgeshire_terms_equal_the_seed(terms):
    assert terms.title == "Cambridgeshire Children's Health Joint Commissioning Board Terms of Reference"
    assert terms.status == "approved"
    assert terms.purpose.startswith("Health and Local Authority Commissioners will work together")
    assert [d.label for d in terms.duties.all()] == DUTY_LABELS
    assert terms.duties.get(label="2.11").text == (
        "To contribute to the Annual Review process and inform an annual report to the CCG Children's Programme Board "
        "and the Children's Trust."
    )
    assert not Duty.objects.filter(terms=terms, label="2.10").exists()
    assert [m.role for m in terms.members.all()] == MEMBER_ROLES
    assert terms.members.get(role="NHS England").organisation.code == "X24"
    assert terms.members.get(role="Representatives from LCGs/CCG").organisation.code == "06H"
    assert terms.chair == ""
    assert terms.meeting_frequency == "The CCHJB will meet every other month."
    assert terms.remit_items.filter(included=True).count() == 12
    assert list(terms.remit_items.filter(included=False).values_list("text", flat=True)) == [
        "Children's acute and maternity services",
        "Specialist services commissioned by NHS England and Specialist Commissioning",
    ]
    lines = list(AccountabilityLine.objects.filter(terms=terms))
    assert [line.label for line in lines] == ["3.1", "3.2", "3.3"]
    assert [line.reports_to.name for line in lines] == [
        "Cambridgeshire and Peterborough CCG Children's Programme Board",
        "Children and Young People Committee",
        "Children's Trust Board",
    ]
    financial = list(terms.financial_items.all())
    assert [f.label for f in financial] == ["4.1", "4.2", "4.3"]
    assert financial[2].text.count("\n- ") == 4
    section = terms.other_sections.get()
    assert section.heading == "Link with Local Commissioning Groups"
    assert "\n\nNeeds Analysis:\n\n- JSNA at LCG level\n- Local intelligence shared\n\n" in section.body
    assert terms.resources.startswith("## 8.1 Accommodation\n\n")
    assert "\n\n## 8.2 Human Resources\n\n" in terms.resources
    assert "a) The required clinical governance for all the commissioned activity\nb) " in terms.resources
    assert "\n\n## 8.3 Additional Support Requirements\n\n" in terms.resources


def test_cambridgeshire_terms_approved_as_version_1(terms):
    version = versions_of(terms).get()
    assert version.number == 1
    assert version.decision.body == "Cambridgeshire County Council Cabinet"
    assert version.decision.decided_on == datetime.date(2014, 4, 15)
    assert version.decision.reference == "2014/018"
    assert version.decision.key_decision is True
    assert Member.history.filter(terms=terms).first().revision_id == version.revision_id


def test_demo_history_has_no_phantom_entries(demo):
    """Every recorded change of every demo document changed something, and the documents as
    stored now read the same as their latest entries (nothing would show as changed on a save)."""
    from agreements.snapshots import agreement_snapshot_by_id, schedule_snapshot_by_id
    from budgets.monitoring.snapshots import return_snapshot_by_id
    from documents.diffing import diff_documents
    from documents.text import same_content
    from governance.snapshots import board_snapshot_by_id, terms_snapshot_by_id

    by_document: dict[tuple[int, int], list[Revision]] = {}
    for revision in Revision.objects.order_by("created_at", "id"):
        by_document.setdefault((revision.content_type_id, revision.object_id), []).append(revision)
    assert len(by_document) >= 10
    for revisions in by_document.values():
        for older, newer in zip(revisions, revisions[1:], strict=False):
            assert not diff_documents(older.snapshot, newer.snapshot).empty, newer
    snapshot_of = {
        "schedule": schedule_snapshot_by_id, "agreement": agreement_snapshot_by_id, "terms": terms_snapshot_by_id,
        "board": board_snapshot_by_id, "monitoring_return": return_snapshot_by_id,
    }
    assert {revisions[-1].snapshot["type"] for revisions in by_document.values()} >= set(snapshot_of)
    assert all(revisions_of(board).exists() for board in Board.objects.all())
    for revisions in by_document.values():
        latest = revisions[-1]
        if latest.kind != "deleted":
            assert same_content(latest.snapshot, snapshot_of[latest.snapshot["type"]](latest.object_id)), latest


def test_schedule6_monitoring_demo(schedule6):
    from budgets.monitoring.models import ActionPlan, MonitoringReturn
    from budgets.monitoring.pages import period_context

    returns = MonitoringReturn.objects.filter(schedule=schedule6, financial_year=2018)
    assert sorted(returns.values_list("period", flat=True)) == [1, 2, 3, 4, 5, 6]
    p6 = returns.get(period=6)
    assert versions_of(p6).get().decision.body == "Haringey Health and Wellbeing Board"
    total = period_context(schedule6, p6)["variance"].total
    assert (total.budget, total.forecast, total.variance) == (5607725, 5734196, 126471)  # the README's figures
    assert "Illustrative" in p6.note
    assert ActionPlan.objects.get(schedule=schedule6).budget_line.service == "Health visiting"
