"""Every URL in the project, for every role of a party partner, every role of an outsider
partner and an anonymous visitor, for GET and POST: who gets in, who gets 403, who gets 404.

The matrix below must name every URL pattern (the admin apart, checked at the end): a new page
without an entry fails `test_every_url_has_an_entry`, so nothing can be added unguarded.
Anonymous visitors are sent to sign in; users of a partner that is not party to the object get
404 (its existence is not revealed); roles that may not act get 403; the others succeed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.models import DecisionNotice, PartyDecision, Schedule
from budgets.importing import budget_lines_import
from documents.revisions import revisions_of
from governance.demo import load_demo_data
from governance.models import Board
from partnerships.models import Partner, Profile, Role
from tests.security.matrix_api import API, api_expected, api_outcome, api_url

C, L, F, V = "commissioner", "legal officer", "finance officer", "viewer"
ALL = frozenset({C, L, F, V})
DENIED = {403, 404}


@dataclass(frozen=True)
class Entry:
    scope: str  # "haringey" (the Haringey agreement), "board" (the Cambridgeshire board), "global", "public"
    get: frozenset[str]
    post: frozenset[str]
    # What "allowed" looks like when the objects in the URL cannot all be real (e.g. an expired token).
    ok: frozenset[int] = field(default_factory=frozenset)


def entry(scope, get=ALL, post=None, ok=()):
    return Entry(scope, frozenset(get), frozenset(get if post is None else post), frozenset(ok))


MATRIX: dict[str, Entry] = {
    "login": entry("public"),
    "logout": entry("public"),
    # Sign-in with the organisation's account: public, and 404 unless OIDC_* are set (tests/oidc/).
    "oidc_authentication_init": entry("public"),
    "oidc_authentication_callback": entry("public"),
    "home": entry("global"),
    "agreement": entry("haringey"),
    "agreement_edit": entry("haringey", {C}),
    "agreement_section_edit": entry("haringey", {C}),
    "agreement_history": entry("haringey"),
    "agreement_activity": entry("haringey"),
    "agreement_compare": entry("haringey"),
    "agreement_version": entry("haringey"),
    "agreement_as_of": entry("haringey"),
    "agreement_restore": entry("haringey", {L}),
    "schedule_add": entry("haringey", {C}),
    "schedule": entry("haringey"),
    "schedule_edit": entry("haringey", {C}),
    "schedule_section_edit": entry("haringey", {C}),
    # The budget lines table: whoever may edit and import budget lines (as the import).
    "schedule_budget_lines": entry("haringey", {C, F}),
    "schedule_history": entry("haringey"),
    "schedule_compare": entry("haringey"),
    "schedule_version": entry("haringey"),
    "schedule_as_of": entry("haringey"),
    "schedule_restore": entry("haringey", {L}),
    "boards": entry("global"),
    "board": entry("board"),
    "board_edit": entry("board", {C}),
    "board_meetings": entry("board", ALL, {C}),
    "board_history": entry("board"),
    "board_compare": entry("board"),
    "board_as_of": entry("board"),
    "board_restore": entry("board", {C}),
    "terms": entry("board"),
    "terms_edit": entry("board", {C}),
    "terms_section_edit": entry("board", {C}),
    "terms_history": entry("board"),
    "terms_compare": entry("board"),
    "terms_version": entry("board"),
    "terms_as_of": entry("board"),
    "terms_agree": entry("board", {L}),
    "terms_restore": entry("board", {L}),
    "budgets:import": entry("haringey", {C, F}),
    # A token only lives in the session that uploaded the file: anyone else's is unknown (404).
    "budgets:import_preview": entry("haringey", {C, F}, ok={404}),
    "budgets:import_result": entry("haringey"),
    "budgets:import_template": entry("haringey"),  # a blank file with the agreement's partners: for all who read it
    "budgets:agreement_import": entry("haringey", {C, F}),
    "budgets:agreement_import_preview": entry("haringey", {C, F}, ok={404}),
    "budgets:agreement_import_template": entry("haringey"),
    "budgets:schedule_export": entry("haringey"),
    "budgets:schedule_reports": entry("haringey"),
    "budgets:schedule_reports_xlsx": entry("haringey"),
    "budgets:agreement_export": entry("haringey"),
    "budgets:agreement_reports": entry("haringey"),
    "budgets:agreement_reports_xlsx": entry("haringey"),
    # Variations: agreed by every party (the agreement and its schedules have no single agree page).
    "variation_propose": entry("haringey", {C}),
    "variation": entry("haringey"),
    "variation_decide": entry("haringey", {L}),
    "variation_decline": entry("haringey", {L}),
    "variation_withdraw": entry("haringey", {C}),
    "variation_documents": entry("haringey", {C}),
    "variation_notice": entry("haringey"),
    "budgets:monitoring": entry("haringey"),
    "budgets:return": entry("haringey"),
    "budgets:monitoring_edit": entry("haringey", {C, F}),
    "budgets:monitoring_import": entry("haringey", {C, F}),
    "budgets:monitoring_import_preview": entry("haringey", {C, F}, ok={404}),
    "budgets:risk_share_edit": entry("haringey", {C}),
    "budgets:thresholds_edit": entry("haringey", {C, F}),
    "budgets:action_plan": entry("haringey", ALL, {C, F}),
    "budgets:action_plan_new": entry("haringey", {C, F}),
    "budgets:finance_report": entry("haringey"),
    "budgets:finance_report_pdf": entry("haringey"),
    "budgets:finance_report_xlsx": entry("haringey"),
    # The agreement's finance report (every schedule of the period): read by all who read the agreement.
    "budgets:agreement_finance_reports": entry("haringey"),
    "budgets:agreement_finance_report": entry("haringey"),
    "budgets:agreement_finance_report_pdf": entry("haringey"),
    "budgets:agreement_finance_report_xlsx": entry("haringey"),
    "budgets:return_history": entry("haringey"),
    "budgets:return_compare": entry("haringey"),
    "budgets:return_as_of": entry("haringey"),
    "budgets:return_version": entry("haringey"),
    "budgets:return_agree": entry("haringey", {C, L}),
    "budgets:return_restore": entry("haringey", {C, L}),
    "pdf:pack": entry("haringey"),
    "pdf:schedule": entry("haringey"),
    "pdf:terms": entry("board"),
    "api_tokens": entry("global"),
    # Only one's own tokens can be revoked: any other id is unknown (404); GET is refused (405).
    "api_token_revoke": entry("global", ok={404}),
    "api:docs": entry("global"),
    # The API (tests/security/matrix_api.py): 401 for anonymous callers, 405 where nothing can be written.
    **{name: entry(scope, ALL, writers or ()) for name, (scope, writers, _method) in API.items()},
    "due": entry("global"),
    "account": entry("global"),
    "calendar_address_regenerate": entry("global"),  # POST only: a GET answers 405, which is not a way in
    # A Haringey item: its users may download it, Cambridgeshire's get 404 as for the agreement itself.
    "due_item_ics": entry("haringey"),
    # Signed in by the secret in its address, not the session: tested in tests/due/test_calendar_and_settings.py.
    "calendar_feed": entry("public"),
    # The service's accessibility statement and help: open to everyone, signed in or not (footer links).
    "accessibility": entry("public"),
    "help": entry("public"),
}


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_an_entry():
    missing = project_url_names() - set(MATRIX)
    assert not missing, f"Add these URLs to the authorisation matrix: {sorted(missing)}"
    stale = set(MATRIX) - project_url_names()
    assert not stale, f"The matrix names URLs that no longer exist: {sorted(stale)}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data, a user per role at both partners, a budget import and the URLs' arguments."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            load_demo_data()
            users = {}
            groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
            for prefix, partner_name in (("haringey", "Haringey Council"), ("cambs", "Cambridgeshire County Council")):
                partner = Partner.objects.get(name=partner_name)
                for role in Role:
                    user = get_user_model().objects.create_user(f"matrix-{prefix}-{role.name.lower()}", password="x")
                    user.groups.add(groups[role.value])
                    Profile.objects.create(user=user, partner=partner)
                    users[(prefix, role.value)] = user
            schedule = Schedule.objects.get(agreement__reference="HARINGEY-S75-2017", number=6)
            agreement = schedule.agreement
            board = Board.objects.get(short_name="CHJCB")
            csv = b"Financial year,Service,Partner,Budget type,Amount\n2019/20,Health visiting,LBH,Aligned,100\n"
            imported = budget_lines_import(schedule=schedule, filename="matrix.csv", content=csv, reason="Matrix")
            # The demo's variation 1 (Schedule 6) with a decision notice on the council's decision.
            council_decision = PartyDecision.objects.get(variation__agreement=agreement, variation__number=1,
                                                         partner__name="Haringey Council")
            DecisionNotice.objects.create(party_decision=council_decision, file_name="notice.pdf", size=8,
                                          sha256="0" * 64, content=b"%PDF-1.4")
            monitoring = monitoring_return_for_matrix(schedule)
            args = {
                "haringey": {
                    "period": [agreement.reference, schedule.number, 2018, 6],
                    "return_revision": revisions_of(monitoring).last().pk,
                    **action_plan_for_matrix(schedule),
                    "reference": agreement.reference, "number": schedule.number, "version": 1,
                    "schedule_revision": revisions_of(schedule).last().pk,
                    "agreement_revision": revisions_of(agreement).last().pk,
                    "token": "not-a-real-token", "import_pk": imported.budget_import.pk,
                    "party_decision": council_decision.pk,
                    "review_item": f"agreement-{agreement.pk}-review-{agreement.review_due.isoformat()}",
                },
                "board": {
                    "pk": board.pk, "terms_revision": revisions_of(board.terms).last().pk,
                    "board_revision": revisions_of(board).last().pk,
                },
            }
            yield {"users": users, "args": args}
            transaction.set_rollback(True)


def monitoring_return_for_matrix(schedule):
    """Schedule 6's 2018/19 P6 return, presented once (the demo's, or one made here)."""
    from datetime import date

    from budgets.monitoring.models import MonitoringReturn
    from budgets.monitoring.services import return_present, return_save
    from documents.models import Decision

    found = MonitoringReturn.objects.filter(schedule=schedule, financial_year=2018, period=6).first()
    if found is not None:
        return found
    line = schedule.budget_lines.filter(financial_year=2018, amount__isnull=False).first()
    made = return_save(schedule=schedule, financial_year=2018, period=6, reason="Matrix",
                       values={line.pk: {"actual_to_date": "1", "forecast_outturn": "2", "notes": ""}})
    return_present(monitoring_return=made, decision=Decision(body="Matrix board", decided_on=date(2018, 10, 1)))
    return made


def action_plan_for_matrix(schedule):
    """An action plan of Schedule 6 (the demo's, or one made here) and its budget line."""
    from datetime import date

    from budgets.monitoring.action_plans import plan_open
    from budgets.monitoring.models import ActionPlan

    plan = ActionPlan.objects.filter(schedule=schedule).first()
    if plan is None:
        line = schedule.budget_lines.filter(financial_year=2018, amount__isnull=False).first()
        plan = plan_open(schedule=schedule, budget_line=line, owner="Matrix", actions="Act", target_saving=1,
                         due=date(2019, 3, 31), opened_in="2018/19 P6")
    return {"plan": plan.pk, "plan_line": plan.budget_line_id}


def url_for(name: str, world) -> str:
    h, b = world["args"]["haringey"], world["args"]["board"]
    ref, num = h["reference"], h["number"]
    special = {
        "agreement_version": [ref, 1], "agreement_restore": [ref, h["agreement_revision"]],
        "schedule_version": [ref, num, 1], "schedule_restore": [ref, num, h["schedule_revision"]],
        "terms_version": [b["pk"], 1], "terms_restore": [b["pk"], b["terms_revision"]],
        "board_restore": [b["pk"], b["board_revision"]], "api_token_revoke": [999999],
        "budgets:import_preview": [ref, num, h["token"]], "budgets:import_result": [ref, num, h["import_pk"]],
        "budgets:schedule_export": [ref, num, "csv"], "budgets:agreement_export": [ref, "csv"],
        "budgets:import_template": [ref, num, "budget-lines", "csv"], "budgets:agreement_import_template": [ref, "csv"],
        "budgets:agreement_import_preview": [ref, h["token"]],
        "variation": [ref, 1], "variation_decide": [ref, 1], "variation_decline": [ref, 1],
        "variation_withdraw": [ref, 1], "variation_documents": [ref, 1], "variation_notice": [ref, 1, h["party_decision"]],
        "due_item_ics": [h["review_item"]],
        "agreement_section_edit": [ref, "details"], "schedule_section_edit": [ref, num, "aims"],
        "terms_section_edit": [b["pk"], "members"],
    }
    period = h["period"]
    special |= {"budgets:action_plan": [ref, num, h["plan"]], "budgets:action_plan_new": [*period, h["plan_line"]],
                "budgets:return_version": [*period, 1], "budgets:return_restore": [*period, h["return_revision"]]}
    special |= {"budgets:monitoring": [ref, num], "budgets:monitoring_import": [ref, num], "budgets:risk_share_edit": [ref, num],
                "budgets:monitoring_import_preview": [ref, num, h["token"]]}
    special |= {name: [ref, *period[2:]] for name in ("budgets:agreement_finance_report",
                                                       "budgets:agreement_finance_report_pdf",
                                                       "budgets:agreement_finance_report_xlsx")}
    if name.startswith(("budgets:monitoring_", "budgets:return", "budgets:finance")) and name not in special:
        return reverse(name, args=period)
    if name in special:
        return reverse(name, args=special[name])
    scope = MATRIX[name].scope
    if scope in ("global", "public"):
        return reverse(name)
    if scope == "board":
        return reverse(name, args=[b["pk"]])
    if name.startswith(("schedule", "budgets:schedule", "budgets:import", "pdf:schedule")) and name != "schedule_add":
        return reverse(name, args=[ref, num])
    return reverse(name, args=[ref])


def _cases():
    for name, spec in MATRIX.items():
        if spec.scope == "public":
            continue
        for method in ("get", "post"):
            yield pytest.param(name, method, id=f"{name}-{method}")


def _expected(spec: Entry, method: str, role: str, insider: bool) -> str:
    if spec.scope in ("haringey", "board") and not insider:
        return "404"
    allowed = spec.get if method == "get" else spec.post
    return "ok" if role in allowed else "403"


def _outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status == 302 and "/sign-in/" in response.get("Location", ""):
        return "sign-in"
    if status in DENIED:
        return str(status)
    return "ok"


def _matches(response, want: str, spec: Entry) -> bool:
    return _outcome(response) == want or (want == "ok" and response.status_code in spec.ok)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), list(_cases()))
