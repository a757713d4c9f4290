"""Stop-loss administration: the policy on file, claimant status, and notices to the carrier.

Every calculation is the core's (`openaso.core.stoploss`) over what is stored: the paid
claims come from the payment runs (`claim_payments`, one query for the sponsor), the
enrolment by tier from `coverage_spans`. Filings, receipts and the aggregate are in
`services/stoploss_filings.py`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openaso.core.money import Cents
from openaso.core.stoploss import (
    Enrolled,
    Notice,
    PaidClaim,
    SpecificPosition,
    StopLossPolicy,
    notices,
    specific_positions,
)
from openaso.services.ports import UnitOfWork


class StopLossError(ValueError):
    """A stop-loss action that does not apply; the message says why."""


def load_policy(
    uow: UnitOfWork,
    policy: StopLossPolicy,
    document: Mapping[str, object],
    origin: str,
    *,
    sponsor: str,
    actor: str,
    at: datetime,
) -> int:
    """Store a policy document as written; returns its version. An unchanged document keeps
    its version, a changed one becomes the next version (the newest is in force)."""
    if policy.sponsor != sponsor:
        raise StopLossError(f"{origin}: the policy is for sponsor {policy.sponsor}, not {sponsor}")
    with uow:
        version = uow.stoploss.add_policy(policy, document, origin, at, actor)
        detail = {"version": version, "origin": origin}
        uow.audit.record(at, actor, "stop-loss policy load", "stoploss_policy", policy.id, detail)
        uow.commit()
    return version


def policy_for(
    uow: UnitOfWork, sponsor: str, on: date, policy_id: str | None = None
) -> StopLossPolicy:
    """The policy named, or the sponsor's latest policy whose period began on or before `on`
    (a run-out month after the period still reads that period's policy)."""
    found = [policy for policy, _ in uow.stoploss.policies_of(sponsor)]
    if policy_id is not None:
        for policy in found:
            if policy.id == policy_id:
                return policy
        raise StopLossError(f"sponsor {sponsor} has no stop-loss policy {policy_id}")
    started = [policy for policy in found if policy.period.start <= on]
    if not started:
        raise StopLossError(f"sponsor {sponsor} has no stop-loss policy in force on {on}")
    return started[-1]


def paid_claims(uow: UnitOfWork, policy: StopLossPolicy) -> list[PaidClaim]:
    return uow.stoploss.paid_claims(policy.sponsor, policy.covers)


def enrolment(uow: UnitOfWork, policy: StopLossPolicy, through: date | None = None) -> Enrolled:
    """Employees by tier on the first of each policy month (through `through`'s month)."""
    months = [m for m in policy.period.months if through is None or m <= through]
    return uow.stoploss.enrolled(policy.sponsor, months, policy.covers)


@dataclass(frozen=True, slots=True)
class ClaimantStatus:
    position: SpecificPosition
    threshold_notified: bool
    filed: Cents
    received: Cents


@dataclass(frozen=True, slots=True)
class Status:
    policy: StopLossPolicy
    as_of: date
    claimants: tuple[ClaimantStatus, ...]


def status(uow: UnitOfWork, sponsor: str, as_of: date, policy_id: str | None = None) -> Status:
    """Each member's specific accumulator through `as_of`, with what was filed and received."""
    with uow:
        policy = policy_for(uow, sponsor, as_of, policy_id)
        positions = specific_positions(policy, paid_claims(uow, policy), through=as_of)
        notified = {
            row.member_id for row in uow.stoploss.notified(policy.id) if row.reason == "threshold"
        }
        filed: dict[str, list[Cents]] = {}
        for filing in uow.stoploss.filings(policy.id, "specific"):
            sums = filed.setdefault(filing.member_id or "", [0, 0])
            sums[0] += filing.amount
            sums[1] += filing.received
    rows = tuple(
        ClaimantStatus(p, p.member_id in notified, *filed.get(p.member_id, [0, 0]))
        for p in sorted(positions, key=lambda p: (-p.paid, p.member_id))
    )
    return Status(policy, as_of, rows)


def record_notices(
    uow: UnitOfWork, sponsor: str, as_of: date, *, at: datetime, actor: str,
    policy_id: str | None = None,
) -> tuple[tuple[Notice, ...], list[Any]]:  # fmt: skip
    """Record the notices owed for claims paid through `as_of`: at most one per member and
    reason, ever. Returns (the new notices, every notice on file)."""
    with uow:
        policy = policy_for(uow, sponsor, as_of, policy_id)
        given = {(row.member_id, row.reason) for row in uow.stoploss.notified(policy.id)}
        found = notices(policy, paid_claims(uow, policy), already=given, through=as_of)
        uow.stoploss.add_notices(policy.id, found, at)
        for notice in found:
            detail = {"member": notice.member_id, "reason": notice.reason, "claim": notice.claim_id}
            uow.audit.record(at, actor, "stop-loss notice", "stoploss_policy", policy.id, detail)
        on_file = uow.stoploss.notified(policy.id)
        uow.commit()
    return found, on_file
