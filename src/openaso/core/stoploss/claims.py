"""Paid claim facts as stop-loss sees them, and which of them a policy covers."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openaso.core.money import Cents
from openaso.core.plan import Coverage
from openaso.core.stoploss.policy import StopLossPolicy


@dataclass(frozen=True, slots=True)
class PaidClaim:
    """What the plan paid on one claim (or an adjustment of it: a negative amount).

    `incurred` is the first date of service; `diagnoses` are ICD-10 codes with or without the
    dot. `plan_id` is checked only when the policy names its plans.
    """

    claim_id: str
    member_id: str
    incurred: date
    paid: date
    amount: Cents
    coverage: Coverage
    diagnoses: tuple[str, ...] = ()
    plan_id: str | None = None


def eligible_claims(
    policy: StopLossPolicy,
    claims: Iterable[PaidClaim],
    *,
    through: date | None = None,
    terminated: bool = False,
) -> tuple[PaidClaim, ...]:
    """The claims the policy covers, paid on or before `through`, in paid-date order.

    Covered: a coverage kind (and plan, when the policy names plans) the policy covers,
    incurred and paid inside the basis windows (`terminated` with the terminal liability
    option adds its run-out). Claims paid the same day keep their given order.
    """
    incurred, paid = policy.windows(terminated=terminated)
    kept = [
        claim
        for claim in claims
        if claim.coverage in policy.covers
        and (not policy.plans or claim.plan_id is None or claim.plan_id in policy.plans)
        and claim.incurred in incurred
        and claim.paid in paid
        and (through is None or claim.paid <= through)
    ]
    return tuple(sorted(kept, key=lambda claim: claim.paid))


def normalise_diagnosis(code: str) -> str:
    """ICD-10 as compared: upper case, no dot, no spaces (`c50.911` → `C50911`)."""
    return code.replace(".", "").replace(" ", "").upper()
