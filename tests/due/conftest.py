"""An agreement between a council and a CCG, a board managing it, and users of both and of an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from agreements.models import Agreement
from governance.models import Board
from governance.services import board_add_agreement, meeting_schedule_set
from partnerships.models import Partner, Role
from tests.factories import make_agreement, make_board, make_ccg, make_council, make_user

TODAY = date(2026, 12, 7)  # a Monday: the digest goes out


@dataclass
class World:
    council: Partner
    ccg: Partner
    outsider: Partner
    agreement: Agreement
    secret: Agreement  # the outsider's own agreement, which no one else may see
    board: Board
    users: dict

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


@pytest.fixture
def world(db) -> World:
    council, ccg, outsider, outsider_ccg = make_council(name="Riverside Council"), make_ccg(name="Riverside CCG"), \
        make_council(name="Hilltop Council"), make_ccg(name="Hilltop CCG")
    agreement = make_agreement(
        partners=[council, ccg], reference="RIVER-S75", status="in_force", title="Riverside partnership",
        review_due="2026-11-30", expires="2027-09-30", notice_period_months=6,
    )
    secret = make_agreement(partners=[outsider, outsider_ccg], reference="HILL-S75", status="in_force",
                            title="Hilltop partnership", review_due="2026-12-20")
    board = make_board("Riverside Joint Board")
    board_add_agreement(board=board, agreement=agreement, reason="Test")
    meeting_schedule_set(board=board, first_meeting=date(2026, 1, 14), every_months=2,
                         changes=[(date(2027, 1, 14), date(2027, 1, 21)), (date(2027, 3, 14), None)])
    users = {
        "commissioner": make_user("river-commissioner", partner=council, email="commissioner@riverside.example"),
        "viewer": make_user("river-viewer", partner=ccg, role=Role.VIEWER, email="viewer@riverside.example"),
        "outsider": make_user("hill-commissioner", partner=outsider, email="commissioner@hilltop.example"),
    }
    return World(council, ccg, outsider, agreement, secret, board, users)
