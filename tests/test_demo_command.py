"""The load_demo command on an empty database (apart from tests/test_demo_data.py, whose tests share
one loaded demo per module)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agreements.demo import DEMO_PASSWORD
from agreements.models import Agreement

pytestmark = pytest.mark.django_db


def test_command_refuses_without_debug_and_loads_with_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="demo data is never loaded in production"):
        call_command("load_demo", stdout=StringIO())
    assert not Agreement.objects.exists()
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert "haringey-commissioner" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert "already exists" in out.getvalue()
    assert Agreement.objects.count() == 2
