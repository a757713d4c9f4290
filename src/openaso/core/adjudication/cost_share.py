"""Member cost share: copay → deductible → coinsurance, within the out-of-pocket room.

Each step is capped by what is left of the allowed amount and by the out-of-pocket room
(individual and family, per the plan's family mode); all three count toward the OOP maximum.
"""

from dataclasses import dataclass

from openaso.core.accumulators import (
    DEDUCTIBLE,
    OOP,
    PLAN_PAID,
    AccumulatorKey,
    Posting,
    RunningBalances,
)
from openaso.core.adjudication.work import ClaimWork, LineWork, move
from openaso.core.members import Member
from openaso.core.money import BasisPoints, Cents, format_percent, percent_of
from openaso.core.plan import Benefit, FamilyMode, Limit, MedicalPlan, Network

_NETWORK_KEY = {"in": "in_network", "out": "out_of_network"}
_OTHER: dict[Network, Network] = {"in": "out", "out": "in"}
_CODE = {"1": "PR-1", "2": "PR-2", "3": "PR-3"}
_DEDUCTIBLE_KEYS = {
    network: (f"cost_share.{key}.deductible", "cost_share.family")
    for network, key in _NETWORK_KEY.items()
}


def room(
    balances: RunningBalances,
    plan: MedicalPlan,
    member: Member,
    names: dict[str, str],
    network: Network,
    limit: Limit | None,
    on_family_tier: bool,
) -> Cents | None:
    """What is left of a deductible or OOP maximum for this member; None when there is none."""
    if limit is None:
        return None
    name = names[network]
    other = names[_OTHER[network]] if plan.cross_accumulate else None
    used = balances[("member", member.id, plan.id, name)]
    if other:
        used += balances[("member", member.id, plan.id, other)]
    left = limit.individual - used
    if limit.family is not None and (plan.family_mode is FamilyMode.EMBEDDED or on_family_tier):
        family_used = balances[("family", member.family_id, plan.id, name)]
        if other:
            family_used += balances[("family", member.family_id, plan.id, other)]
        family_left = limit.family - family_used
        # Embedded: both limits bind. Aggregate: a family-tier member has only the family one.
        left = min(left, family_left) if plan.family_mode is FamilyMode.EMBEDDED else family_left
    return left if left > 0 else 0


def post(
    balances: RunningBalances,
    plan_id: str,
    member: Member,
    name: str,
    amount: Cents,
    line_number: int,
) -> tuple[Posting, ...]:
    """Post to the member's and the family's accumulator."""
    if not amount:
        return ()
    return (
        move(balances, ("member", member.id, plan_id, name), amount, line_number),
        move(balances, ("family", member.family_id, plan_id, name), amount, line_number),
    )


@dataclass(frozen=True, slots=True)
class Terms:
    """A benefit's cost share in one network, with the plan key each term was read from."""

    copay: Cents
    copay_key: str
    deductible: bool
    deductible_key: str
    coinsurance: BasisPoints
    coinsurance_key: str


def terms(plan: MedicalPlan, benefit: Benefit | None, network: Network) -> Terms:
    general = plan.cost_share(network)
    where = _NETWORK_KEY[network]
    override = None
    if benefit is not None:
        override = benefit.in_network if network == "in" else benefit.out_of_network
    own = f"benefits.{benefit.name}.{where}" if benefit is not None else ""

    def pick(field: str, inherited: object) -> tuple[object, str]:
        value = getattr(override, field) if override is not None else None
        if value is None:
            return inherited, f"cost_share.{where}.{field}"
        return value, f"{own}.{field}"

    copay, copay_key = pick("copay", general.copay)
    deductible, deductible_key = pick("deductible", general.deductible is not None)
    coinsurance, coinsurance_key = pick("coinsurance", general.coinsurance)
    return Terms(
        copay,  # type: ignore[arg-type]
        copay_key,
        bool(deductible) and general.deductible is not None,
        deductible_key,
        coinsurance,  # type: ignore[arg-type]
        coinsurance_key,
    )


def _charge_within_oop(
    work: ClaimWork,
    line: LineWork,
    step: str,
    carc: str,
    wanted: tuple[str, Cents],
    plan_keys: tuple[str, ...],
    note: str,
    charge: Cents | None = None,
) -> None:
    """Charge the member min(wanted, plan's share, OOP room); post to the OOP (and deductible)."""
    plan, member, network = line.medical_plan, work.member, work.claim.network
    assert member is not None
    if line.oop_left == LineWork.UNKNOWN:
        limit = plan.cost_share(network).oop_max
        line.oop_left = room(work.balances, plan, member, OOP, network, limit, line.on_family_tier)
    oop_left = line.oop_left
    due = wanted[1] if charge is None else charge
    amount = due if due < line.plan_share else line.plan_share
    if oop_left is not None and oop_left < amount:
        amount = oop_left
    moved: tuple[Posting, ...] = ()
    if amount:
        line.charge("PR", carc, amount)
        if oop_left is not None:
            line.oop_left = oop_left - amount
        number = line.line.number
        moved = post(work.balances, plan.id, member, OOP[network], amount, number)
        if carc == "1":
            moved += post(work.balances, plan.id, member, DEDUCTIBLE[network], amount, number)
    amounts: tuple[tuple[str, Cents], ...] = (wanted, (_CODE[carc], amount))
    if oop_left is not None:
        amounts += (("out-of-pocket room", oop_left),)
    line.note(step, note, plan_keys, amounts, moved)


def copay(work: ClaimWork, line: LineWork) -> None:
    share = line.terms
    if share.copay:
        _charge_within_oop(
            work,
            line,
            "copay",
            "3",
            ("copay", share.copay),
            (share.copay_key,),
            "member pays the copay",
        )


def deductible(work: ClaimWork, line: LineWork) -> None:
    plan, network = line.medical_plan, work.claim.network
    share = line.terms
    if not share.deductible:
        if plan.cost_share(network).deductible is not None:
            line.note("deductible", "waived for this benefit", (share.deductible_key,))
        return
    if line.plan_share == 0:
        return
    assert work.member is not None
    limit = plan.cost_share(network).deductible
    tier = line.on_family_tier
    left = room(work.balances, plan, work.member, DEDUCTIBLE, network, limit, tier) or 0
    _charge_within_oop(
        work,
        line,
        "deductible",
        "1",
        ("deductible left", left),
        _DEDUCTIBLE_KEYS[network],
        f"member pays toward the {plan.family_mode} deductible",
    )


def coinsurance(work: ClaimWork, line: LineWork) -> None:
    share = line.terms
    if share.coinsurance and line.plan_share:
        _charge_within_oop(
            work,
            line,
            "coinsurance",
            "2",
            ("coinsurance on", line.plan_share),
            (share.coinsurance_key,),
            f"member pays {format_percent(share.coinsurance)} coinsurance",
            percent_of(line.plan_share, share.coinsurance),
        )


def annual_max(work: ClaimWork, line: LineWork) -> None:
    plan = line.medical_plan
    if plan.annual_max is None:
        return
    assert work.member is not None
    key: AccumulatorKey = ("member", work.member.id, plan.id, PLAN_PAID)
    left = max(0, plan.annual_max - work.balances[key])
    excess = max(0, line.plan_share - left)
    line.charge("PR", "119", excess)
    moved = move(work.balances, key, line.plan_share, line.line.number)
    line.note(
        "annual_max",
        "plan pays up to what is left of the annual maximum",
        ("annual_max",),
        (("annual maximum left", left), ("PR-119", excess), ("plan pays", line.plan_share)),
        (moved,),
    )


COST_SHARE = (copay, deductible, coinsurance, annual_max)
