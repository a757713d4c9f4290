"""Who is asking: the roles of OpenASO and the checks every use case that shows data makes.

Access is decided here, in the service layer, never only in templates or routes: a use case that
returns member-level data (PHI) calls `require_phi(principal)`; one that returns a sponsor's
figures calls `require_sponsor(principal, sponsor_id)`. HIPAA lets a plan sponsor see only summary,
de-identified health information, so `sponsor` and `broker` never get PHI, and a sponsor sees its
own sponsor only; a broker sees the sponsors it is assigned to.
"""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    TPA_ADMIN = "tpa_admin"
    EXAMINER = "examiner"
    SPONSOR = "sponsor"
    BROKER = "broker"


PHI_ROLES = frozenset({Role.TPA_ADMIN, Role.EXAMINER})
# Aggregated cells describing fewer members than this are suppressed for de-identified roles.
SMALL_CELL = 10


class AccessDeniedError(PermissionError):
    """The principal may not see or do this; the message says what was refused."""


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in person or a system token: its login, role and the sponsors it may see
    (empty for TPA staff, who see every sponsor)."""

    login: str
    role: Role
    sponsors: frozenset[str] = frozenset()

    @property
    def sees_phi(self) -> bool:
        return self.role in PHI_ROLES

    def may_see_sponsor(self, sponsor_id: str) -> bool:
        return self.role in PHI_ROLES or sponsor_id in self.sponsors


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        allowed = ", ".join(sorted(roles))
        who = f"{principal.login} ({principal.role})"
        raise AccessDeniedError(f"{who} may not do this; needs {allowed}")


def require_phi(principal: Principal) -> None:
    """Member-level data (names, member ids, dates of birth, diagnoses, claim lines)."""
    if not principal.sees_phi:
        raise AccessDeniedError(
            f"{principal.login} ({principal.role}) sees de-identified summaries only, not PHI"
        )


def require_sponsor(principal: Principal, sponsor_id: str) -> None:
    if not principal.may_see_sponsor(sponsor_id):
        who = f"{principal.login} ({principal.role})"
        raise AccessDeniedError(f"{who} may not see sponsor {sponsor_id}")


def suppress_small(count: int, value: int) -> int | None:
    """A de-identified figure over `count` members: None (suppressed) under SMALL_CELL members."""
    return None if 0 < count < SMALL_CELL else value
