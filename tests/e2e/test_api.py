"""The REST API over HTTP: submit claims and read them back decided, with the trace; errors
mapped to HTTP with where; every read of PHI in the audit log."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from openaso.adapters.db.tables import audit_log
from openaso.services.access import Role
from tests.e2e.site import Site


def _claim(claim_id: str, billed: str = "150.00", code: str = "99213") -> dict[str, Any]:
    return {
        "id": claim_id,
        "member": "E100",
        "received": "2026-04-01",
        "provider": "1234567893",
        "lines": [{"code": code, "date": "2026-04-01", "billed": billed}],
    }


def test_a_submitted_claim_is_stored_adjudicated_and_explained(
    bearer: Callable[[Role], TestClient],
) -> None:
    api = bearer(Role.EXAMINER)
    answer = api.post("/api/v1/claims", json={"claims": [_claim("API-1")]})
    assert answer.status_code == 201, answer.text
    assert answer.json()["received"] == ["API-1"]
    assert api.get("/api/v1/claims/API-1").json()["status"] == "approved"
    decided = api.get("/api/v1/claims/API-1/adjudication").json()
    (line,) = decided["lines"]
    assert line["allowed"] == "95.00"  # the fee schedule's 99213
    steps = [step["step"] for step in line["trace"]]
    assert steps[0] == "eligibility"
    assert "pricing" in steps


def test_claims_are_found_by_member_status_and_date(bearer: Callable[[Role], TestClient]) -> None:
    api = bearer(Role.TPA_ADMIN)
    pended = api.get("/api/v1/claims", params={"status": "pended"}).json()
    assert [c["id"] for c in pended["data"]] == ["C-PEND"]
    assert pended["count"] == 1
    by_member = api.get("/api/v1/claims", params={"member_id": "E100-2"}).json()
    assert [c["id"] for c in by_member["data"]] == ["C-PAID"]
    march = {"received_from": "2026-03-05", "received_to": "2026-03-31"}  # April's are the site's
    later = api.get("/api/v1/claims", params=march).json()
    assert [c["id"] for c in later["data"]] == ["C-PAID"]


def test_a_claim_sent_twice_is_refused_whole_with_where(
    bearer: Callable[[Role], TestClient],
) -> None:
    api = bearer(Role.EXAMINER)
    answer = api.post("/api/v1/claims", json={"claims": [_claim("API-2"), _claim("C-PEND")]})
    assert answer.status_code == 409
    assert answer.json() == {"detail": "claim C-PEND is already on file", "where": "/api/v1/claims"}
    assert api.get("/api/v1/claims/API-2").status_code == 404


def test_a_bad_amount_is_a_422_that_names_the_field(bearer: Callable[[Role], TestClient]) -> None:
    answer = bearer(Role.EXAMINER).post(
        "/api/v1/claims", json={"claims": [_claim("API-3", billed="12.345")]}
    )
    assert answer.status_code == 422
    assert answer.json()["where"] == "body.claims.0.lines.0.billed"
    (problem,) = answer.json()["errors"]
    assert problem["loc"] == ["body", "claims", 0, "lines", 0, "billed"]


def test_an_unknown_claim_or_member_is_404(bearer: Callable[[Role], TestClient]) -> None:
    api = bearer(Role.EXAMINER)
    assert api.get("/api/v1/claims/NOPE").json() == {
        "detail": "no claim NOPE on file",
        "where": "/api/v1/claims/{claim_id}",
    }
    assert api.get("/api/v1/members/NOPE").status_code == 404
    assert api.get("/api/v1/payment-runs/99").status_code == 404


def test_a_wrong_token_is_401(bearer: Callable[[Role], TestClient], site: Site) -> None:
    api = bearer(Role.EXAMINER)
    api.headers["Authorization"] = "Bearer " + site.tokens[Role.EXAMINER][:-2] + "xx"
    assert api.get("/api/v1/claims/C-PEND").status_code == 401


def test_a_session_call_that_changes_data_needs_its_csrf_token(
    signed_in: Callable[[Role], tuple[TestClient, str]],
) -> None:
    client, csrf = signed_in(Role.EXAMINER)
    body = {"claims": [_claim("API-4")]}
    assert client.post("/api/v1/claims", json=body).status_code == 403
    assert (
        client.post("/api/v1/claims", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    )


def test_the_sponsor_sees_its_funding_request_and_run_total(
    bearer: Callable[[Role], TestClient],
) -> None:
    api = bearer(Role.SPONSOR)
    funding = api.get("/api/v1/sponsors/acme/funding").json()
    march = funding["requests"][0]
    assert (march["run_id"], march["amount"], march["received"]) == (1, "65.00", "65.00")
    assert funding["held_amount"] == "0.00"
    runs = api.get("/api/v1/sponsors/acme/payment-runs").json()
    assert runs["count"] == 2
    assert {"id": 1, "sponsor_id": "acme", "run_date": "2026-03-16", "total": "65.00"} in runs[
        "data"
    ]


def test_every_read_of_phi_is_in_the_audit_log(
    bearer: Callable[[Role], TestClient], site: Site
) -> None:
    api = bearer(Role.EXAMINER)
    for path in (
        "/api/v1/claims/C-PEND",
        "/api/v1/claims/C-PEND/adjudication",
        "/api/v1/members/E100",
        "/api/v1/members/E100/coverage",
        "/api/v1/claims?member_id=E100",
        "/api/v1/payment-runs/1",
        "/claims/C-PEND",
        "/members/E100",
        "/queue",
        "/files",
    ):
        assert api.get(path).status_code == 200, path
    with site.new_uow() as uow:
        rows = uow.audit.conn.execute(  # type: ignore[attr-defined]
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.entity_id).where(
                audit_log.c.actor == "examiner-1"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("examiner-1", "read claim status", "C-PEND"),
        ("examiner-1", "read claim", "C-PEND"),
        ("examiner-1", "read member", "E100"),
        ("examiner-1", "read member", "E100"),
        ("examiner-1", "search claims", "*"),
        ("examiner-1", "read payment run", "1"),
        ("examiner-1", "read claim", "C-PEND"),
        ("examiner-1", "read member", "E100"),
        ("examiner-1", "read pend queue", "*"),
        ("examiner-1", "read intake history", "*"),
    ]
