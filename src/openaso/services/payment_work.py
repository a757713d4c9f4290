"""Money out, as the TPA's finance staff do it from the web or the API: run payments for a
sponsor, record the sponsor's funding, fetch a released payment's 835.

Paying and recording money are `tpa_admin` acts (an examiner decides claims, not cheques); an
835 names the payee's patients and their claims, so it is PHI and each fetch is audited.
"""

from datetime import date, datetime
from typing import Any

from openaso.adapters.x12.ack_999 import Party
from openaso.core.money import format_cents
from openaso.services.access import Principal, Role, require_phi, require_role
from openaso.services.payments import Method, PaymentError, pay_run, receive_funding
from openaso.services.ports import UnitOfWork
from openaso.services.remittance import Payer, remittances
from openaso.services.workbench import NotFoundError


class OverReceivedError(PaymentError):
    """More money recorded for a funding request than it has outstanding (a state conflict)."""


def run_payments(
    uow: UnitOfWork, principal: Principal, sponsor_id: str, run_date: date, method: Method,
    at: datetime,
) -> dict[str, Any]:  # fmt: skip
    """Pay what the sponsor's decided claims owe; the run's summary (None id: nothing due)."""
    require_role(principal, Role.TPA_ADMIN)
    with uow:
        if sponsor_id not in {s["id"] for s in uow.workbench.sponsors()}:
            raise NotFoundError(f"no sponsor {sponsor_id} on file")
    result = pay_run(uow, sponsor_id, run_date, actor=principal.login, at=at, method=method)
    return {
        "run_id": result.run_id,
        "sponsor_id": sponsor_id,
        "claims": result.claims,
        "total": result.total,
        "funding_request": result.funding_request,
        "payments": len(result.payments),
        "released": result.released,
    }


def record_funding(
    uow: UnitOfWork, principal: Principal, request_id: str, amount: int, on: date, at: datetime
) -> list[str]:
    """The sponsor's money arrived for a funding request; the payment numbers it released."""
    require_role(principal, Role.TPA_ADMIN)
    with uow:
        request = uow.payments.funding_request(request_id)
    if request is None:
        raise NotFoundError(f"no funding request {request_id} on file")
    outstanding = int(request.amount) - int(request.received)
    if amount > outstanding:
        raise OverReceivedError(
            f"funding request {request_id} has {format_cents(outstanding)} outstanding,"
            f" not {format_cents(amount)}"
        )
    return receive_funding(uow, request_id, amount, on, actor=principal.login, at=at)


def remittance_of(
    uow: UnitOfWork, principal: Principal, run_id: int, number: str, payer: Payer, ours: Party,
    at: datetime,
) -> str:  # fmt: skip
    """The 835 of one released payment of a run."""
    require_phi(principal)
    with uow:
        if uow.payments.run(run_id) is None:
            raise NotFoundError(f"no payment run {run_id} on file")
    written = dict(remittances(uow, run_id, payer, ours, at))
    if number not in written:
        raise NotFoundError(f"payment run {run_id} has no released payment {number}")
    with uow:
        detail = {"run": run_id}
        uow.audit.record(at, principal.login, "read 835", "payment", number, detail)
        uow.commit()
    return written[number]
