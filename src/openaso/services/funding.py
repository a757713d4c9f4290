"""What a sponsor may see of its money: funding requests, the claims fund, payment-run totals.

These are aggregates (no payee, member or claim), so a sponsor sees its own and a broker the
sponsors it is assigned to; payments and their payees are member-level and need PHI access.
"""

from datetime import datetime
from typing import Any

from openaso.core.ledger import Account, AccountKind
from openaso.services.access import Principal, require_phi, require_sponsor
from openaso.services.ports import UnitOfWork
from openaso.services.workbench import NotFoundError


def sponsors_visible(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    """The sponsors on file this principal may see: id and name."""
    with uow:
        return [s for s in uow.workbench.sponsors() if principal.may_see_sponsor(s["id"])]


def funding_of(uow: UnitOfWork, principal: Principal, sponsor_id: str) -> dict[str, Any]:
    """The claims fund balance, the float, what waits for funds, and every funding request."""
    require_sponsor(principal, sponsor_id)
    with uow:
        if sponsor_id not in {s["id"] for s in uow.workbench.sponsors()}:
            raise NotFoundError(f"no sponsor {sponsor_id} on file")
        books = uow.payments
        held = books.held(sponsor_id)
        requests = [
            {
                "id": r.id,
                "run_id": r.run_id,
                "requested_on": r.requested_on,
                "amount": int(r.amount),
                "received": int(r.received),
            }
            for r in books.funding_of(sponsor_id)
        ]
        return {
            "sponsor_id": sponsor_id,
            "claims_fund": books.balance(Account(AccountKind.CLAIMS_FUND, sponsor_id)),
            "claims_float": books.claims_float(sponsor_id),
            "held_payments": len(held),
            "held_amount": sum(int(p.amount) for p in held),
            "requests": requests,
        }


def payment_runs(uow: UnitOfWork, principal: Principal, sponsor_id: str) -> list[dict[str, Any]]:
    """A sponsor's payment runs, newest first, with their totals."""
    require_sponsor(principal, sponsor_id)
    with uow:
        return [
            {k: r[k] for k in ("id", "sponsor_id", "run_date", "total")}
            for r in uow.workbench.payment_runs(sponsor_id)
        ]


def payment_run(uow: UnitOfWork, principal: Principal, run_id: int, at: datetime) -> dict[str, Any]:
    """One run with its payments (payee, method, number, amount, status): member-level."""
    require_phi(principal)
    with uow:
        run = uow.payments.run(run_id)
        if run is None:
            raise NotFoundError(f"no payment run {run_id} on file")
        payments = [
            {
                "payee": p.payee,
                "method": p.method,
                "number": p.number,
                "amount": int(p.amount),
                "recovered": int(p.recovered),
                "status": p.status,
            }
            for p in uow.payments.payments_of(run_id)
        ]
        uow.audit.record(at, principal.login, "read payment run", "payment_run", str(run_id), {})
        uow.commit()
    return {
        "id": run.id,
        "sponsor_id": run.sponsor_id,
        "run_date": run.run_date,
        "total": int(run.total),
        "payments": payments,
    }
