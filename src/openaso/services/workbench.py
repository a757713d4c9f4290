"""What an examiner reads: claim search, the pend queue, a claim with its trace, a member and
family with accumulators, and the intake history. Each read checks the principal may see PHI and
is written to the audit log (who, what, when)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openaso.services.access import Principal, require_phi
from openaso.services.ports import StoredLine, UnitOfWork


class NotFoundError(LookupError):
    """Nothing on file under that id; the message names what was looked for."""


@dataclass(frozen=True, slots=True)
class ClaimSearch:
    """What to look for; every criterion given must hold."""

    claim_id: str | None = None
    member_id: str | None = None
    status: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    limit: int = 100
    offset: int = 0

    def given(self) -> dict[str, str]:
        fields = ("claim_id", "member_id", "status", "received_from", "received_to")
        return {f: str(v) for f in fields if (v := getattr(self, f)) not in (None, "")}


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim as the examiner sees it: header, lines as billed and as decided (with trace)."""

    header: dict[str, Any]
    billed: tuple[dict[str, Any], ...]
    decided: tuple[StoredLine, ...]
    diagnoses: tuple[str, ...]
    provider: dict[str, Any] | None
    family: tuple[dict[str, Any], ...]
    replaced_by: str | None


@dataclass(frozen=True, slots=True)
class MemberView:
    member: dict[str, Any]
    coverage: tuple[Any, ...]
    member_accumulators: dict[tuple[str, str], int]
    family_accumulators: dict[tuple[str, str], int]
    family: tuple[dict[str, Any], ...]
    claims: tuple[dict[str, Any], ...]


def search_claims(
    uow: UnitOfWork, principal: Principal, search: ClaimSearch, at: datetime
) -> tuple[list[dict[str, Any]], int]:
    require_phi(principal)
    with uow:
        rows, count = uow.workbench.search_claims(
            claim_id=search.claim_id or None,
            member_id=search.member_id or None,
            status=search.status or None,
            received_from=search.received_from,
            received_to=search.received_to,
            limit=search.limit,
            offset=search.offset,
        )
        uow.audit.record(at, principal.login, "search claims", "claim", "*", search.given())
        uow.commit()
    return rows, count


def pend_queue(uow: UnitOfWork, principal: Principal, at: datetime) -> list[dict[str, Any]]:
    """Pended claims oldest first, one row per claim: age in days and each waiting line's reason."""
    require_phi(principal)
    with uow:
        rows = uow.claims.pend_queue()
        uow.audit.record(at, principal.login, "read pend queue", "claim", "*", {"rows": len(rows)})
        uow.commit()
    claims: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = claims.setdefault(
            row["claim"],
            {
                "claim": row["claim"],
                "member": row["member"],
                "received": row["received"],
                "age": (at.date() - row["received"]).days,
                "lines": [],
            },
        )
        entry["lines"].append((row["line"], row["reason"]))
    return list(claims.values())


def claim_view(uow: UnitOfWork, principal: Principal, claim_id: str, at: datetime) -> ClaimView:
    require_phi(principal)
    with uow:
        header = uow.claims.header(claim_id)
        if header is None:
            raise NotFoundError(f"no claim {claim_id} on file")
        view = ClaimView(
            header={
                "id": header.id,
                "kind": header.kind,
                "member_id": header.member_id,
                "family_id": header.family_id,
                "status": header.status,
                "received": header.received,
                "decision_no": header.decision_no,
                "replaces": header.replaces,
            },
            billed=tuple(uow.workbench.claim_lines(claim_id)),
            decided=tuple(uow.claims.lines(claim_id)),
            diagnoses=tuple(uow.workbench.diagnoses(claim_id)),
            provider=uow.claims.provider_of_claim(claim_id),
            family=tuple(uow.claims.family_of_claim(claim_id)),
            replaced_by=uow.claims.replacement_of(claim_id),
        )
        uow.audit.record(at, principal.login, "read claim", "claim", claim_id, {})
        uow.commit()
    return view


def claim_status(
    uow: UnitOfWork, principal: Principal, claim_id: str, at: datetime
) -> dict[str, Any]:
    """Where a claim stands: status, decision number, when received, what replaced it."""
    require_phi(principal)
    with uow:
        header = uow.claims.header(claim_id)
        if header is None:
            raise NotFoundError(f"no claim {claim_id} on file")
        uow.audit.record(at, principal.login, "read claim status", "claim", claim_id, {})
        uow.commit()
    return {
        "id": header.id,
        "kind": header.kind,
        "status": header.status,
        "received": header.received,
        "decision_no": header.decision_no,
        "replaces": header.replaces,
    }


def member_view(uow: UnitOfWork, principal: Principal, member_id: str, at: datetime) -> MemberView:
    require_phi(principal)
    with uow:
        detail = uow.members.detail(member_id)
        if detail is None:
            raise NotFoundError(f"no member {member_id} on file")
        family_id = str(detail["family_id"])
        claims, _ = uow.workbench.search_claims(member_id=member_id, limit=50)
        view = MemberView(
            member=detail,
            coverage=uow.members.enrolments(member_id),
            member_accumulators=uow.accumulators.of_holder("member", member_id),
            family_accumulators=uow.accumulators.of_holder("family", family_id),
            family=tuple(uow.workbench.family(family_id)),
            claims=tuple(claims),
        )
        uow.audit.record(at, principal.login, "read member", "member", member_id, {})
        uow.commit()
    return view


def intake_history(
    uow: UnitOfWork, principal: Principal, at: datetime, limit: int = 50
) -> list[dict[str, Any]]:
    """The latest X12 files received, newest first, each with its 999/TA1 acknowledgments."""
    require_phi(principal)
    with uow:
        files = uow.x12.recent(limit)
        for file in files:
            file["acknowledgments"] = [
                {k: v for k, v in ack.items() if k != "content"}
                for ack in uow.x12.acknowledgments(file["id"])
            ]
        uow.audit.record(at, principal.login, "read intake history", "x12_file", "*", {})
        uow.commit()
    return files
