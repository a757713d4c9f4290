"""The analysis API route by route and role by role: the broker's reports of an assigned sponsor,
de-identified; TPA administrators see claimant keys; a sponsor reads its own reports but runs no
simulation; examiners and unassigned logins are refused; simulations run in the background."""

import threading
import time
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openaso.services.access import Role
from openaso.services.analytics import claimant_key
from openaso.services.simulation_jobs import QUEUED
from openaso.services.users import add_user, issue_token
from tests.e2e.site import ANALYSED, INITECH, Site
from tests.integration.books import AT

REPORTS = "/api/v1/sponsors/initech/reports"
SIMULATIONS = "/api/v1/sponsors/initech/simulations"
VISIT = "65.00"  # 99213: the $95 fee less the $30 copay
OPTION = {"name": "specific 50k", "specific_deductible": "50000", "aggregate_corridor": "125"}


@pytest.fixture
def login_for(app: FastAPI, site: Site) -> Callable[[Role, list[str]], TestClient]:
    """A client with a token for a new login of `role` assigned to `sponsors`."""
    made = iter(range(1, 100))

    def make(role: Role, sponsors: list[str]) -> TestClient:
        login = f"{role.value}-extra-{next(made)}"
        add_user(site.new_uow(), login, role, None, sponsors, AT, "test")
        token = issue_token(site.new_uow(), login, AT, "test")
        return TestClient(app, headers={"Authorization": f"Bearer {token}"})

    return make


def _finished(client: TestClient, job: str) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        answer = client.get(f"/api/v1/simulations/{job}").json()
        if answer["state"] in ("done", "failed"):
            return dict(answer)
        assert time.monotonic() < deadline, "the simulation did not finish"
        time.sleep(0.05)


def test_the_lag_triangle_and_ibnr_of_an_assigned_sponsor(
    bearer: Callable[[Role], TestClient],
) -> None:
    api = bearer(Role.BROKER)
    lag = api.get(f"{REPORTS}/lag").json()
    assert lag["valuation"] == "2026-03"
    assert lag["incurred"] == ["2026-01", "2026-02", "2026-03"]
    assert lag["paid"][0] == ["780.00", "195.00", "0.00"]  # twelve visits, three paid late
    # volume-weighted over January and February, the months seen at lag 1
    factor = (975 + 25_870) / (780 + 25_870)
    assert lag["development"][0]["age_to_age"] == pytest.approx(factor, abs=1e-6)
    ibnr = api.get(f"{REPORTS}/ibnr", params={"valuation": "2026-02"}).json()
    assert [m["incurred"] for m in ibnr["months"]] == ["2026-01", "2026-02"]
    assert ibnr["months"][0]["ibnr"] == "0.00"
    assert ibnr["paid"] == "26845.00"


def test_experience_is_de_identified_for_a_broker_and_keyed_for_the_tpa(
    bearer: Callable[[Role], TestClient],
) -> None:
    params = {"large_claim": "10000", "budget_pepm": "500"}
    broker = bearer(Role.BROKER).get(f"{REPORTS}/experience", params=params).json()
    assert broker["suppressed"] is True
    assert broker["claimants"] == []
    assert (broker["large_claimants"], broker["large_claimant_paid"]) == (1, None)
    january = broker["by_month"][0]
    assert (january["members"], january["paid"], january["pmpm"]) == (12, "975.00", "81.25")
    surgery = {c["label"]: c for c in broker["by_category"]}["surgery"]
    assert (surgery["members"], surgery["paid"]) == (1, None)

    tpa = bearer(Role.TPA_ADMIN).get(f"{REPORTS}/experience", params=params).json()
    assert tpa["suppressed"] is False
    (knee,) = tpa["claimants"]
    assert knee["key"] == claimant_key(b"e2e-claimant-secret", INITECH[0])
    assert [r["budget"] for r in tpa["loss_ratio"]] == ["6000.00"] * 3


def test_rates_and_the_comparison_take_expected_claims_from_the_experience(
    bearer: Callable[[Role], TestClient],
) -> None:
    api = bearer(Role.BROKER)
    costs = {"admin": "40", "specific_premium": "85", "margin": "5", "specific_deductible": "10000"}
    (ee,) = api.get(f"{REPORTS}/rates", params=costs).json()["data"]
    # N001's knee and visits capped at $10,000; the others' 11 × 3 + 2 late visits of $65;
    # over 36 employee months
    expected = round((10_000_00 + 35 * 6_500) / 36)
    assert ee["expected_claims"] == f"{expected // 100}.{expected % 100:02d}"
    assert ee["employees"] == 12
    margin = round(expected * 0.05)
    rate = expected + 40_00 + 85_00 + margin
    assert ee["working_rate"] == f"{rate // 100}.{rate % 100:02d}"
    compare = api.get(f"{REPORTS}/compare", params=costs).json()
    assert compare["self_funded"]["expected_claims"] == f"{expected * 144 / 100:.2f}"
    assert compare["fully_insured"]["quoted"] is False


def test_a_sponsor_reads_its_own_reports_but_runs_no_simulation(
    login_for: Callable[[Role, list[str]], TestClient], bearer: Callable[[Role], TestClient]
) -> None:
    hr = login_for(Role.SPONSOR, [ANALYSED])
    for report in ("lag", "ibnr", "experience", "rates", "compare"):
        assert hr.get(f"{REPORTS}/{report}").status_code == 200, report
    assert hr.get(f"{REPORTS}/experience").json()["suppressed"] is True
    assert hr.post(SIMULATIONS, json={"options": [OPTION]}).status_code == 403
    other = bearer(Role.SPONSOR)  # acme's
    answer = other.get(f"{REPORTS}/lag")
    assert answer.status_code == 403
    assert answer.json()["detail"] == "sponsor-1 (sponsor) may not see sponsor initech"


