"""Invariants of the engine over random plans, families and claims (hypothesis)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from openaso.core.accumulators import AccumulatorKey
from openaso.core.adjudication import Adjudicator
from openaso.core.claims import Claim, Fill, ServiceLine, duplicate_key
from openaso.core.codes import CodeRange
from openaso.core.decision import ClaimDecision
from openaso.core.members import Enrolment, Member
from openaso.core.pharmacy import adjudicate_fill
from openaso.core.plan import (
    Benefit,
    CostShareOverride,
    FamilyMode,
    Frequency,
    Limit,
    MedicalPlan,
    NetworkCostShare,
    PlanYear,
    Pricing,
    PricingMethod,
    RxPlan,
    Tier,
)

YEAR = PlanYear(date(2026, 1, 1), date(2026, 12, 31))
CODES = ["99213", "99214", "99396", "72148", "29881", "97110", "15780", "80053"]
money = st.integers(0, 500_000)


@st.composite
def limits(draw: st.DrawFn, low: int = 0) -> Limit | None:
    if draw(st.booleans()):
        return None
    individual = draw(st.integers(low, 800_000))
    return Limit(individual, individual * draw(st.integers(1, 3)))


@st.composite
def network_cost_share(draw: st.DrawFn) -> NetworkCostShare:
    deductible = draw(limits())
    oop = draw(limits())
    if deductible is not None and oop is not None:  # plan check refuses an OOP below it
        oop = Limit(
            max(oop.individual, deductible.individual), max(oop.family or 0, deductible.family or 0)
        )
    return NetworkCostShare(
        deductible, oop, draw(st.integers(0, 10_000)), draw(st.sampled_from([0, 0, 2500]))
    )


overrides = st.none() | st.builds(
    CostShareOverride,
    st.none() | st.integers(0, 20_000),
    st.none() | st.booleans(),
    st.none() | st.integers(0, 10_000),
)


@st.composite
def benefits(draw: st.DrawFn) -> tuple[Benefit, ...]:
    chosen = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=5))
    result = []
    for index, code in enumerate(chosen):
        counted = draw(st.sampled_from(["none", "limit", "frequency"]))
        result.append(
            Benefit(
                name=f"b{index}",
                codes=(CodeRange(code, code),),
                covered=draw(st.booleans()) or index > 0,
                visit_limit=draw(st.integers(0, 3)) if counted == "limit" else None,
                frequency=Frequency(draw(st.integers(1, 3))) if counted == "frequency" else None,
                waiting_months=draw(st.none() | st.integers(0, 6)),
                in_network=draw(overrides),
                out_of_network=draw(overrides),
            )
        )
    return tuple(result)


@st.composite
def plans(draw: st.DrawFn) -> MedicalPlan:
    out_pricing = draw(
        st.sampled_from(
            [
                Pricing(PricingMethod.FEE_SCHEDULE),
                Pricing(PricingMethod.PERCENT_OF_FEE_SCHEDULE, 14_000),
                Pricing(PricingMethod.PERCENT_OF_BILLED, 6_000),
            ]
        )
    )
    return MedicalPlan(
        "p",
        "P",
        "acme",
        "medical",
        YEAR,
        draw(st.integers(30, 400)),
        Pricing(PricingMethod.FEE_SCHEDULE),
        out_pricing,
        draw(st.sampled_from(list(FamilyMode))),
        draw(st.booleans()),
        draw(network_cost_share()),
        draw(network_cost_share()),
        draw(st.none() | st.integers(0, 300_000)),
        draw(benefits()),
    )


@st.composite
def families(draw: st.DrawFn) -> tuple[Member, ...]:
    size = draw(st.integers(1, 4))
    tier = "EE" if size == 1 else draw(st.sampled_from(["ES", "EC", "FAM"]))
    relationships = ["subscriber", "spouse", "child", "child"]
    return tuple(Member(f"M{i}", "F", relationships[i], tier) for i in range(size))  # type: ignore[arg-type]


@st.composite
def claims(draw: st.DrawFn, members: tuple[Member, ...]) -> list[Claim]:
    result = []
    for number in range(draw(st.integers(1, 12))):
        lines = tuple(
            ServiceLine(
                n,
                draw(st.sampled_from(CODES)),
                date(2026, 1, 1) + timedelta(days=draw(st.integers(-20, 380))),
                draw(money),
                (),
                draw(st.integers(1, 3)),
            )
            for n in range(1, draw(st.integers(1, 4)) + 1)
        )
        received = max(line.service_date for line in lines) + timedelta(
            days=draw(st.integers(0, 400))
        )
        result.append(
            Claim(
                f"C{number}",
                draw(st.sampled_from([m.id for m in members] + ["X"])),
                received,
                draw(st.sampled_from(["in", "out"])),
                draw(st.sampled_from(["1", "2"])),
                lines,
            )
        )
    return result


fee_schedules = st.dictionaries(st.sampled_from(CODES), st.integers(0, 300_000))


def _run(
    plan: MedicalPlan, fees: dict[str, int], members: tuple[Member, ...], batch: list[Claim]
) -> tuple[list[ClaimDecision], dict[AccumulatorKey, int]]:
    adjudicator = Adjudicator({plan.id: plan}, fees)
    by_id = {m.id: m for m in members}
    spans = {
        m.id: (Enrolment(m.id, "medical", date(2026, 2, 1), plan_id=plan.id),) for m in members
    }
    balances: dict[AccumulatorKey, int] = {}
    prior: set[tuple[object, ...]] = set()
    decisions = []
    for claim in batch:
        decision = adjudicator.adjudicate(
            claim,
            by_id.get(claim.member_id),
            spans.get(claim.member_id, ()),
            balances,
            prior,  # type: ignore[arg-type]
        )
        for delta in decision.postings:
            balances[delta.key] = balances.get(delta.key, 0) + delta.amount
        if decision.status != "pended":
            prior.update(duplicate_key(claim, line) for line in claim.lines)
        decisions.append(decision)
    return decisions, balances


scenarios = st.tuples(plans(), fee_schedules, families()).flatmap(
    lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.just(t[2]), claims(t[2]))
)


@settings(max_examples=300, deadline=None)
@given(scenarios)
def test_every_line_balances_and_the_member_never_owes_more_than_allowed(case: tuple) -> None:  # type: ignore[type-arg]
    plan, fees, members, batch = case
    decisions, _ = _run(plan, fees, members, batch)
    for claim, decision in zip(batch, decisions, strict=True):
        for line, d in zip(claim.lines, decision.lines, strict=True):
            assert d.billed == line.billed
            if d.status == "pended":
                assert (d.allowed, d.plan_paid, d.adjustments) == (0, 0, ())
                continue
            assert line.billed == d.plan_paid + sum(a.amount for a in d.adjustments)
            assert all(a.amount > 0 for a in d.adjustments)
            assert 0 <= d.plan_paid <= d.allowed <= line.billed
            assert d.member_share <= d.allowed
            assert d.allowed - d.plan_paid == d.member_share


@settings(max_examples=300, deadline=None)
@given(scenarios)
def test_accumulators_never_exceed_their_maxima(case: tuple) -> None:  # type: ignore[type-arg]
    plan, fees, members, batch = case
    _, balances = _run(plan, fees, members, batch)

    def value(kind: str, holder: str, name: str) -> int:
        return balances.get((kind, holder, plan.id, name), 0)  # type: ignore[arg-type]

    for network, share in (("in", plan.in_network), ("out", plan.out_of_network)):
        for name, limit in (
            (f"deductible_{network}", share.deductible),
            (f"oop_{network}", share.oop_max),
        ):
            if limit is None:
                continue
            if limit.family is not None:
                assert value("family", "F", name) <= limit.family
            for m in members:
                cap = limit.individual
                if plan.family_mode is FamilyMode.AGGREGATE and m.tier != "EE":
                    cap = limit.family or cap
                assert value("member", m.id, name) <= cap
    if plan.cross_accumulate:  # each network's room counts both networks' spending
        for kind, holder in [("member", m.id) for m in members] + [("family", "F")]:
            for stem, limit_in, limit_out in (
                ("deductible", plan.in_network.deductible, plan.out_of_network.deductible),
                ("oop", plan.in_network.oop_max, plan.out_of_network.oop_max),
            ):
                if limit_in is not None and limit_out is not None and kind == "member":
                    both = value(kind, holder, f"{stem}_in") + value(kind, holder, f"{stem}_out")
                    cap = max(limit_in.individual, limit_out.individual)
                    if plan.family_mode is FamilyMode.AGGREGATE and members[0].tier != "EE":
                        cap = max(limit_in.family or cap, limit_out.family or cap)
                    assert both <= cap
    if plan.annual_max is not None:
        for m in members:
            assert value("member", m.id, "plan_paid") <= plan.annual_max
    for benefit in plan.benefits:
        if benefit.counted_limit is not None:
            for m in members:
                assert value("member", m.id, f"count:{benefit.name}") <= benefit.counted_limit


@settings(max_examples=100, deadline=None)
@given(scenarios)
def test_the_same_inputs_give_identical_decisions(case: tuple) -> None:  # type: ignore[type-arg]
    plan, fees, members, batch = case
    assert _run(plan, fees, members, batch) == _run(plan, fees, members, batch)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", "Z"]), money, st.integers(0, 2_000)), max_size=15
    ),
    st.integers(0, 600_000),
    st.integers(0, 600_000),
    st.booleans(),
)
def test_fills_split_allowed_between_plan_and_member_within_the_oop(
    fills: list[tuple[str, int, int]], oop_individual: int, deductible: int, rx_deductible: bool
) -> None:
    medical = MedicalPlan(
        "med",
        "M",
        "acme",
        "medical",
        YEAR,
        365,
        Pricing(PricingMethod.FEE_SCHEDULE),
        Pricing(PricingMethod.FEE_SCHEDULE),
        FamilyMode.EMBEDDED,
        False,
        NetworkCostShare(Limit(min(deductible, oop_individual)), Limit(oop_individual), 2000),
        NetworkCostShare(),
        None,
        (),
    )
    tiers = {
        "generic": Tier(copay=1000),
        "brand": Tier(copay=4000),
        "specialty": Tier(coinsurance=2000, max_per_fill=25_000),
    }
    rx = RxPlan(
        "rx",
        "R",
        "acme",
        YEAR,
        tiers,
        {"A": "generic", "B": "brand", "C": "specialty"},
        "med",
        rx_deductible,
    )
    member = Member("M0", "F", "subscriber", "EE")
    spans = (
        Enrolment("M0", "medical", date(2026, 1, 1), plan_id="med"),
        Enrolment("M0", "rx", date(2026, 1, 1), plan_id="rx"),
    )
    balances: dict[AccumulatorKey, int] = {}
    for n, (ndc, cost, fee) in enumerate(fills):
        fill = Fill(f"P{n}", "M0", ndc, date(2026, 3, 1), 30, 30, cost, fee)
        decision = adjudicate_fill(fill, member, spans, {"med": medical, "rx": rx}, balances)
        assert decision.plan_paid + decision.member_paid == fill.allowed
        assert decision.plan_paid >= 0
        for delta in decision.postings:
            balances[delta.key] = balances.get(delta.key, 0) + delta.amount
        assert balances.get(("member", "M0", "med", "oop_in"), 0) <= oop_individual
