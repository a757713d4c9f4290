"""Every route of the app, called as every role: a sponsor or broker never receives PHI (names,
member ids, dates of birth, diagnoses) from any route, and is refused every TPA route; a claims
examiner is refused the sponsor dashboard's figures."""

import re
import time
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response
from starlette.routing import Mount

from openaso.services.access import Role
from tests.e2e.site import ANALYSED, PHI

# The sponsor dashboard and its API: TPA admin, sponsor and broker, not a claims examiner.
NOT_FOR_EXAMINERS = {
    ("GET", "/dashboard"),
    ("GET", "/api/v1/sponsors/{sponsor_id}/claims-by-month"),
    ("GET", "/api/v1/sponsors/{sponsor_id}/stop-loss"),
    ("GET", "/api/v1/sponsors/{sponsor_id}/invoices"),
    ("GET", "/api/v1/sponsors/{sponsor_id}/plan-year/{year}"),
}
# The only routes a de-identified role may use; every other route must answer it 403.
FOR_EVERY_ROLE = {
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/funding"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/sponsors"),
    ("GET", "/api/v1/sponsors/{sponsor_id}/funding"),
    ("GET", "/api/v1/sponsors/{sponsor_id}/payment-runs"),
    *NOT_FOR_EXAMINERS,
}
# The broker's reports and simulations: a sponsor may read its own sponsor's reports, a broker
# those of its assigned sponsors and run simulations; examiners neither.
REPORTS = {
    ("GET", "/analysis"),
    ("GET", "/analysis/{sponsor_id}"),
    *(("GET", f"/analysis/{{sponsor_id}}/{tab}") for tab in ("lag", "experience", "rates")),
    ("GET", "/analysis/{sponsor_id}/compare"),
    *(
        ("GET", f"/api/v1/sponsors/{{sponsor_id}}/reports/{report}")
        for report in ("lag", "ibnr", "experience", "rates", "compare")
    ),
}
SIMULATIONS = {
    ("GET", "/analysis/{sponsor_id}/simulations"),
    ("POST", "/analysis/{sponsor_id}/simulations"),
    ("GET", "/analysis/{sponsor_id}/simulations/{job_id}"),
    ("POST", "/api/v1/sponsors/{sponsor_id}/simulations"),
    ("GET", "/api/v1/simulations/{job_id}"),
}
ALLOWED = {
    Role.SPONSOR: FOR_EVERY_ROLE | REPORTS,
    Role.BROKER: FOR_EVERY_ROLE | REPORTS | SIMULATIONS,
}
# They are walked for the sponsor with claims enough for every report.
ANALYSIS_PATHS = (
    "/analysis",
    "/api/v1/sponsors/{sponsor_id}/reports/",
    "/api/v1/sponsors/{sponsor_id}/simulations",
    "/api/v1/simulations",
)
VALUES = {
    "claim_id": "C-PEND",
    "member_id": "E100",
    "sponsor_id": "acme",
    "run_id": "1",
    "number": "00000001",  # the run's one payment, released when funded
    "request_id": "FR-1",
    "year": "2026",
    # FHIR ids: the member, its medical coverage span from 2026-01-01, the pended claim
    "patient_id": "E100",
    "coverage_id": "E100-medical-20260101",
    "eob_id": "C-PEND",
}
FORM = {"line": "1", "allowed": "10.00", "reason": "test", "carc": "50", "group": "CO"}


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route of the app, routers included (static files aside)."""
    found = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            continue
        assert route.path, f"a route the matrix cannot walk: {route!r}"
        assert route.methods, f"a route the matrix cannot walk: {route!r}"
        found += [(method, route.path) for method in sorted(route.methods) if method != "HEAD"]
    return found


def _url(path: str) -> str:
    # An id the matrix does not know (a route added later) gets a member id: the PHI to find.
    values = VALUES | ({"sponsor_id": ANALYSED} if path.startswith(ANALYSIS_PATHS) else {})
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "E100"), path)


@pytest.fixture
def simulation_of(
    bearer: Callable[[Role], TestClient], monkeypatch: pytest.MonkeyPatch
) -> Callable[[Role], None]:
    """A finished simulation of `role`'s login (jobs are seen only by who started them), walked
    as the routes' job_id."""

    def run(role: Role) -> None:
        if role not in (Role.BROKER, Role.TPA_ADMIN):
            return
        client = bearer(role)
        body = {"options": [{"name": "specific 50k", "specific_deductible": "50000"}]}
        job = client.post(f"/api/v1/sponsors/{ANALYSED}/simulations", json=body).json()["id"]
        deadline = time.monotonic() + 30
        while client.get(f"/api/v1/simulations/{job}").json()["state"] != "done":
            assert time.monotonic() < deadline, "the simulation did not finish"
            time.sleep(0.05)
        monkeypatch.setitem(VALUES, "job_id", job)

    return run


