"""The sponsor dashboard's API on the e2e site, figures worked by hand (tests/e2e/site.py):

- budget per invoiced month: 12 EE × $360 + 1 ES × $704 = $5,024 of expected claims (working
  rate less admin + network + stop-loss premiums PEPM); none after April, not yet invoiced;
- paid: March $65 (C-PAID), April $35,800 (C-LARGE $25,000 + three scopes $10,800);
- specific ($20,000, 50% notice): EMP-301 $25,000 paid, $5,000 excess; EMP-302 $10,800, noticed;
- aggregate: 4 × (12 × $450 + $900) = $25,200 to date, $75,600 for the year; claims $35,865
  less $5,000 specific excess = $30,865;
- invoices: 13 × $40 fees + 12 × $91 + $156 premiums = $1,768 a month, January paid.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from openaso.adapters.files.fee_contract import load_contract_file
from openaso.core.members import Enrolment, Member
from openaso.services.access import Role
from openaso.services.invoicing import load_contract, run_invoice
from openaso.services.setup import enrol
from openaso.services.users import add_user, issue_token
from tests.e2e.site import Site
from tests.integration.books import AT

ROUTES = (
    "/api/v1/sponsors/acme/claims-by-month?year=2026",
    "/api/v1/sponsors/acme/stop-loss?as_of=2026-04-30",
    "/api/v1/sponsors/acme/invoices?year=2026",
    "/api/v1/sponsors/acme/plan-year/2026",
)


def test_the_sponsor_sees_claims_against_the_expected_claims_budget_by_month(
    bearer: Callable[[Role], TestClient],
) -> None:
    answer = bearer(Role.SPONSOR).get(ROUTES[0]).json()
    months = {m["month"]: m for m in answer["data"]}
    assert answer["count"] == 12
    assert not answer["withheld"]
    assert months["2026-03-01"]["paid"] == "65.00"
    assert months["2026-04-01"] == {
        "month": "2026-04-01", "members": 14, "employees": 13, "paid": "35800.00",
        "budget": "5024.00",
    }  # fmt: skip
    assert months["2026-05-01"]["budget"] == "0.00"


def test_stop_loss_claimants_are_keys_with_amounts_and_the_aggregate_shows_its_progress(
    bearer: Callable[[Role], TestClient],
) -> None:
    answer = bearer(Role.SPONSOR).get(ROUTES[1])
    assert "EMP-" not in answer.text
    found = answer.json()
    over, noticed = found["claimants"]
    assert (over["paid"], over["excess"], over["over_deductible"]) == ("25000.00", "5000.00", True)
    assert (noticed["paid"], noticed["noticed"], noticed["over_deductible"]) == (
        "10800.00", True, False,
    )  # fmt: skip
    assert len(over["key"]) == 12
    assert over["key"] != noticed["key"]
    aggregate = found["aggregate"]
    assert (aggregate["attachment_to_date"], aggregate["attachment_point"]) == (
        "25200.00", "75600.00",
    )  # fmt: skip
    assert aggregate["claims"] == "30865.00"
    assert round(aggregate["percent"], 4) == round(30_865 / 75_600, 4)
    # the same keys for the TPA admin: a key names one claimant across readers
    staff = bearer(Role.TPA_ADMIN).get(ROUTES[1]).json()
    assert [c["key"] for c in staff["claimants"]] == [over["key"], noticed["key"]]


def test_the_years_invoices_and_plan_year_summary(bearer: Callable[[Role], TestClient]) -> None:
    api = bearer(Role.BROKER)
    invoices = api.get(ROUTES[2]).json()
    assert [(i["number"], i["total"], i["outstanding"]) for i in invoices["data"]] == [
        ("INV-1", "1768.00", "0.00"),
        ("INV-2", "1768.00", "1768.00"),
        ("INV-3", "1768.00", "1768.00"),
        ("INV-4", "1768.00", "1768.00"),
    ]
    summary = api.get(ROUTES[3]).json()
    assert (summary["budget"], summary["paid_claims"], summary["net_cost"]) == (
        "27168.00", "35865.00", "42937.00",
    )  # fmt: skip
    assert summary["maximum_liability"]["aggregate_attachment"] == "75600.00"


def test_an_examiner_and_another_sponsor_are_refused_and_an_unknown_sponsor_is_404(
    bearer: Callable[[Role], TestClient], site: Site
) -> None:
    for path in ROUTES:
        answer = bearer(Role.EXAMINER).get(path)
        assert answer.status_code == 403, path
        assert answer.json()["where"].startswith("/api/v1/sponsors/{sponsor_id}/")
    add_user(site.new_uow(), "other-hr", Role.SPONSOR, None, ["globex"], AT, "test")
    token = issue_token(site.new_uow(), "other-hr", AT, "test")
    other = TestClient(bearer(Role.SPONSOR).app, headers={"Authorization": f"Bearer {token}"})
    for path in ROUTES:
        assert other.get(path).status_code == 403, path
    unknown = bearer(Role.TPA_ADMIN).get("/api/v1/sponsors/nobody/invoices")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "no sponsor nobody on file"
    assert bearer(Role.TPA_ADMIN).get(ROUTES[3].replace("2026", "1999")).status_code == 422


def test_a_group_under_ten_members_has_its_claims_withheld_from_sponsors_not_from_staff(
    bearer: Callable[[Role], TestClient], site: Site, tmp_path: Path
) -> None:
    people = [Member(f"G{n}", f"G{n}", "subscriber", "EE", "globex") for n in range(3)]
    enrol(site.new_uow(), people, [Enrolment(m.id, "medical", date(2026, 1, 1)) for m in people])
    contract = tmp_path / "globex-fees.yaml"
    contract.write_text("effective: 2026-01-01\nadmin_fee: 30\nworking_rates: {EE: 400}\n")
    loaded, findings = load_contract_file(contract, "globex")
    assert loaded is not None, findings
    load_contract(site.new_uow(), loaded, str(contract), actor="test", at=AT)
    run_invoice(site.new_uow(), "globex", date(2026, 1, 1), actor="test", at=AT)
    add_user(site.new_uow(), "globex-hr", Role.SPONSOR, None, ["globex"], AT, "test")
    token = issue_token(site.new_uow(), "globex-hr", AT, "test")
    hr = TestClient(bearer(Role.SPONSOR).app, headers={"Authorization": f"Bearer {token}"})
    months = hr.get("/api/v1/sponsors/globex/claims-by-month?year=2026").json()
    assert months["withheld"]
    assert {m["paid"] for m in months["data"]} == {None}
    assert months["data"][0]["budget"] == "1110.00"  # 3 × ($400 − $30): not health information
    summary = hr.get("/api/v1/sponsors/globex/plan-year/2026").json()
    assert summary["withheld"]
    assert summary["paid_claims"] is None
    assert summary["net_cost"] is None
    assert summary["fees"] == "90.00"
    staff = bearer(Role.TPA_ADMIN).get("/api/v1/sponsors/globex/plan-year/2026").json()
    assert not staff["withheld"]
    assert staff["paid_claims"] == "0.00"
    assert hr.get("/api/v1/sponsors/globex/stop-loss").status_code == 404  # no policy on file
