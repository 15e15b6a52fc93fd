from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.budgets.helpers import csv_bytes, written


def test_dry_run_prints_the_preview_and_writes_nothing(schedule, shared_budgets, capsys):
    counts = written()
    call_command("import_budgets", str(shared_budgets / "haringey-schedule-6-aligned-budgets.xlsx"),
                 "--agreement", "HAR-S75-2017", "--schedule", "6", "--year", "2018/19", "--budget-type", "aligned",
                 "--dry-run")
    out = capsys.readouterr().out
    assert "18 new, 0 changed, 0 unchanged" in out and "nothing was written" in out
    assert written() == counts


def test_import_writes(schedule, shared_budgets, capsys):
    call_command("import_budgets", str(shared_budgets / "budget-lines-three-years.csv"),
                 "--agreement", "HAR-S75-2017", "--schedule", "6")
    assert "Imported budget-lines-three-years.csv: 180 new" in capsys.readouterr().out
    assert schedule.budget_lines.count() == 180


def test_errors_exit_non_zero_with_nothing_written(schedule, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes("2018/19,Health visiting,LBH,Pooled,100,,No,",
                               "2018/19,School nursing,Nobody,Pooled,5,,No,"))
    counts = written()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_budgets", str(path), "--agreement", "HAR-S75-2017", "--schedule", "6")
    assert "Row 3" in capsys.readouterr().err
    assert written() == counts


def test_unknown_schedule(schedule):
    with pytest.raises(CommandError, match="has no schedule 9"):
        call_command("import_budgets", "x.csv", "--agreement", "HAR-S75-2017", "--schedule", "9")


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_a_readme_is_refused_as_not_a_spreadsheet(schedule, shared_budgets, tmp_path, capsys, dry_run):
    renamed = tmp_path / "budgets.csv"
    renamed.write_bytes((shared_budgets / "README.md").read_bytes())
    for path in (shared_budgets / "README.md", renamed):
        counts = written()
        with pytest.raises(CommandError, match="1 error\\(s\\); nothing was written"):
            call_command("import_budgets", str(path), "--agreement", "HAR-S75-2017", "--schedule", "6",
                         "--year", "2018/19", "--budget-type", "aligned", *dry_run)
        assert f"{path.name} is not a spreadsheet: upload an xlsx or csv file." in capsys.readouterr().err
        assert written() == counts
