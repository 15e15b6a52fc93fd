"""import_budgets without --schedule: an agreement-wide file with a Schedule column, as the page imports it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from agreements.services.schedules import schedule_create
from tests.budgets.helpers import written

HEADER = "Schedule,Financial year,Service,Partner,Budget type,Amount (£)"


@pytest.fixture
def two_schedules(schedule, agreement):
    other = schedule_create(agreement=agreement, document={"fields": {"number": 2, "title": "Adults",
                                                                      "service_name": "Adult services", "pooled_fund": True}},
                            reason="Set up for tests")
    return schedule, other


def write(tmp_path, *rows: str):
    path = tmp_path / "agreement.csv"
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode())
    return path


def test_dry_run_shows_each_schedule_and_writes_nothing(two_schedules, tmp_path, capsys):
    path = write(tmp_path, "6,2018/19,Health visiting,LBH,Pooled,100", "2,2018/19,Reablement,LBH,Pooled,5")
    counts = written()
    call_command("import_budgets", str(path), "--agreement", "HAR-S75-2017", "--dry-run")
    out = capsys.readouterr().out
    assert "Schedule 2: 1 new, 0 changed, 0 unchanged" in out and "Schedule 6: 1 new" in out
    assert "Dry run: nothing was written." in out
    assert written() == counts


def test_import_writes_every_schedule(two_schedules, tmp_path, capsys):
    six, two = two_schedules
    path = write(tmp_path, "6,2018/19,Health visiting,LBH,Pooled,100", "2,2018/19,Reablement,LBH,Pooled,5")
    call_command("import_budgets", str(path), "--agreement", "HAR-S75-2017", "--reason", "Board")
    assert "Imported agreement.csv: Schedule 2: 1 new, 0 changed; Schedule 6: 1 new, 0 changed." in capsys.readouterr().out
    assert (six.budget_lines.count(), two.budget_lines.count()) == (1, 1)


def test_an_unknown_schedule_exits_non_zero_with_nothing_written(two_schedules, tmp_path, capsys):
    path = write(tmp_path, "6,2018/19,Health visiting,LBH,Pooled,100", "8,2018/19,Reablement,LBH,Pooled,5")
    counts = written()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_budgets", str(path), "--agreement", "HAR-S75-2017")
    assert "Row 3, column “Schedule”: Agreement HAR-S75-2017 has no Schedule 8" in capsys.readouterr().err
    assert written() == counts


def test_a_year_without_a_schedule_is_refused(two_schedules, tmp_path):
    with pytest.raises(CommandError, match="give --schedule too"):
        call_command("import_budgets", str(write(tmp_path)), "--agreement", "HAR-S75-2017", "--year", "2018/19")
