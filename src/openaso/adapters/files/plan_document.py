"""Read a plan document: schema check, plan-level rules, then the core's frozen plan value."""

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from openaso.adapters.files.plan_schema import (
    PLAN_ADAPTER,
    BenefitDoc,
    LimitDoc,
    MedicalPlanDoc,
    NetworkCostShareDoc,
    OverrideDoc,
    PercentOfBilled,
    PercentOfFeeSchedule,
    PricingMethodDoc,
    RxPlanDoc,
    StdPlanDoc,
)
from openaso.adapters.files.validation import findings_from
from openaso.adapters.files.yaml_source import Finding, YamlDocument, YamlError, read_yaml
from openaso.core.codes import CodeRange
from openaso.core.plan import (
    Benefit,
    CostShareOverride,
    FamilyMode,
    Frequency,
    Limit,
    MedicalPlan,
    NetworkCostShare,
    Plan,
    PlanYear,
    Pricing,
    PricingMethod,
    RxPlan,
    StdPlan,
    Tier,
)

AnyPlanDoc = MedicalPlanDoc | RxPlanDoc | StdPlanDoc
_PRICING = (
    "expected fee_schedule, {percent_of_fee_schedule: P} or {percent_of_billed: P}"
    " (P a percentage above 0)"
)
PRICING_SHAPES = {"in_network": _PRICING, "out_of_network": _PRICING}


def load_plan_file(path: Path) -> tuple[Plan | None, list[Finding]]:
    try:
        document = read_yaml(path)
    except YamlError as exc:
        return None, [exc.finding]
    return load_plan(document)


def load_plan(
    document: YamlDocument, base: tuple[str | int, ...] = ()
) -> tuple[Plan | None, list[Finding]]:
    """A plan from parsed YAML (at key path `base` inside it): the plan, or every problem."""
    data: Any = document.data
    for part in base:
        data = data[part]
    if not isinstance(data, dict):
        return None, [document.finding(base, "expected a plan document (a mapping of keys)")]
    try:
        doc = PLAN_ADAPTER.validate_python(data)
    except ValidationError as exc:
        return None, findings_from(exc, document, base, "coverage", PRICING_SHAPES)
    problems = [document.finding((*base, *path), message) for path, message in check_plan(doc)]
    if problems:
        return None, problems
    return to_plan(doc), []


