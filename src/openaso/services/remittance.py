"""The 835s of a payment run, built from what was stored: one per payment (payee)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openaso.adapters.x12.ack_999 import Party
from openaso.adapters.x12.remit_835 import (
    Address,
    Recovery,
    RemitClaim,
    RemitLine,
    Remittance,
    write_835,
)
from openaso.core.claims import Claim
from openaso.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Payer:
    """The plan as an 835 names it: from the settings (`OPENASO_PAYER_*`)."""

    name: str
    id: str  # TRN03: "1" followed by the payer's EIN
    address: Address
    contact: tuple[str, str]  # name, telephone


def remittances(
    uow: UnitOfWork, run_id: int, payer: Payer, ours: Party, at: datetime
) -> list[tuple[str, str]]:
    """(payment number, 835 text) for every released payment of the run."""
    with uow:
        run = uow.payments.run(run_id)
        if run is None:
            raise ValueError(f"no payment run {run_id}")
        out = []
        for payment in uow.payments.payments_of(run_id):
            if payment.status != "released":
                continue
            remit = _remittance(uow, payment, payer)
            theirs = Party("ZZ", remit.payee_npi)
            text = write_835(remit, ours=ours, theirs=theirs, control=payment.id, when=at)
            out.append((payment.number, text))
        return out


def _remittance(uow: UnitOfWork, p: Any, payer: Payer) -> Remittance:
    npi = p.payee.partition(":")[2]
    claims = []
    for seq, _decision, _amount in uow.payments.claims_of(p.id):
        claim = uow.claims.get(seq)
        header = uow.claims.header(claim.id)
        if header is None or header.status not in ("approved", "denied"):
            continue  # voided or replaced: its recovery is a PLB adjustment
        if not isinstance(claim, Claim):
            continue
        claims.append(_claim(uow, claim, header.status, seq))
    recoveries = uow.payments.recovery_claims([rid for rid, _ in p.netted])
    plb = tuple(Recovery(recoveries[rid], cents) for rid, cents in p.netted)
    provider = uow.providers.name(npi)
    return Remittance(
        payer_name=payer.name,
        payer_id=payer.id,
        payer_address=payer.address,
        payer_contact=payer.contact,
        payee_name=provider or f"PROVIDER {npi}",
        payee_npi=npi,
        payee_tin=None,
        payee_address=None,
        method="CHK" if p.method == "cheque" else "ACH",
        number=p.number,
        paid_on=p.released_on,
        claims=tuple(claims),
        recoveries=plb,
    )


def _claim(uow: UnitOfWork, claim: Claim, status: str, seq: int) -> RemitClaim:
    origin = uow.claims.origin(seq)
    decided = {line.number: line for line in uow.claims.lines(claim.id)}
    person = uow.members.detail(claim.member_id) or {}
    lines = []
    for line in claim.lines:
        d = decided[line.number]
        lines.append(
            RemitLine(
                line.code,
                line.modifiers,
                line.billed,
                d.plan_paid,
                d.allowed,
                line.units,
                line.service_date,
                tuple((g, c, a) for g, c, a in d.adjustments),
                tuple(d.remarks),
                dental=claim.coverage == "dental",
            )
        )
    return RemitClaim(
        origin.patient_control or claim.id,
        "4" if status == "denied" else "1",
        claim.id,
        (person.get("last_name") or "UNKNOWN", person.get("first_name") or "UNKNOWN"),
        claim.member_id,
        claim.received,
        tuple(lines),
    )
