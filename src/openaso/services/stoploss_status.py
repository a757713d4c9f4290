"""The sponsor's view of its stop-loss: specific claimants as keys, the aggregate's progress.

A sponsor (or its broker) sees the claimants who reached the notice threshold of their specific
deductible — keyed by an HMAC of the member id (`services.analytics.claimant_key`), never the
member id — with their paid, excess and what was filed and received; and the aggregate
attachment point against the claims counting toward it. The aggregate claims are withheld for
a de-identified reader when fewer than SMALL_CELL members are covered in the policy period.
"""

from dataclasses import dataclass
from datetime import date

from openaso.core.money import BasisPoints, Cents, percent_of
from openaso.core.stoploss import aggregate_report, minimum_attachment, monthly_attachments
from openaso.services.access import SMALL_CELL, Principal
from openaso.services.analytics import claimant_key
from openaso.services.dashboard import require_reader
from openaso.services.ports import UnitOfWorkFactory
from openaso.services.stoploss import StopLossError, enrolment, paid_claims, status
from openaso.services.workbench import NotFoundError


@dataclass(frozen=True, slots=True)
class KeyedClaimant:
    key: str
    paid: Cents
    deductible: Cents | None  # None: lasered out of the specific cover
    excess: Cents
    reimbursable: Cents
    filed: Cents
    received: Cents
    noticed: bool  # the carrier was sent the threshold notice

    @property
    def over_deductible(self) -> bool:
        return self.excess > 0


@dataclass(frozen=True, slots=True)
class AggregateProgress:
    attachment_to_date: Cents  # Σ monthly attachments through the month of `as_of`
    attachment_point: Cents  # the year's: every month at enrolment on file, minimum applied
    claims: Cents | None  # eligible paid less specific excess; None: withheld

    @property
    def percent(self) -> float | None:
        """Share of the attachment point reached, for a progress bar (not money)."""
        if self.claims is None or self.attachment_point <= 0:
            return None
        return self.claims / self.attachment_point


@dataclass(frozen=True, slots=True)
class SponsorStopLoss:
    sponsor_id: str
    policy_id: str
    carrier: str
    period: tuple[date, date]
    as_of: date
    specific_deductible: Cents | None
    notice_percent: BasisPoints | None
    claimants: tuple[KeyedClaimant, ...]
    aggregate: AggregateProgress | None  # None without aggregate cover or before the period


def sponsor_stop_loss(
    new_uow: UnitOfWorkFactory, principal: Principal, sponsor_id: str, as_of: date, secret: bytes
) -> SponsorStopLoss:
    require_reader(principal, sponsor_id)
    try:
        found = status(new_uow(), sponsor_id, as_of)
    except StopLossError as exc:
        raise NotFoundError(str(exc)) from None
    policy, cover = found.policy, found.policy.specific
    claimants = []
    if cover is not None:
        for row in found.claimants:
            p = row.position
            threshold = percent_of(p.deductible or cover.deductible, cover.notice_percent)
            if p.paid < threshold and not row.threshold_notified:
                continue
            claimants.append(
                KeyedClaimant(claimant_key(secret, p.member_id), p.paid, p.deductible, p.excess,
                              p.reimbursable, row.filed, row.received, row.threshold_notified)
            )  # fmt: skip
    aggregate = None
    if policy.aggregate is not None and as_of >= policy.period.start:
        with new_uow() as uow:
            enrolled = enrolment(uow, policy)
            claims = paid_claims(uow, policy)
            spans = [s for kind in policy.covers for s in uow.analytics.coverage(sponsor_id, kind)]
        attachments = monthly_attachments(policy, enrolled)
        point = max(sum(attachments), minimum_attachment(policy, attachments[0]))
        report = aggregate_report(policy, claims, enrolled, as_of)
        start, end = policy.period.start, policy.period.end
        members = len({s[0] for s in spans if s[1] <= end and (s[2] is None or start <= s[2])})
        hidden = not principal.sees_phi and 0 < members < SMALL_CELL
        aggregate = AggregateProgress(
            report.attachment, point, None if hidden else report.aggregate_claims
        )
    deductible, notice = (None, None) if cover is None else (cover.deductible, cover.notice_percent)
    return SponsorStopLoss(
        sponsor_id, policy.id, policy.carrier, (policy.period.start, policy.period.end), as_of,
        deductible, notice, tuple(claimants), aggregate,
    )  # fmt: skip