def check_plan(doc: AnyPlanDoc) -> list[tuple[tuple[str | int, ...], str]]:
    """Rules the schema cannot say, as (key path, what was expected)."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    if doc.plan_year.end < doc.plan_year.start:
        problems.append((("plan_year", "end"), "the plan year ends before it starts"))
    if isinstance(doc, MedicalPlanDoc):
        problems += _check_cost_share(doc)
        problems += _check_benefits(doc.benefits)
    elif isinstance(doc, RxPlanDoc):
        problems += _check_rx(doc)
    return problems


def _check_cost_share(doc: MedicalPlanDoc) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    networks = [("in_network", doc.cost_share.in_network)]
    if doc.cost_share.out_of_network is not None:
        networks.append(("out_of_network", doc.cost_share.out_of_network))
    for key, network in networks:
        where = ("cost_share", key)
        for name, limit in (("deductible", network.deductible), ("oop_max", network.oop_max)):
            if limit is not None and limit.family is not None and limit.family < limit.individual:
                problems.append(
                    (
                        (*where, name, "family"),
                        f"family amount {_usd(limit.family)} is below the individual"
                        f" amount {_usd(limit.individual)}",
                    )
                )
        ded, oop = network.deductible, network.oop_max
        if ded is not None and oop is not None:
            if oop.individual < ded.individual:
                problems.append(
                    (
                        (*where, "oop_max", "individual"),
                        f"out-of-pocket maximum {_usd(oop.individual)} is below the"
                        f" deductible {_usd(ded.individual)}",
                    )
                )
            if oop.family is not None and ded.family is not None and oop.family < ded.family:
                problems.append(
                    (
                        (*where, "oop_max", "family"),
                        f"family out-of-pocket maximum {_usd(oop.family)} is below the"
                        f" family deductible {_usd(ded.family)}",
                    )
                )
    return problems


def _check_benefits(benefits: list[BenefitDoc]) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    earlier: list[tuple[CodeRange, str, int, int]] = []
    names: dict[str, int] = {}
    for index, benefit in enumerate(benefits):
        where: tuple[str | int, ...] = ("benefits", index)
        if benefit.name in names:
            problems.append(
                (
                    (*where, "name"),
                    f"benefit name {benefit.name!r} is already used by"
                    f" benefits[{names[benefit.name]}]; names key the visit counts",
                )
            )
        names.setdefault(benefit.name, index)
        if benefit.limit is not None and benefit.frequency is not None:
            problems.append(((*where, "frequency"), "give either limit or frequency, not both"))
        if not benefit.covered:
            for network in ("in_network", "out_of_network"):
                override: OverrideDoc | None = getattr(benefit, network)
                for field in ("copay", "coinsurance", "deductible"):
                    if override is not None and getattr(override, field) is not None:
                        problems.append(
                            (
                                (*where, network, field),
                                f"a {field} on a benefit that is not covered"
                                " (covered: false); remove it or cover the benefit",
                            )
                        )
            for field in ("limit", "frequency", "waiting_months"):
                if getattr(benefit, field) is not None:
                    problems.append(
                        ((*where, field), f"a {field} on a benefit that is not covered")
                    )
        for code_index, text in enumerate(benefit.codes):
            path = (*where, "codes", code_index)
            try:
                codes = CodeRange.parse(text)
            except ValueError as exc:
                problems.append((path, str(exc)))
                continue
            for other, other_name, other_index, other_code in earlier:
                if other.covers(codes):
                    problems.append(
                        (
                            path,
                            f"{codes} is shadowed by {other} of benefit"
                            f" {other_name!r} (benefits[{other_index}].codes[{other_code}]),"
                            " which comes first and wins: this entry never matches",
                        )
                    )
                    break
            earlier.append((codes, benefit.name, index, code_index))
    return problems


def _check_rx(doc: RxPlanDoc) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for name, tier in doc.tiers.items():
        if (tier.copay is None) == (tier.coinsurance is None):
            problems.append((("tiers", name), "a tier needs either a copay or a coinsurance"))
        if tier.max_per_fill is not None and tier.coinsurance is None:
            problems.append((("tiers", name, "max_per_fill"), "max_per_fill caps a coinsurance"))
    for ndc, tier_name in doc.formulary.items():
        if tier_name not in doc.tiers:
            problems.append(
                (
                    ("formulary", ndc),
                    f"tier {tier_name!r} is not one of the plan's tiers ({', '.join(doc.tiers)})",
                )
            )
    if doc.rx_deductible and doc.integrated_oop_with is None:
        problems.append(
            (
                ("rx_deductible",),
                "rx_deductible needs integrated_oop_with (whose deductible the fills pay)",
            )
        )
    return problems


def _usd(cents: int) -> str:
    return f"${cents / 100:,.2f}".replace(".00", "")


def to_plan(doc: AnyPlanDoc) -> Plan:
    year = PlanYear(doc.plan_year.start, doc.plan_year.end)
    if isinstance(doc, StdPlanDoc):
        return StdPlan(
            doc.id,
            doc.name,
            doc.sponsor,
            year,
            doc.benefit_percent,
            doc.weekly_max,
            doc.elimination_days,
            doc.max_weeks,
        )
    if isinstance(doc, RxPlanDoc):
        tiers = {
            name: Tier(t.copay, t.coinsurance, t.max_per_fill) for name, t in doc.tiers.items()
        }
        return RxPlan(
            doc.id,
            doc.name,
            doc.sponsor,
            year,
            tiers,
            dict(doc.formulary),
            doc.integrated_oop_with,
            doc.rx_deductible,
        )
    in_net = _network(doc.cost_share.in_network)
    out_doc = doc.cost_share.out_of_network
    in_price = _pricing(doc.pricing.in_network)
    out_price = _pricing(doc.pricing.out_of_network) if doc.pricing.out_of_network else in_price
    return MedicalPlan(
        id=doc.id,
        name=doc.name,
        sponsor=doc.sponsor,
        coverage=doc.coverage,
        plan_year=year,
        timely_filing_days=doc.timely_filing_days,
        in_network_pricing=in_price,
        out_of_network_pricing=out_price,
        family_mode=FamilyMode(doc.cost_share.family),
        cross_accumulate=doc.cost_share.cross_accumulate,
        in_network=in_net,
        out_of_network=_network(out_doc) if out_doc is not None else in_net,
        annual_max=doc.annual_max,
        benefits=tuple(_benefit(b) for b in doc.benefits),
    )


def _pricing(doc: PricingMethodDoc) -> Pricing:
    if isinstance(doc, PercentOfFeeSchedule):
        return Pricing(PricingMethod.PERCENT_OF_FEE_SCHEDULE, doc.percent_of_fee_schedule)
    if isinstance(doc, PercentOfBilled):
        return Pricing(PricingMethod.PERCENT_OF_BILLED, doc.percent_of_billed)
    return Pricing(PricingMethod.FEE_SCHEDULE)


def _limit(doc: LimitDoc | None) -> Limit | None:
    return None if doc is None else Limit(doc.individual, doc.family)


def _network(doc: NetworkCostShareDoc) -> NetworkCostShare:
    return NetworkCostShare(_limit(doc.deductible), _limit(doc.oop_max), doc.coinsurance, doc.copay)


def _override(doc: OverrideDoc | None) -> CostShareOverride | None:
    return None if doc is None else CostShareOverride(doc.copay, doc.deductible, doc.coinsurance)


def _benefit(doc: BenefitDoc) -> Benefit:
    return Benefit(
        name=doc.name,
        codes=tuple(CodeRange.parse(code) for code in doc.codes),
        covered=doc.covered,
        visit_limit=doc.limit.visits if doc.limit else None,
        frequency=Frequency(doc.frequency.count, doc.frequency.per) if doc.frequency else None,
        waiting_months=doc.waiting_months,
        in_network=_override(doc.in_network),
        out_of_network=_override(doc.out_of_network),
    )
