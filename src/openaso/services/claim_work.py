"""An examiner's actions and claim submission, each checked against the principal's role and
followed by settling the family it touched (as the command line does)."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from openaso.core.claims import LineReview
from openaso.services.access import Principal, Role, require_role
from openaso.services.adjudication import Settlement, reference_data, settle_families
from openaso.services.intake import receive_claims
from openaso.services.lifecycle import adjust_claim, deny_reason, review_line, void_claim
from openaso.services.ports import ReceivedClaim, UnitOfWorkFactory

STAFF = (Role.TPA_ADMIN, Role.EXAMINER)


def approve_line(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    claim_id: str,
    line: int,
    allowed: int,
    reason: str,
    at: datetime,
) -> Settlement:
    require_role(principal, *STAFF)
    review = LineReview(line, "approve", reason, principal.login, allowed=allowed)
    return _settle(new_uow, [review_line(new_uow(), claim_id, review, at)])


def deny_line(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    claim_id: str,
    line: int,
    group: str,
    carc: str,
    reason: str,
    at: datetime,
) -> Settlement:
    require_role(principal, *STAFF)
    group_code, code = deny_reason(group, carc)
    review = LineReview(line, "deny", reason, principal.login, group=group_code, carc=code)
    return _settle(new_uow, [review_line(new_uow(), claim_id, review, at)])


def void(
    new_uow: UnitOfWorkFactory, principal: Principal, claim_id: str, reason: str, at: datetime
) -> Settlement:
    require_role(principal, *STAFF)
    return _settle(new_uow, [void_claim(new_uow(), claim_id, reason, principal.login, at)])


def adjust(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    claim_id: str,
    changes: Mapping[int, Mapping[str, object]],
    reason: str,
    at: datetime,
) -> str:
    """Replace a decided claim with a corrected copy; returns the replacement's id."""
    require_role(principal, *STAFF)
    new_id, family = adjust_claim(new_uow(), claim_id, changes, reason, principal.login, at)
    _settle(new_uow, [family])
    return new_id


def submit_claims(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    claims: Sequence[ReceivedClaim],
    at: datetime,
) -> Settlement:
    """Store claims as received (all or none) and adjudicate their families at once."""
    require_role(principal, *STAFF)
    receive_claims(new_uow(), claims)
    with new_uow() as uow:
        families = sorted(
            {h.family_id for c in claims if (h := uow.claims.header(c.id)) and h.family_id}
        )
        detail = {"claims": [c.id for c in claims]}
        uow.audit.record(at, principal.login, "submit claims", "claim", claims[0].id, detail)
        uow.commit()
    return _settle(new_uow, families)


def _settle(new_uow: UnitOfWorkFactory, families: list[str]) -> Settlement:
    return settle_families(new_uow(), families, reference_data(new_uow()))
