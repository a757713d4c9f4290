"""Settle families: decide every claim that needs work, in received order, under a lock.

A batch of families is one transaction. Within a family, every open claim from the first one
needing work is reversed and adjudicated again (see core.work_queue), so parallel workers,
pended claims released later, adjustments and retroactive changes all give the amounts that
processing the claims one by one as received would give.
"""

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from openaso.core.accumulators import AccumulatorKey, Posting
from openaso.core.adjudication import Adjudicator
from openaso.core.claims import Claim, DisabilityClaim, DuplicateKey, Fill, duplicate_key
from openaso.core.disability import adjudicate_disability
from openaso.core.pharmacy import adjudicate_fill
from openaso.core.work_queue import QueuedClaim, to_settle
from openaso.services.ports import Decision, UnitOfWork, UnitOfWorkFactory

REFRESH_EVERY = 10_000  # claims decided between refreshes of the database's statistics


@dataclass
class Settlement:
    """What a run decided: claim counts by status, and the families settled."""

    families: int = 0
    claims: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, other: "Settlement") -> None:
        self.families += other.families
        self.claims += other.claims
        for status, count in other.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + count


def reference_data(uow: UnitOfWork) -> Adjudicator:
    """Plans and fee schedule, read once for a run."""
    with uow:
        return Adjudicator(uow.plans.all(), uow.fees.schedule())


def settle_families(
    uow: UnitOfWork, family_ids: Sequence[str], adjudicator: Adjudicator
) -> Settlement:
    with uow:
        result = _settle(uow, uow.claims.lock_families(family_ids), adjudicator)
        uow.commit()
        return result


def adjudicate_waiting(
    new_uow: UnitOfWorkFactory,
    batch: int = 200,
    progress: Callable[[Settlement], None] | None = None,
) -> Settlement:
    """Settle every family with work, `batch` families a transaction, until none is left.

    Run several of these at once (processes, machines) against PostgreSQL: each locks the
    families it takes and skips those another holds.
    """
    adjudicator = reference_data(new_uow())
    total = Settlement()
    since_refresh = 0
    while True:
        with new_uow() as uow:
            taken = uow.claims.take_families(batch)
            if not taken:
                return total
            done = _settle(uow, taken, adjudicator)
            if not done.claims:  # never spin on work that cannot be seen
                raise RuntimeError(
                    f"families {', '.join(taken)} have claims waiting but none to settle"
                )
            since_refresh += done.claims
            if since_refresh >= REFRESH_EVERY:
                uow.refresh_statistics()
                since_refresh = 0
            uow.commit()
        total.add(done)
        if progress is not None:
            progress(done)


def _settle(uow: UnitOfWork, family_ids: Sequence[str], adjudicator: Adjudicator) -> Settlement:
    # A batch holds every decision and trace it makes until it is written; the cyclic garbage
    # collector would rescan that growing heap over and over (it found nothing to free, and
    # cost 60% of the run). Nothing here makes reference cycles, so pause it for the batch.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _settle_batch(uow, family_ids, adjudicator)
    finally:
        if paused:
            gc.enable()


def _settle_batch(
    uow: UnitOfWork, family_ids: Sequence[str], adjudicator: Adjudicator
) -> Settlement:
    queued = uow.claims.queue(family_ids)
    work = {family: to_settle(claims) for family, claims in queued.items()}
    work = {family: claims for family, claims in work.items() if claims}
    flat = [q for claims in work.values() for q in claims]
    if not flat:
        return Settlement()
    uow.accumulators.reverse([q.seq for q in flat if q.status != "received"])
    member_ids = {q.claim.member_id for q in flat}
    members = uow.members.get_many(member_ids)
    spans = uow.members.enrolments_of(member_ids)
    balances: dict[AccumulatorKey, int] = uow.accumulators.balances(members.values())
    first: dict[str, tuple[int, int]] = {}
    for q in flat:
        first.setdefault(q.claim.member_id, q.order)
    prior = uow.claims.prior_lines(member_ids, first)
    decisions: list[tuple[int, Decision]] = []
    postings: list[tuple[int | None, Posting]] = []
    result = Settlement(families=len(work))
    for claims in work.values():
        for q in claims:
            member = members.get(q.claim.member_id)
            decision = _decide(
                q, member, spans.get(q.claim.member_id, ()), balances, prior, adjudicator
            )
            # One entry per claim and accumulator: each line's movements are in its trace.
            per_key: dict[AccumulatorKey, int] = {}
            for posting in getattr(decision, "postings", ()):
                per_key[posting.key] = per_key.get(posting.key, 0) + posting.amount
            for key, amount in per_key.items():
                before = balances.get(key, 0)
                balances[key] = before + amount
                postings.append((q.seq, Posting(key, amount, before, 0)))
            decisions.append((q.seq, decision))
            result.claims += 1
            result.by_status[decision.status] = result.by_status.get(decision.status, 0) + 1
    uow.accumulators.post(postings)
    uow.claims.record(decisions)
    return result


def _decide(
    queued: QueuedClaim,
    member: object,
    spans: tuple[object, ...],
    balances: dict[AccumulatorKey, int],
    prior: dict[str, set[DuplicateKey]],
    adjudicator: Adjudicator,
) -> Decision:
    claim = queued.claim
    if isinstance(claim, Claim):
        history = prior.setdefault(claim.member_id, set())
        decision = adjudicator.adjudicate(claim, member, spans, balances, history)  # type: ignore[arg-type]
        if decision.status != "pended":
            history.update(duplicate_key(claim, line) for line in claim.lines)
        return decision
    if isinstance(claim, Fill):
        return adjudicate_fill(claim, member, spans, adjudicator.plans, balances)  # type: ignore[arg-type]
    assert isinstance(claim, DisabilityClaim)
    return adjudicate_disability(claim, member, spans, adjudicator.plans)  # type: ignore[arg-type]
