"""Pharmacy fills: formulary tier → copay or capped coinsurance, within the integrated OOP."""

from collections.abc import Mapping

from openaso.core.accumulators import DEDUCTIBLE, OOP, AccumulatorKey, Posting, RunningBalances
from openaso.core.adjudication.cost_share import post, room
from openaso.core.claims import Fill
from openaso.core.decision import Adjustment, FillDecision, TraceStep
from openaso.core.members import Enrolment, Member, NeedsReview, NotCovered, plan_in_force
from openaso.core.money import Cents, format_cents, format_percent, percent_of
from openaso.core.plan import MedicalPlan, Plan, RxPlan


def adjudicate_fill(
    fill: Fill,
    member: Member | None,
    enrolments: tuple[Enrolment, ...],
    plans: Mapping[str, Plan],
    balances: Mapping[AccumulatorKey, int],
) -> FillDecision:
    allowed = fill.allowed
    if member is None:
        return _denied(fill, "31", f"member {fill.member_id} is not on file")
    found = plan_in_force(member, enrolments, plans, "rx", fill.fill_date)
    if isinstance(found, NotCovered):
        return _denied(fill, found.carc, found.reason)
    if isinstance(found, NeedsReview):
        return FillDecision(
            fill.id, "pended", 0, 0, (), (TraceStep("eligibility", found.reason),), ()
        )
    rx = found.plan
    family_tier = found.on_family_tier
    assert isinstance(rx, RxPlan)
    trace = [TraceStep("eligibility", f"covered by {rx.id} on {fill.fill_date}", ("plan_year",))]
    tier_name = rx.formulary.get(fill.ndc)
    if tier_name is None:
        trace.append(
            TraceStep("formulary", f"NDC {fill.ndc} is not on the formulary", ("formulary",))
        )
        not_covered = (Adjustment("PR", "204", allowed),) if allowed else ()
        return FillDecision(fill.id, "denied", allowed, 0, not_covered, tuple(trace), ())
    tier = rx.tiers[tier_name]
    trace.append(
        TraceStep("formulary", f"NDC {fill.ndc} is {tier_name}", (f"formulary.{fill.ndc}",))
    )

    running = RunningBalances(balances)
    target = plans.get(rx.integrated_oop_with or "")
    oop_plan = target if isinstance(target, MedicalPlan) else None
    oop_left = (
        room(running, oop_plan, member, OOP, "in", oop_plan.in_network.oop_max, family_tier)
        if oop_plan
        else None
    )
    share = allowed
    adjustments: list[Adjustment] = []
    moves: list[Posting] = []

    def charge(carc: str, wanted: Cents, step: str, note: str, keys: tuple[str, ...]) -> None:
        nonlocal share, oop_left
        amount = min(wanted, share) if oop_left is None else min(wanted, share, oop_left)
        if amount:
            adjustments.append(Adjustment("PR", carc, amount))
            share -= amount
            if oop_left is not None:
                oop_left -= amount
        posted: tuple[Posting, ...] = ()
        if oop_plan is not None:
            posted = post(running, oop_plan.id, member, OOP["in"], amount, 0)
            if carc == "1":
                posted += post(running, oop_plan.id, member, DEDUCTIBLE["in"], amount, 0)
        moves.extend(posted)
        trace.append(
            TraceStep(
                step,
                f"{note}; member pays {format_cents(amount)}",
                keys,
                ((f"PR-{carc}", amount),),
                posted,
            )
        )

    if rx.rx_deductible and oop_plan is not None:
        left = (
            room(
                running,
                oop_plan,
                member,
                DEDUCTIBLE,
                "in",
                oop_plan.in_network.deductible,
                family_tier,
            )
            or 0
        )
        charge(
            "1",
            left,
            "deductible",
            f"{oop_plan.id} deductible left {format_cents(left)}",
            ("rx_deductible",),
        )
    if tier.copay is not None:
        charge(
            "3",
            tier.copay,
            "copay",
            f"{tier_name} copay {format_cents(tier.copay)}",
            (f"tiers.{tier_name}.copay",),
        )
    elif tier.coinsurance is not None:
        wanted = percent_of(share, tier.coinsurance)
        capped = wanted if tier.max_per_fill is None else min(wanted, tier.max_per_fill)
        charge(
            "2",
            capped,
            "coinsurance",
            f"{format_percent(tier.coinsurance)} of {format_cents(share)} = {format_cents(wanted)}"
            + (
                f", capped at {format_cents(tier.max_per_fill)}"
                if tier.max_per_fill is not None
                else ""
            ),
            (f"tiers.{tier_name}.coinsurance", f"tiers.{tier_name}.max_per_fill"),
        )
    return FillDecision(
        fill.id,
        "approved",
        allowed,
        share,
        tuple(adjustments),
        tuple(trace),
        tuple(running.postings),
    )


def _denied(fill: Fill, carc: str, reason: str) -> FillDecision:
    allowed = fill.allowed
    adjustments = (Adjustment("CO", carc, allowed),) if allowed else ()
    return FillDecision(
        fill.id,
        "denied",
        0,
        0,
        adjustments,
        (TraceStep("eligibility", reason, (), (("denied", allowed),)),),
        (),
    )