def _call(client: TestClient, method: str, path: str, csrf: str | None, n: int) -> Response:
    url = _url(path)
    answer: Response
    if method == "GET":
        answer = client.get(url)
    elif path.startswith("/api"):
        body = {
            "claims": [
                {
                    "id": f"M-{n}",
                    "member": "E100",
                    "received": "2026-04-01",
                    "provider": "1234567893",
                    "lines": [{"code": "99213", "date": "2026-04-01", "billed": "150.00"}],
                }
            ]
        }
        headers = {"X-CSRF-Token": csrf} if csrf else {}
        answer = client.request(method, url, json=body, headers=headers)
    else:
        answer = client.request(method, url, data={**FORM, "csrf": csrf or "not-this-session"})
    return answer


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.BROKER])
def test_no_route_gives_a_sponsor_or_broker_phi_and_tpa_routes_refuse_them(
    app: FastAPI,
    role: Role,
    signed_in: Callable[[Role], tuple[TestClient, str]],
    bearer: Callable[[Role], TestClient],
    simulation_of: Callable[[Role], None],
) -> None:
    simulation_of(role)
    session, csrf = signed_in(role)
    clients = (("token", bearer(role), None), ("session", session, csrf))
    routes = _routes(app)
    assert len(routes) >= 20  # the whole table, not a sample
    walked = 0
    for n, (method, path) in enumerate(routes):
        if (method, path) == ("POST", "/logout"):
            continue  # walked last, so the session lasts the walk
        for how, client, token in clients:
            answer = _call(client, method, path, token, n)
            where = f"{role} by {how}: {method} {path} -> {answer.status_code}"
            leaked = [word for word in PHI if word in answer.text]
            assert not leaked, f"{where} shows {leaked}"
            if (method, path) not in ALLOWED[role]:
                assert answer.status_code == 403, where
            else:
                assert answer.status_code < 500, where
            walked += 1
    assert session.post("/logout", data={"csrf": csrf}).status_code == 200
    assert walked == 2 * (len(routes) - 1)


@pytest.mark.parametrize("role", [Role.TPA_ADMIN, Role.EXAMINER])
def test_tpa_staff_may_read_every_route_and_see_the_member(
    app: FastAPI,
    role: Role,
    bearer: Callable[[Role], TestClient],
    simulation_of: Callable[[Role], None],
) -> None:
    simulation_of(role)
    client = bearer(role)
    for method, path in _routes(app):
        if method != "GET":
            continue
        answer = client.get(_url(path))
        refused = (
            role == Role.EXAMINER and (method, path) in NOT_FOR_EXAMINERS | REPORTS | SIMULATIONS
        )
        expected = 403 if refused else 200
        assert answer.status_code == expected, f"{method} {path} -> {answer.status_code}"
    assert "Okafor" in client.get("/members/E100").text
    assert "M5416" in client.get("/claims/C-PEND").text


def test_a_sponsor_login_may_not_see_another_sponsor(app: FastAPI, site: object) -> None:
    from openaso.services.users import add_user, issue_token
    from tests.integration.books import AT

    new_uow = site.new_uow  # type: ignore[attr-defined]
    add_user(new_uow(), "other-hr", Role.SPONSOR, None, ["globex"], AT, "test")
    client = TestClient(
        app, headers={"Authorization": f"Bearer {issue_token(new_uow(), 'other-hr', AT, 'test')}"}
    )
    assert client.get("/api/v1/sponsors/acme/funding").status_code == 403
    assert client.get("/api/v1/sponsors").json() == {"data": [], "count": 0}


def test_no_sign_in_gets_401_from_the_api_and_the_login_page_elsewhere(app: FastAPI) -> None:
    client = TestClient(app)
    for method, path in _routes(app):
        if method != "GET" or path in ("/login", "/api/v1/openapi.json"):
            continue
        answer = client.get(_url(path), follow_redirects=False)
        if path.startswith(("/api", "/fhir")):
            assert answer.status_code == 401, path
        else:
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/login?next=")
