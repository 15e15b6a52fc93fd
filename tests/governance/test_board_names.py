"""A board's pages name it in full in the breadcrumbs, as its history pages do, not by its short name."""

from __future__ import annotations

import pytest

from governance.models import Board
from tests.governance.conftest import CHJCB
from tests.history.test_breadcrumbs import trail

pytestmark = pytest.mark.django_db


def test_the_terms_page_breadcrumbs_name_the_board_in_full(client_for):
    board = Board.objects.get(name=CHJCB)
    assert board.short_name == "CHJCB"
    html = client_for("cambridgeshire-commissioner").get(f"/boards/{board.pk}/terms/").content.decode()
    assert trail(html) == [("Boards", "/boards/"), (CHJCB, f"/boards/{board.pk}/"), ("Terms of reference", "")]
