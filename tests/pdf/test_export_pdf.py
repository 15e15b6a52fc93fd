"""python manage.py export_pdf"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


def test_writes_a_schedule_version_and_the_pack(demo, db, tmp_path):
    target = tmp_path / "s6.pdf"
    call_command("export_pdf", "HARINGEY-S75-2017", "--schedule", "6", "--version", "1", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-")
    call_command("export_pdf", "HARINGEY-S75-2017", "--as-of", "2019-01-01", "--output", str(tmp_path))
    assert (tmp_path / "HARINGEY-S75-2017-pack-as-of-2019-01-01.pdf").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["NOPE"], "No agreement has the reference 'NOPE'"),
    (["HARINGEY-S75-2017", "--schedule", "9"], "has no Schedule 9"),
    (["HARINGEY-S75-2017", "--schedule", "6", "--version", "5"], "has no version 5"),
    (["HARINGEY-S75-2017", "--as-of", "2019-02-30"], "is not a date"),
])
def test_clear_errors(demo, db, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_pdf", *args, "--output", str(tmp_path / "x.pdf"))


def test_a_reference_cannot_write_outside_the_output_folder(demo, db, tmp_path):
    from agreements.models import Agreement

    reference = '../../escaped\r"name'
    Agreement.objects.filter(reference="HARINGEY-S75-2017").update(reference=reference)
    folder = tmp_path / "out"
    folder.mkdir()
    call_command("export_pdf", reference, "--schedule", "6", "--output", str(folder))
    written = list(folder.iterdir())
    # (a draft: the reference now differs from the one version 1 agreed)
    assert [path.name for path in written] == ["escaped-name-schedule-6-draft.pdf"]
    assert not list(tmp_path.glob("escaped*")) and not list(tmp_path.parent.glob("escaped*"))
