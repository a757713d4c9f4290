"""Which claims a family's settlement re-decides, and in what order (pure, for the services).

A family is settled from the earliest claim that needs work: every decided claim from that
position on is reversed and adjudicated again in received order, so accumulators always
read as if claims had been processed one by one as received.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from openaso.core.claims import Claim, DisabilityClaim, Fill

Received = Claim | Fill | DisabilityClaim
OPEN = ("received", "approved", "denied", "pended")  # voided and replaced claims are history


@dataclass(frozen=True, slots=True)
class QueuedClaim:
    seq: int
    position: int  # received order; a replacement takes the position of the claim it replaces
    status: str
    needs_work: bool  # received, or flagged for reprocessing
    claim: Received

    @property
    def order(self) -> tuple[int, int]:
        return (self.position, self.seq)


def to_settle(family_claims: Iterable[QueuedClaim]) -> list[QueuedClaim]:
    """The family's open claims from the first one needing work, in received order."""
    ordered = sorted((q for q in family_claims if q.status in OPEN), key=lambda q: q.order)
    first = next((i for i, q in enumerate(ordered) if q.needs_work), None)
    return [] if first is None else ordered[first:]
