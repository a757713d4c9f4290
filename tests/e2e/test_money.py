"""Money out from the API and the workbench: a tpa_admin runs payments and records the
sponsor's funding; a released payment's 835 is fetched by TPA staff, validates with pyx12 and
is audited; an examiner may not move money; bad input is refused with where."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from openaso.adapters.db.tables import audit_log
from openaso.services.access import Role
from tests.e2e.conftest import csrf_of
from tests.e2e.site import Site

X12VALID = Path(sys.executable).parent / "x12valid"
CLAIM = {
    "id": "PAY-1",
    "member": "E100",
    "received": "2026-04-01",
    "provider": "1234567893",
    "lines": [{"code": "99213", "date": "2026-04-01", "billed": "150.00"}],
}


def _decided_claim(api: TestClient) -> None:
    answer = api.post("/api/v1/claims", json={"claims": [CLAIM]})
    assert answer.status_code == 201, answer.text
    assert api.get("/api/v1/claims/PAY-1").json()["status"] == "approved"


def test_an_admin_pays_a_claim_records_the_funding_and_fetches_a_valid_835(
    bearer: Callable[[Role], TestClient], site: Site, tmp_path: Path
) -> None:
    api = bearer(Role.TPA_ADMIN)
    _decided_claim(api)
    run = api.post("/api/v1/sponsors/acme/payment-runs", json={"run_date": "2026-04-06"})
    assert run.status_code == 201, run.text
    # 99213 allowed at the fee schedule's $95.00 and the plan's copay taken: what the
    # member's earlier claim left of the deductible decides the rest, so read it back.
    paid = api.get("/api/v1/claims/PAY-1/adjudication").json()["lines"][0]["plan_paid"]
    run_id = run.json()["run_id"]
    assert run.json() == {
        "run_id": run_id, "sponsor_id": "acme", "claims": 1, "payments": 1, "total": paid,
        "funding_request": f"FR-{run_id}", "released": [],
    }  # fmt: skip
    receipt = api.post(
        f"/api/v1/funding-requests/FR-{run_id}/receipts",
        json={"amount": paid, "received_on": "2026-04-07"},
    )
    assert receipt.status_code == 201, receipt.text
    (number,) = receipt.json()["released"]
    remit = bearer(Role.EXAMINER).get(f"/api/v1/payment-runs/{run_id}/payments/{number}/835")
    assert remit.status_code == 200
    assert remit.headers["content-type"].startswith("application/edi-x12")
    text = remit.text
    assert text.startswith("ISA*")
    assert "CLP*" in text
    assert f"BPR*I*{paid}*C*" in text or f"BPR*C*{paid}*C*" in text, text[:300]
    copy = tmp_path / "run3.835"
    copy.write_text(text)
    checked = subprocess.run(
        [str(X12VALID), str(copy)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert f"{copy.name}: OK" in checked.stdout + checked.stderr, checked.stderr[-2000:]
    with site.new_uow() as uow:
        actions = uow.audit.conn.execute(  # type: ignore[attr-defined]
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.entity_id)
        ).all()
    assert ("examiner-1", "read 835", number) in [tuple(a) for a in actions]
    assert ("tpa-admin-1", "payment run", "acme") in [tuple(a) for a in actions]


def test_an_examiner_may_not_move_money(bearer: Callable[[Role], TestClient]) -> None:
    api = bearer(Role.EXAMINER)
    run = api.post("/api/v1/sponsors/acme/payment-runs", json={"run_date": "2026-04-06"})
    assert run.status_code == 403
    receipt = api.post(
        "/api/v1/funding-requests/FR-1/receipts",
        json={"amount": "1.00", "received_on": "2026-04-07"},
    )
    assert receipt.status_code == 403


def test_bad_money_input_is_refused_with_where(bearer: Callable[[Role], TestClient]) -> None:
    api = bearer(Role.TPA_ADMIN)
    nothing = api.post("/api/v1/sponsors/acme/payment-runs", json={"run_date": "2026-04-06"})
    assert nothing.status_code == 201
    assert nothing.json()["run_id"] is None
    unknown = api.post("/api/v1/sponsors/nobody/payment-runs", json={"run_date": "2026-04-06"})
    assert unknown.status_code == 404
    bad_date = api.post("/api/v1/sponsors/acme/payment-runs", json={"run_date": "2026-02-30"})
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["loc"][-1] == "run_date"
    too_much = api.post(
        "/api/v1/funding-requests/FR-1/receipts",
        json={"amount": "1.00", "received_on": "2026-04-07"},
    )
    assert too_much.status_code == 409  # FR-1 was received in full when the site was built
    assert "FR-1 has 0.00 outstanding" in too_much.json()["detail"]
    missing = api.get("/api/v1/payment-runs/1/payments/99999999/835")
    assert missing.status_code == 404
    assert "no released payment" in missing.json()["detail"]


def test_the_funding_page_runs_payments_and_the_run_page_offers_the_835(
    signed_in: Callable[[Role], tuple[TestClient, str]], bearer: Callable[[Role], TestClient]
) -> None:
    _decided_claim(bearer(Role.EXAMINER))
    admin, _ = signed_in(Role.TPA_ADMIN)
    page = admin.get("/funding").text
    assert "Run payments" in page
    assert "Record funding" in page
    form = {"csrf": csrf_of(page), "sponsor": "acme", "run_date": "2026-04-06"}
    ran = admin.post("/funding/runs", data=form, follow_redirects=False)
    assert ran.status_code == 303
    run_page_path = ran.headers["location"]
    run_id = run_page_path.removeprefix("/runs/")
    run_page = admin.get(run_page_path).text
    assert "provider:1234567893" in run_page
    assert "waiting for funds" in run_page
    funding_page = admin.get("/funding").text
    amount = bearer(Role.TPA_ADMIN).get("/api/v1/claims/PAY-1/adjudication").json()
    paid = amount["lines"][0]["plan_paid"]
    form = {"csrf": csrf_of(funding_page), "request_id": f"FR-{run_id}", "amount": paid,
            "received_on": "2026-04-07"}  # fmt: skip
    received = admin.post("/funding/receipts", data=form)
    assert f"FR-{run_id}: received; released 1 payments" in received.text
    run_page = admin.get(run_page_path).text
    assert ".835" in run_page
    assert "download" in run_page
    examiner, _ = signed_in(Role.EXAMINER)
    assert "Run payments" not in examiner.get("/funding").text
    bad = admin.post("/funding/runs", data={**form, "sponsor": "acme", "run_date": "06/04/2026"})
    assert bad.status_code == 422
    assert "run_date" in bad.text
