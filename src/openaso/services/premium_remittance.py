"""Remit the stop-loss premium the TPA collected to the carrier.

The TPA bills the premium on the sponsor's invoice (premium receivable against the premium
payable to the carrier) and, when the sponsor pays, holds the cash until it remits. What it
holds is Σ payable − receivable: everything invoiced is payable until remitted, and everything
not yet collected is still receivable. A remittance to a carrier is what is owed to it, never
more than is held — the TPA does not advance a sponsor's premium from its own money — so
remitting again before more is collected remits nothing.
"""

from datetime import date, datetime

from openaso.core.ledger import AccountKind, StopLossPremiumRemitted, balances, entries_for
from openaso.core.money import Cents, format_cents
from openaso.services.ports import UnitOfWork


class RemittanceError(ValueError):
    """A remittance that does not apply; the message says why."""


def premium_held(owed: dict[str, Cents], receivable: Cents) -> Cents:
    """The premium cash on hand: what the carriers are owed less what is still uncollected."""
    return max(0, sum(owed.values()) - receivable)


def remit_premium(
    uow: UnitOfWork, sponsor: str, carrier: str, on: date, reference: str, *, actor: str,
    at: datetime,
) -> Cents:  # fmt: skip
    """Remit to `carrier` what it is owed, up to what was collected; returns the amount."""
    if not reference.strip():
        raise RemittanceError("reference: say how it was sent (wire or cheque number)")
    with uow:
        entries = uow.payments.entries(sponsor)
        totals = balances(entries)
        billed = {  # every carrier premium was ever invoiced for, remitted in full or not
            p.account.party
            for e in entries
            for p in e.postings
            if p.account.kind == AccountKind.STOP_LOSS_PREMIUM_PAYABLE
        }
        owed = {
            account.party: -amount  # a payable is a credit balance
            for account, amount in totals.items()
            if account.kind == AccountKind.STOP_LOSS_PREMIUM_PAYABLE and amount < 0
        }
        receivable = sum(
            amount
            for account, amount in totals.items()
            if account.kind == AccountKind.STOP_LOSS_PREMIUM_RECEIVABLE
        )
        if carrier not in billed:
            named = ", ".join(f"{c} {format_cents(a)}" for c, a in sorted(owed.items()))
            raise RemittanceError(
                f"{sponsor} was never invoiced stop-loss premium for {carrier}"
                + (f"; owed: {named}" if named else "; no premium is owed to any carrier")
            )
        amount = min(owed.get(carrier, 0), premium_held(owed, receivable))
        if amount == 0:
            return 0
        event = StopLossPremiumRemitted(sponsor, on, reference.strip(), carrier, amount)
        uow.payments.post(sponsor, entries_for(event))
        detail = {"carrier": carrier, "amount": amount, "on": on.isoformat()}
        uow.audit.record(at, actor, "premium remitted", "sponsor", sponsor, detail)
        uow.commit()
        return amount