def test_matrix(name, method, world):
    if name in API:
        return check_api(name, method, world)
    spec = MATRIX[name]
    url = url_for(name, world)
    send = lambda client: getattr(client, method)(url)  # noqa: E731
    assert _outcome(send(Client())) == "sign-in", f"anonymous {method.upper()} {url}"
    party = "cambs" if spec.scope == "board" else "haringey"
    problems = []
    for (prefix, role), user in world["users"].items():
        client = Client()
        client.force_login(user)
        response = send(client)
        want = _expected(spec, method, role, insider=(prefix == party or spec.scope == "global"))
        if not _matches(response, want, spec):
            problems.append(f"{prefix} {role}: got {_outcome(response)} ({response.status_code}), expected {want}")
    assert not problems, f"{method.upper()} {url}:\n" + "\n".join(problems)


def check_api(name, method, world):
    """An API endpoint with a token per user; its write method (POST or PATCH) for "post"."""
    from rest_framework.test import APIClient

    from partnerships.tokens import api_token_create

    scope = API[name][0]
    url = api_url(name, world)
    verb = "get" if method == "get" else API[name][2]
    assert api_outcome(getattr(APIClient(), verb)(url)) == "401", f"anonymous {verb.upper()} {url}"
    party = "cambs" if scope == "board" else "haringey"
    problems = []
    for (prefix, role), user in world["users"].items():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name=name)[1]}")
        response = getattr(client, verb)(url, format="json")
        want = api_expected(name, method, role, insider=(prefix == party or scope == "global"))
        if api_outcome(response) != want:
            problems.append(f"{prefix} {role}: got {api_outcome(response)} ({response.status_code}), expected {want}")
    assert not problems, f"{verb.upper()} {url}:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_admin_is_for_staff_only(world):
    for user in world["users"].values():
        client = Client()
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], user.username
    assert Client().get("/admin/").status_code == 302
    staff = get_user_model().objects.create_user("matrix-staff", password="x", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_public_pages(world):
    assert Client().get(reverse("login")).status_code == 200
    assert Client().get(reverse("calendar_feed", args=["not-a-real-token"])).status_code == 404
    signed_in = Client()
    signed_in.force_login(world["users"][("haringey", C)])
    assert signed_in.post(reverse("logout")).status_code == 302
    assert signed_in.get(reverse("home")).status_code == 302  # signed out now
    member = Client()
    member.force_login(world["users"][("cambs", V)])
    for name in ("accessibility", "help"):  # readable signed in or not
        assert Client().get(reverse(name)).status_code == 200
        assert member.get(reverse(name)).status_code == 200
    for name in ("oidc_authentication_init", "oidc_authentication_callback"):  # not configured here
        assert Client().get(reverse(name)).status_code == 404
        assert Client().post(reverse(name)).status_code == 404


@pytest.mark.django_db
def test_uploaded_files_are_never_served(world, settings):
    from budgets.models import BudgetImport

    stored = BudgetImport.objects.get(pk=world["args"]["haringey"]["import_pk"]).file.name
    for user in (None, world["users"][("cambs", C)], world["users"][("haringey", F)]):
        client = Client()
        if user is not None:
            client.force_login(user)
        assert client.get(f"{settings.MEDIA_URL}{stored}").status_code in (302, 404)
