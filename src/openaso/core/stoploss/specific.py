"""Specific stop-loss: each member's accumulator, excess, the ASD, and notices to the carrier."""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from openaso.core.money import Cents, format_cents, format_percent, percent_of
from openaso.core.stoploss.claims import PaidClaim, eligible_claims, normalise_diagnosis
from openaso.core.stoploss.policy import SpecificCover, StopLossPolicy

NoticeReason = Literal["threshold", "diagnosis"]


@dataclass(frozen=True, slots=True)
class SpecificPosition:
    """One member's specific accumulator to date and how it splits.

    `paid` = eligible paid claims; `excess` = paid above the member's deductible (a laser's if
    lasered; none when excluded); `asd_retained` = the part of that excess the aggregating
    specific deductible absorbed. The carrier reimburses the rest.
    """

    member_id: str
    paid: Cents
    deductible: Cents | None  # None: the member is excluded from specific cover
    excess: Cents
    asd_retained: Cents

    @property
    def reimbursable(self) -> Cents:
        return self.excess - self.asd_retained

    @property
    def retained(self) -> Cents:
        """What the sponsor keeps: up to the deductible, plus its share of the ASD."""
        return self.paid - self.reimbursable


def specific_positions(
    policy: StopLossPolicy,
    claims: Iterable[PaidClaim],
    *,
    through: date | None = None,
    terminated: bool = False,
) -> tuple[SpecificPosition, ...]:
    """Every member with eligible claims paid on or before `through` (all, if None), in the
    order of their first claim; () when the policy has no specific cover."""
    if policy.specific is None:
        return ()
    eligible = eligible_claims(policy, claims, through=through, terminated=terminated)
    return positions(policy.specific, eligible)


def positions(cover: SpecificCover, eligible: Sequence[PaidClaim]) -> tuple[SpecificPosition, ...]:
    """Specific positions from claims already known eligible, in paid order.

    The ASD absorbs excess in the order it is paid, so the first excess of the year is the
    sponsor's; a reversal that shrinks a member's excess frees the ASD it held, which then
    absorbs other members' excess, earliest first. The ASD always holds min(ASD, Σ excess).
    """
    paid: dict[str, Cents] = {}
    excess: dict[str, Cents] = {}
    asd: dict[str, Cents] = {}
    arrival: list[str] = []  # members in the order their excess first appeared
    room = cover.aggregating_deductible
    for claim in eligible:
        member = claim.member_id
        paid[member] = paid.get(member, 0) + claim.amount
        deductible = cover.deductible_for(member)
        now = 0 if deductible is None else max(0, paid[member] - deductible)
        change = now - excess.get(member, 0)
        excess[member] = now
        held = asd.setdefault(member, 0)
        if change > 0:
            if member not in arrival:
                arrival.append(member)
            take = min(change, room)
            asd[member], room = held + take, room - take
        elif held > now:
            asd[member], room = now, room + held - now
            for other in arrival:
                take = min(room, excess[other] - asd[other])
                asd[other], room = asd[other] + take, room - take
    return tuple(
        SpecificPosition(m, paid[m], cover.deductible_for(m), excess[m], asd[m]) for m in paid
    )


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice owed to the carrier, raised by one claim (the 50% trigger, or a diagnosis)."""

    member_id: str
    reason: NoticeReason
    on: date  # the paid date of the claim that raised it
    claim_id: str
    detail: str


def notices(
    policy: StopLossPolicy,
    claims: Iterable[PaidClaim],
    *,
    already: Collection[tuple[str, NoticeReason]] = (),
    through: date | None = None,
    terminated: bool = False,
) -> tuple[Notice, ...]:
    """Notices not yet given: at most one per member and reason.

    `threshold`: the member's eligible paid reaches the notice percentage of their deductible
    (a laser's if lasered). `diagnosis`: an eligible claim carries a diagnosis starting with a
    trigger prefix. `already` holds the (member, reason) pairs notified before; excluded
    members get none (the carrier does not cover them).
    """
    cover = policy.specific
    if cover is None:
        return ()
    given = set(already)
    found: list[Notice] = []
    paid: dict[str, Cents] = {}
    for claim in eligible_claims(policy, claims, through=through, terminated=terminated):
        member = claim.member_id
        deductible = cover.deductible_for(member)
        paid[member] = paid.get(member, 0) + claim.amount
        if deductible is None:
            continue
        threshold = percent_of(deductible, cover.notice_percent)
        if (member, "threshold") not in given and paid[member] > 0 and paid[member] >= threshold:
            given.add((member, "threshold"))
            found.append(
                Notice(
                    member,
                    "threshold",
                    claim.paid,
                    claim.claim_id,
                    f"paid {format_cents(paid[member])} reaches"
                    f" {format_percent(cover.notice_percent)} of the specific deductible"
                    f" {format_cents(deductible)}",
                )
            )
        trigger = _trigger(cover, claim.diagnoses)
        if trigger is not None and (member, "diagnosis") not in given:
            given.add((member, "diagnosis"))
            code, prefix = trigger
            found.append(
                Notice(
                    member,
                    "diagnosis",
                    claim.paid,
                    claim.claim_id,
                    f"diagnosis {code} is on the trigger list ({prefix})",
                )
            )
    return tuple(found)


def _trigger(cover: SpecificCover, diagnoses: Iterable[str]) -> tuple[str, str] | None:
    for code in diagnoses:
        plain = normalise_diagnosis(code)
        for prefix in cover.trigger_diagnoses:
            if plain.startswith(prefix):
                return code, prefix
    return None
