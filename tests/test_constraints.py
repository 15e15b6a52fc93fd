"""Each rule users rely on: a failing case and the message a person reads."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.models import BudgetLine, Outcome, Schedule, ScheduleStatus
from agreements.services.agreements import agreement_create, agreement_update
from agreements.services.schedules import (
    schedule_agree,
    schedule_create,
    schedule_delete,
    schedule_next_number,
    schedule_update,
    schedule_withdraw,
)
from documents.models import Decision
from documents.revisions import latest_revision
from governance.services import terms_create
from partnerships.models import Partner, PartnerKind
from tests.factories import (
    make_agreement,
    make_board,
    make_ccg,
    make_council,
    make_partner,
    make_schedule,
    make_user,
    schedule_fields,
)

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def decision() -> Decision:
    return Decision(body="Cabinet", decided_on=datetime.date(2018, 2, 6), reference="Test", key_decision=True)


# ----------------------------------------------------------------------------- partners


def test_partner_code_is_unique():
    make_ccg(code="07M")
    duplicate = Partner(name="Another CCG", short_name="Another", kind=PartnerKind.CCG, code="07M")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Another partner already has this code." in messages(error.value)


def test_partners_without_a_code_do_not_clash():
    make_partner(code="")
    Partner(name="No code either", short_name="NC", kind=PartnerKind.OTHER, code="").full_clean()


def test_partner_cannot_be_its_own_successor():
    ccg = make_ccg()
    ccg.successor = ccg
    with pytest.raises(ValidationError) as error:
        ccg.full_clean()
    assert "A partner cannot be its own successor." in messages(error.value)


# ----------------------------------------------------------------------------- agreements


def test_agreement_needs_an_nhs_body_and_a_local_authority():
    with pytest.raises(ValidationError) as error:
        make_agreement(partners=[make_council(), make_council()])
    assert "NHS body" in messages(error.value)


def test_agreement_needs_a_local_authority():
    with pytest.raises(ValidationError) as error:
        make_agreement(partners=[make_ccg(), make_partner(kind=PartnerKind.NHS_ENGLAND)])
    assert "a local authority" in messages(error.value)


def test_agreement_refused_with_no_partner_leaves_nothing_behind():
    from agreements.models import Agreement
    from documents.models import Revision

    with pytest.raises(ValidationError):
        make_agreement(partners=[make_council()], reference="HALF-DONE")
    assert not Agreement.objects.filter(reference="HALF-DONE").exists()
    assert not Revision.objects.exists()


def test_agreement_expires_after_it_takes_effect():
    council, ccg = make_council(), make_ccg()
    with pytest.raises(ValidationError) as error:
        agreement_create(
            document={
                "fields": {"title": "Backwards", "reference": "BACKWARDS", "effective_from": "2018-04-01",
                           "expires": "2018-03-31"},
                "parties": [{"partner_id": council.pk, "role": "party"}, {"partner_id": ccg.pk, "role": "party"}],
            },
            reason="Test",
        )
    assert "The agreement must expire after the date it takes effect." in messages(error.value)


def test_agreement_status_cannot_go_back_from_in_force_to_draft():
    agreement = make_agreement(status="in_force")
    with pytest.raises(ValidationError) as error:
        agreement_update(
            agreement=agreement, document={"fields": {"status": "draft"}}, expected_edit_count=None, reason="Undo"
        )
    assert "An agreement cannot go from in force to draft" in messages(error.value)
    agreement.refresh_from_db()
    assert agreement.status == "in_force"


def test_agreement_reference_is_unique():
    make_agreement(reference="SAME-REF")
    with pytest.raises(ValidationError) as error:
        make_agreement(reference="SAME-REF")
    assert "Another agreement already has this reference." in messages(error.value)


# ----------------------------------------------------------------------------- schedule numbers


def test_schedule_number_is_unique_in_its_agreement():
    schedule = make_schedule()
    duplicate = Schedule(agreement=schedule.agreement, number=schedule.number, **schedule_fields())
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already has a schedule with this number" in messages(error.value)


def test_same_number_is_fine_in_another_agreement():
    first = make_schedule(fields={"number": 1})
    second = make_schedule(fields={"number": 1})
    assert first.agreement_id != second.agreement_id


def test_next_number_offers_max_plus_one_and_never_reuses_a_deleted_number():
    agreement = make_agreement()
    for number in (1, 2, 6):
        make_schedule(agreement=agreement, fields={"number": number})
    assert schedule_next_number(agreement) == 7

    seventh = make_schedule(agreement=agreement)
    assert seventh.number == 7
    schedule_delete(schedule=seventh, user=None, reason="Created by mistake")
    assert not agreement.schedules.filter(number=7).exists()
    assert schedule_next_number(agreement) == 8

    with pytest.raises(ValidationError) as error:
        make_schedule(agreement=agreement, fields={"number": 7})
    assert "Schedule 7 was used before in this agreement and its number cannot be reused" in messages(error.value)
    assert "The next free number is 8." in messages(error.value)


def test_schedule_with_an_agreed_version_cannot_be_deleted():
    schedule = make_schedule()
    schedule_agree(schedule=schedule, decision=decision())
    with pytest.raises(ValidationError) as error:
        schedule_delete(schedule=schedule, user=None, reason="Tidy up")
    assert "cannot be deleted" in messages(error.value)
    assert "Withdraw" in messages(error.value)
    assert Schedule.objects.filter(pk=schedule.pk).exists()


def test_withdrawn_schedule_keeps_its_number():
    agreement = make_agreement()
    make_schedule(agreement=agreement, fields={"number": 1})
    second = make_schedule(agreement=agreement, fields={"number": 2})
    schedule_agree(schedule=second, decision=decision())
    schedule_withdraw(schedule=second, expected_edit_count=None, user=None, reason="Service decommissioned")
    second.refresh_from_db()
    assert second.status == ScheduleStatus.WITHDRAWN
    assert second.number == 2
    assert schedule_next_number(agreement) == 3
    with pytest.raises(ValidationError) as error:
        make_schedule(agreement=agreement, fields={"number": 2})
    assert "already has a schedule with this number" in messages(error.value)


def test_schedule_needs_at_least_one_type_of_arrangement():
    agreement = make_agreement()
    with pytest.raises(ValidationError) as error:
        schedule_create(
            agreement=agreement,
            document={"fields": schedule_fields(lead_commissioning=False)},
            reason="No arrangement",
        )
    assert "Choose at least one type of arrangement" in messages(error.value)
    assert not agreement.schedules.exists()


# ----------------------------------------------------------------------------- budget lines


@pytest.fixture
def budget_schedule():
    council, ccg = make_council(short_name="LBH"), make_ccg()
    agreement = make_agreement(partners=[council, ccg])
    schedule = make_schedule(agreement=agreement, fields={"aligned_budgets": True})
    return schedule, council, ccg


def budget_line(schedule, partner, **values) -> BudgetLine:
    return BudgetLine(
        schedule=schedule, service=values.pop("service", "Health visiting"), partner=partner,
        financial_year=values.pop("financial_year", 2018), budget_type=values.pop("budget_type", "aligned"),
        **values,
    )


def test_budget_amount_cannot_be_negative(budget_schedule):
    schedule, council, _ = budget_schedule
    with pytest.raises(ValidationError) as error:
        budget_line(schedule, council, amount=Decimal("-1.00"), status="confirmed").full_clean()
    assert "An amount cannot be negative." in messages(error.value)


def test_budget_not_applicable_has_no_amount(budget_schedule):
    schedule, _, ccg = budget_schedule
    with pytest.raises(ValidationError) as error:
        budget_line(schedule, ccg, amount=Decimal("10.00"), status="not_applicable").full_clean()
    assert "A line that is not applicable cannot have an amount." in messages(error.value)


def test_budget_confirmed_line_needs_an_amount(budget_schedule):
    schedule, council, _ = budget_schedule
    with pytest.raises(ValidationError) as error:
        budget_line(schedule, council, amount=None, status="confirmed").full_clean()
    assert "A confirmed line needs an amount." in messages(error.value)


def test_budget_to_be_agreed_may_have_no_amount(budget_schedule):
    schedule, council, _ = budget_schedule
    budget_line(schedule, council, amount=None, status="to_be_agreed").full_clean()


def test_budget_line_is_unique_per_service_partner_year_and_type(budget_schedule):
    schedule, council, _ = budget_schedule
    budget_line(schedule, council, amount=Decimal("4388588.00"), status="confirmed").save()
    with pytest.raises(ValidationError) as error:
        budget_line(schedule, council, amount=Decimal("1.00"), status="confirmed").full_clean()
    assert (
        "This schedule already has a line for this service, partner, financial year and budget type."
        in messages(error.value)
    )
    # Another year or budget type is a different line.
    budget_line(schedule, council, amount=Decimal("1.00"), status="confirmed", financial_year=2019).full_clean()
    budget_line(schedule, council, amount=Decimal("1.00"), status="confirmed", budget_type="pooled").full_clean()


def test_budget_duplicate_lines_in_one_save_are_refused_with_the_row(budget_schedule):
    schedule, council, _ = budget_schedule
    line = {"service": "School nursing", "partner_id": council.pk, "financial_year": 2018,
            "budget_type": "aligned", "amount": "644000.00", "status": "confirmed"}
    with pytest.raises(ValidationError) as error:
        schedule_update(
            schedule=schedule, document={"budget_lines": [line, dict(line)]}, expected_edit_count=None,
            reason="Twice",
        )
    assert "Budget line 2" in messages(error.value)
    assert not schedule.budget_lines.exists()


def test_budget_partner_must_be_a_party(budget_schedule):
    schedule, _, _ = budget_schedule
    outsider = make_council(name="Cambridgeshire County Council")
    with pytest.raises(ValidationError) as error:
        budget_line(schedule, outsider, amount=Decimal("1.00"), status="confirmed").full_clean()
    assert "Cambridgeshire County Council is not a party to agreement" in messages(error.value)


# ----------------------------------------------------------------------------- terms of reference


def test_member_is_a_partner_or_a_typed_organisation_not_both():
    board = make_board()
    council = make_council()
    with pytest.raises(ValidationError) as error:
        terms_create(
            board=board,
            document={
                "fields": {"title": "Terms", "purpose": "Purpose", "meeting_frequency": "Monthly."},
                "members": [{"role": "Chair", "organisation_id": council.pk, "organisation_name": "Somewhere else"}],
            },
            reason="Test",
        )
    assert "Choose a partner or type an organisation's name, not both." in messages(error.value)
    assert "Member 1" in messages(error.value)


def test_board_cannot_report_to_itself():
    board = make_board()
    board.reports_to = board
    with pytest.raises(ValidationError) as error:
        board.full_clean()
    assert "A board cannot report to itself." in messages(error.value)


# ----------------------------------------------------------------------------- ordered items and history


def test_item_numbers_follow_their_order_after_reordering():
    schedule = make_schedule(outcomes=[{"text": "First"}, {"text": "Second"}, {"text": "Third"}])
    outcomes = list(schedule.outcomes.all())
    assert [(o.position, o.text) for o in outcomes] == [(1, "First"), (2, "Second"), (3, "Third")]

    reversed_items = [{"id": o.pk, "text": o.text} for o in reversed(outcomes)]
    schedule_update(schedule=schedule, document={"outcomes": reversed_items}, expected_edit_count=None,
                    reason="Put the most important outcome first")
    assert [(o.position, o.text) for o in schedule.outcomes.all()] == [(1, "Third"), (2, "Second"), (3, "First")]
    assert sorted(o.pk for o in schedule.outcomes.all()) == sorted(o.pk for o in outcomes)


def test_history_rows_carry_user_and_reason():
    user = make_user("haringey-commissioner", first_name="Amina", last_name="Okafor")
    created = make_schedule(outcomes=[{"text": "Improved access to community health services."}])
    schedule = Schedule.objects.get(pk=created.pk)  # as a view would load it
    outcome = schedule.outcomes.get()
    reason = "Reworded the outcome after the board meeting"

    revision = schedule_update(
        schedule=schedule,
        document={"fields": {"title": "Renamed services"},
                  "outcomes": [{"id": outcome.pk, "text": "Improved access to community health services for all."}]},
        expected_edit_count=None, user=user, reason=reason,
    )
    assert revision == latest_revision(schedule)
    assert revision.user == user and revision.reason == reason

    schedule_row = Schedule.history.filter(id=schedule.pk).order_by("-history_date", "-history_id").first()
    assert schedule_row.title == "Renamed services"
    assert schedule_row.history_user == user
    assert schedule_row.history_change_reason == reason
    assert schedule_row.revision_id == revision.pk

    outcome_row = Outcome.history.filter(id=outcome.pk).order_by("-history_date", "-history_id").first()
    assert outcome_row.text == "Improved access to community health services for all."
    assert outcome_row.history_user == user
    assert outcome_row.history_change_reason == reason
    assert outcome_row.revision_id == revision.pk


def test_a_change_needs_a_reason():
    schedule = make_schedule()
    with pytest.raises(ValidationError) as error:
        schedule_update(schedule=schedule, document={"fields": {"title": "New"}}, expected_edit_count=None,
                        reason="  ")
    assert "Enter the reason for this change." in messages(error.value)


def test_history_reason_is_the_latest_even_on_the_instance_that_was_created():
    schedule = make_schedule(reason="Created")
    schedule_update(schedule=schedule, document={"fields": {"title": "Renamed"}}, expected_edit_count=None,
                    reason="Renamed")
    row = Schedule.history.filter(id=schedule.pk).order_by("-history_date", "-history_id").first()
    assert row.history_change_reason == "Renamed"


@pytest.mark.django_db
def test_a_party_still_named_by_a_schedule_cannot_be_removed():
    from agreements.services.agreements import agreement_update
    from agreements.services.schedules import schedule_create

    council, ccg, other_ccg = make_council(), make_ccg(), make_ccg()
    agreement = make_agreement(partners=[council, ccg, other_ccg])
    schedule_create(
        agreement=agreement, document={"fields": schedule_fields(lead_commissioner_id=other_ccg.pk)},
        reason="Lead commissioner is the second CCG",
    )
    agreement.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        agreement_update(
            agreement=agreement, expected_edit_count=agreement.edit_count, reason="Drop the second CCG",
            document={"parties": [{"partner_id": council.pk, "role": "party"}, {"partner_id": ccg.pk, "role": "party"}]},
        )
    assert f"{other_ccg.name} cannot stop being a party: Schedule 1 names it as lead commissioner." in messages(error.value)
    assert agreement.parties.count() == 3