def test_examiners_and_unassigned_brokers_are_refused_every_analysis_route(
    login_for: Callable[[Role, list[str]], TestClient], bearer: Callable[[Role], TestClient]
) -> None:
    for client in (bearer(Role.EXAMINER), login_for(Role.BROKER, ["acme"])):
        for report in ("lag", "ibnr", "experience", "rates", "compare"):
            assert client.get(f"{REPORTS}/{report}").status_code == 403, report
        assert client.post(SIMULATIONS, json={"options": [OPTION]}).status_code == 403
    unknown = bearer(Role.TPA_ADMIN).get("/api/v1/sponsors/nobody/reports/lag")
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("lag", {"valuation": "2027-09"}, "valuation: expected a month from 2026-01 to 2027-03"),
        ("experience", {"start": "2026-03", "end": "2026-01"}, "end: 2026-01 is before"),
        ("rates", {"margin": "150"}, "margin: expected 0% to 100%"),
        ("compare", {"premium_tax": "60"}, "premium_tax: expected 0% to 50%"),
        ("lag", {"valuation": "2026-13"}, "query.valuation: String should match pattern"),
    ],
)
def test_a_bad_report_input_is_a_422_naming_the_field(
    bearer: Callable[[Role], TestClient], path: str, params: dict[str, str], field: str
) -> None:
    answer = bearer(Role.BROKER).get(f"{REPORTS}/{path}", params=params)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(field), answer.json()


def test_a_simulation_runs_in_the_background_and_the_same_seed_gives_the_same_result(
    bearer: Callable[[Role], TestClient],
) -> None:
    api = bearer(Role.BROKER)
    body = {"options": [OPTION, {"name": "none"}], "years": 4000, "seed": 9, "budget": "150000"}
    started = api.post(SIMULATIONS, json=body)
    assert started.status_code == 202
    assert started.json()["state"] in ("queued", "running", "done")
    first = _finished(api, started.json()["id"])
    again = _finished(api, api.post(SIMULATIONS, json=body).json()["id"])
    assert first["state"] == "done"
    assert first["percent"] == 100
    assert first["result"] == again["result"]
    result = first["result"]
    assert isinstance(result, dict)
    assert result["members"] == 12
    assert result["years"] == 4000
    specific, none = result["outcomes"]
    assert [p["percent"] for p in specific["percentiles"]] == [50, 75, 90, 95, 99]
    assert none["mean_specific_reimbursed"] == "0.00"
    assert float(specific["tvar99"]) < float(none["tvar99"])  # the cover caps the bad years


def test_a_simulation_is_seen_only_by_who_started_it(
    bearer: Callable[[Role], TestClient], login_for: Callable[[Role, list[str]], TestClient]
) -> None:
    job = bearer(Role.BROKER).post(SIMULATIONS, json={"options": [OPTION]}).json()["id"]
    colleague = login_for(Role.BROKER, [ANALYSED])
    assert colleague.get(f"/api/v1/simulations/{job}").status_code == 404
    assert bearer(Role.SPONSOR).get(f"/api/v1/simulations/{job}").status_code == 403


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"options": [OPTION], "years": 50_001}, "body.years"),
        ({"options": []}, "body.options"),
        ({"options": [OPTION], "claims": []}, "body.claims"),
        ({"options": [{**OPTION, "specific_deductible": "50k"}]}, "body.options.0"),
    ],
)
def test_a_bad_simulation_request_is_a_422_naming_the_field(
    bearer: Callable[[Role], TestClient], body: dict[str, object], where: str
) -> None:
    answer = bearer(Role.BROKER).post(SIMULATIONS, json=body)
    assert answer.status_code == 422
    assert answer.json()["where"].startswith(where)
    assert "input" not in answer.json()["errors"][0]  # never the value sent back


def test_an_option_the_simulation_cannot_use_is_refused_before_it_is_queued(
    bearer: Callable[[Role], TestClient],
) -> None:
    option = {**OPTION, "aggregate_corridor": "300"}
    answer = bearer(Role.BROKER).post(SIMULATIONS, json={"options": [option]})
    assert answer.status_code == 422
    assert answer.json()["detail"] == "option 1 aggregate corridor: expected 100% to 200%"


def test_only_a_few_simulations_wait_at_once(
    app: FastAPI, bearer: Callable[[Role], TestClient]
) -> None:
    gate = threading.Event()
    app.state.simulations.executor.submit(gate.wait, 30)  # the one worker is busy
    api = bearer(Role.BROKER)
    try:
        waiting = [api.post(SIMULATIONS, json={"options": [OPTION]}) for _ in range(QUEUED)]
        assert [a.status_code for a in waiting] == [202] * QUEUED
        assert {a.json()["state"] for a in waiting} == {"queued"}
        refused = api.post(SIMULATIONS, json={"options": [OPTION]})
        assert refused.status_code == 429
        assert "simulations are waiting" in refused.json()["detail"]
    finally:
        gate.set()
    assert _finished(api, waiting[-1].json()["id"])["state"] == "done"
    assert api.post(SIMULATIONS, json={"options": [OPTION]}).status_code == 202
