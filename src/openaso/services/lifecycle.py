"""An examiner's work on claims: release a pended line, void or adjust a decided claim.

Nothing is edited: a void or adjustment reverses what the claim posted, and the family is
settled again from that claim on, so later claims of the family are left right.
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from openaso.core.claims import Claim, ClaimHeader, ClaimOrigin, Group, LineReview
from openaso.services.ports import UnitOfWork

DECIDED = ("approved", "denied", "pended")


class ClaimActionError(ValueError):
    """The action does not apply to this claim; the message says why."""


def review_line(uow: UnitOfWork, claim_id: str, review: LineReview, at: datetime) -> str:
    """Approve (with the allowed amount) or deny a line of a pended claim; returns the family."""
    with uow:
        header = _header(uow, claim_id)
        if header.status != "pended":
            raise ClaimActionError(f"claim {claim_id} is {header.status}, not pended")
        numbers = {line.number for line in uow.claims.lines(claim_id)}
        if review.line_number not in numbers:
            raise ClaimActionError(f"claim {claim_id} has no line {review.line_number}")
        if review.action == "approve" and review.allowed is None:
            raise ClaimActionError("approving a pended line needs the allowed amount (--allowed)")
        if review.action == "deny" and not review.carc:
            raise ClaimActionError("denying a line needs a reason code (--carc)")
        uow.claims.add_review(header.seq, review)
        uow.audit.record(
            at,
            review.examiner,
            f"line {review.action}",
            "claim",
            claim_id,
            {
                "line": review.line_number,
                "allowed": review.allowed,
                "carc": review.carc,
                "group": review.group,
                "reason": review.reason,
            },
        )
        uow.commit()
        return header.family_id


def void_claim(uow: UnitOfWork, claim_id: str, reason: str, actor: str, at: datetime) -> str:
    """Void a decided claim: its postings are reversed; later family claims are re-decided."""
    with uow:
        header = _decided(uow, claim_id)
        _void(uow, header, reason, actor, at)
        uow.commit()
        return header.family_id


def void_sent(
    uow: UnitOfWork, claim_id: str, billing_npi: str, reason: str, actor: str, at: datetime
) -> None:
    """A provider's void (837 frequency 8) of a claim it sent, decided or not, within the
    caller's transaction."""
    header = _sent_by(uow, claim_id, billing_npi)
    _void(uow, header, reason, actor, at)


def replace_sent(
    uow: UnitOfWork,
    claim_id: str,
    replacement: Claim,
    family_id: str,
    origin: ClaimOrigin,
    actor: str,
    at: datetime,
) -> None:
    """A provider's replacement (837 frequency 7) of a claim it sent, within the caller's
    transaction: decided in the original's place, as an examiner's adjustment is."""
    header = _sent_by(uow, claim_id, origin.billing_npi or "")
    uow.accumulators.reverse([header.seq])
    uow.claims.set_status(header.seq, "replaced")
    uow.claims.add(replacement, family_id, replaces=header.seq, origin=origin)
    detail = {"replacement": replacement.id, "file": origin.source_file}
    uow.audit.record(at, actor, "replace", "claim", claim_id, detail)


def _void(uow: UnitOfWork, header: ClaimHeader, reason: str, actor: str, at: datetime) -> None:
    uow.accumulators.reverse([header.seq])
    uow.claims.set_status(header.seq, "voided")
    _reprocess_after(uow, header)
    uow.audit.record(at, actor, "void", "claim", header.id, {"reason": reason})


def _sent_by(uow: UnitOfWork, claim_id: str, billing_npi: str) -> ClaimHeader:
    """The claim a provider's replacement or void names, if it is theirs to change."""
    header = _header(uow, claim_id)
    if header.status not in ("received", *DECIDED):
        raise ClaimActionError(f"claim {claim_id} is already {header.status}")
    sent_by = uow.claims.origin(header.seq).billing_npi
    if sent_by != billing_npi:
        who = f"billing provider {sent_by}" if sent_by else "no 837"
        raise ClaimActionError(f"claim {claim_id} came from {who}, not {billing_npi}")
    return header


def adjust_claim(
    uow: UnitOfWork,
    claim_id: str,
    changes: Mapping[int, Mapping[str, object]],
    reason: str,
    actor: str,
    at: datetime,
) -> tuple[str, str]:
    """Replace a decided claim with a corrected copy, decided in the original's place.

    `changes` maps a line number to new values (`billed`, `code`, `units`, `modifiers`).
    Returns (replacement claim id, family).
    """
    with uow:
        header = _decided(uow, claim_id)
        original = uow.claims.get(header.seq)
        if not isinstance(original, Claim):
            raise ClaimActionError(
                f"claim {claim_id} is a {header.kind} claim; only medical and"
                " dental claims are adjusted line by line (void it instead)"
            )
        lines = {line.number: line for line in original.lines}
        for number, values in changes.items():
            if number not in lines:
                raise ClaimActionError(f"claim {claim_id} has no line {number}")
            lines[number] = replace(lines[number], **values)  # type: ignore[arg-type]
        count = 1
        while uow.claims.seq_of(new_id := f"{claim_id}-A{count}") is not None:
            count += 1
        replacement = replace(original, id=new_id, lines=tuple(lines.values()), reviews=())
        uow.accumulators.reverse([header.seq])
        uow.claims.set_status(header.seq, "replaced")
        uow.claims.add(replacement, header.family_id, replaces=header.seq)
        uow.audit.record(
            at,
            actor,
            "adjust",
            "claim",
            claim_id,
            {
                "replacement": new_id,
                "reason": reason,
                "changes": {str(n): {k: str(v) for k, v in c.items()} for n, c in changes.items()},
            },
        )
        uow.commit()
        return new_id, header.family_id


def deny_reason(group: str, carc: str) -> tuple[Group, str]:
    if group not in ("CO", "PR", "OA"):
        raise ClaimActionError(f"group must be CO, PR or OA, got {group!r}")
    if not carc.isalnum():
        raise ClaimActionError(f"expected a CARC such as 16 or 50, got {carc!r}")
    return group, carc  # type: ignore[return-value]


def _header(uow: UnitOfWork, claim_id: str) -> ClaimHeader:
    header = uow.claims.header(claim_id)
    if header is None:
        raise ClaimActionError(f"no claim {claim_id} on file")
    return header


def _decided(uow: UnitOfWork, claim_id: str) -> ClaimHeader:
    header = _header(uow, claim_id)
    if header.status not in DECIDED:
        raise ClaimActionError(
            f"claim {claim_id} is {header.status}: only a decided claim can be voided or adjusted"
        )
    return header


def _reprocess_after(uow: UnitOfWork, header: ClaimHeader) -> None:
    uow.claims.flag_family_after(header.family_id, header.position)
