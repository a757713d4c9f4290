"""Claims in: store them as received, in order, to be adjudicated."""

from collections.abc import Iterable

from openaso.services.ports import ReceivedClaim, UnitOfWork

BULK = 1_000  # claims in one intake after which the database's statistics are refreshed


class DuplicateClaimIdError(ValueError):
    """A claim id that is already on file (claim ids are the payer's claim numbers)."""


def family_key(uow: UnitOfWork, member_id: str) -> str:
    """The family a claim is settled with; a claim for an unknown member stands alone."""
    family = uow.members.family_of(member_id)
    if family is None:
        family = f"unknown:{member_id}"
        uow.members.ensure_family(family, None)
    return family


def receive_claims(uow: UnitOfWork, claims: Iterable[ReceivedClaim]) -> list[int]:
    """Store every claim or none, in order; returns their received sequence numbers."""
    batch = list(claims)
    ids = [claim.id for claim in batch]
    repeated = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) != len(ids) else []
    if repeated:
        raise DuplicateClaimIdError(f"claim {repeated[0]} appears twice in what was received")
    with uow:
        on_file = uow.claims.existing_ids(ids)
        if on_file:
            raise DuplicateClaimIdError(f"claim {sorted(on_file)[0]} is already on file")
        member_ids = {claim.member_id for claim in batch}
        families = {m.id: m.family_id for m in uow.members.get_many(member_ids).values()}
        for member_id in member_ids - families.keys():
            families[member_id] = family_key(uow, member_id)
        seqs = uow.claims.add_many([(claim, families[claim.member_id]) for claim in batch])
        if len(batch) >= BULK:
            uow.refresh_statistics()
        uow.commit()
        return seqs
