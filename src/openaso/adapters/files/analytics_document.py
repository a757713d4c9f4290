"""Rate assumptions and simulation options as YAML (examples/analytics/); money in dollars.

Every problem is a finding `file:line: key: message`; a document with any finding gives None.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openaso.adapters.files.yaml_source import Finding, Path_, YamlDocument, YamlError, read_yaml
from openaso.analytics.rates import TierCosts
from openaso.analytics.simulate import ClaimModel, Laser, StopLossOption
from openaso.core.money import parse_amount, parse_percent

COST_FIELDS = ("expected_claims", "admin", "specific_premium", "aggregate_premium", "other_fees")


@dataclass(frozen=True, slots=True)
class RateAssumptions:
    tiers: tuple[TierCosts, ...]
    employees: Mapping[str, int]
    months: int = 12
    corridor: int = 12_500  # basis points
    premium_tax: int = 200
    risk_margin: int = 300
    retentions: int = 0
    quote: int | None = None
    specific_deductible: int | None = None  # caps each member's experience (expected claims)


@dataclass(frozen=True, slots=True)
class SimulationPlan:
    options: tuple[StopLossOption, ...]
    members: int | None = None
    years: int = 10_000
    seed: int = 0
    budget: int | None = None
    model: ClaimModel = field(default_factory=ClaimModel)


class _Reader:
    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.findings: list[Finding] = []

    def bad(self, path: Path_, message: str) -> None:
        self.findings.append(self.document.finding(path, message))

    def mapping(self, value: Any, path: Path_) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.bad(path, "expected a mapping")
        return {}

    def money(self, value: Any, path: Path_) -> int:
        try:
            return parse_amount(value)
        except ValueError as exc:
            self.bad(path, str(exc))
            return 0

    def percent(self, value: Any, path: Path_) -> int:
        try:
            return parse_percent(value)
        except ValueError as exc:
            self.bad(path, str(exc))
            return 0

    def count(self, value: Any, path: Path_, least: int = 0) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= least:
            return value
        self.bad(path, f"expected a whole number ≥ {least}, got {value!r}")
        return least

    def number(self, value: Any, path: Path_) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        self.bad(path, f"expected a number, got {value!r}")
        return 0.0


def load_rate_assumptions(path: Path) -> tuple[RateAssumptions | None, list[Finding]]:
    try:
        document = read_yaml(path)
    except YamlError as exc:
        return None, [exc.finding]
    read = _Reader(document)
    data = read.mapping(document.data, ())
    tiers = []
    for tier, costs in read.mapping(data.get("tiers"), ("tiers",)).items():
        given = read.mapping(costs, ("tiers", tier))
        for key in sorted(set(given) - {*COST_FIELDS, "margin"}):
            read.bad(("tiers", tier, key), f"unknown field; expected {', '.join(COST_FIELDS)}")
        amounts = {k: read.money(given.get(k, 0), ("tiers", tier, k)) for k in COST_FIELDS}
        margin = read.percent(given.get("margin", 0), ("tiers", tier, "margin"))
        tiers.append(TierCosts(str(tier), **amounts, margin=margin))
    employees = {
        str(t): read.count(n, ("employees", t))
        for t, n in read.mapping(data.get("employees"), ("employees",)).items()
    }
    quote = data.get("quote")
    specific = data.get("specific_deductible")
    assumptions = RateAssumptions(
        tiers=tuple(tiers),
        employees=employees,
        months=read.count(data.get("months", 12), ("months",), 1),
        corridor=read.percent(data.get("aggregate_corridor", 125), ("aggregate_corridor",)),
        premium_tax=read.percent(data.get("premium_tax", 2), ("premium_tax",)),
        risk_margin=read.percent(data.get("risk_margin", 3), ("risk_margin",)),
        retentions=read.money(data.get("retentions", 0), ("retentions",)),
        quote=None if quote is None else read.money(quote, ("quote",)),
        specific_deductible=None
        if specific is None
        else read.money(specific, ("specific_deductible",)),
    )
    if not tiers:
        read.bad(("tiers",), "expected at least one tier")
    return (None if read.findings else assumptions), read.findings


MODEL_FIELDS = {
    "no_claim": False,
    "body_sigma": False,
    "body_mean": True,
    "catastrophic": False,
    "pareto_scale": True,
    "pareto_alpha": False,
    "trend": False,
}


def load_simulation_plan(path: Path) -> tuple[SimulationPlan | None, list[Finding]]:
    try:
        document = read_yaml(path)
    except YamlError as exc:
        return None, [exc.finding]
    read = _Reader(document)
    data = read.mapping(document.data, ())
    model_data = read.mapping(data.get("model", {}), ("model",))
    overrides: dict[str, float] = {}
    for key, value in model_data.items():
        if key not in MODEL_FIELDS:
            read.bad(("model", key), f"unknown field; expected {', '.join(MODEL_FIELDS)}")
        elif MODEL_FIELDS[key]:
            overrides[key] = float(read.money(value, ("model", key)))
        else:
            overrides[key] = read.number(value, ("model", key))
    options = []
    listed = data.get("options")
    if not isinstance(listed, list) or not listed:
        read.bad(("options",), "expected a list of stop-loss options")
        listed = []
    for i, item in enumerate(listed):
        option = read.mapping(item, ("options", i))
        at: Path_ = ("options", i)
        lasers = tuple(
            Laser(
                read.count(read.mapping(laser, (*at, "lasers", j)).get("members", 1),
                           (*at, "lasers", j, "members"), 1),
                read.money(read.mapping(laser, (*at, "lasers", j)).get("deductible"),
                           (*at, "lasers", j, "deductible")),
            )
            for j, laser in enumerate(option.get("lasers") or [])
        )  # fmt: skip
        specific = option.get("specific_deductible")
        corridor = option.get("aggregate_corridor")
        attachment = option.get("aggregate_attachment")
        options.append(
            StopLossOption(
                name=str(option.get("name", f"option {i + 1}")),
                specific_deductible=None
                if specific is None
                else read.money(specific, (*at, "specific_deductible")),
                lasers=lasers,
                asd=read.money(option.get("asd", 0), (*at, "asd")),
                aggregate_corridor=None
                if corridor is None
                else read.percent(corridor, (*at, "aggregate_corridor")) / 10_000,
                aggregate_attachment=None
                if attachment is None
                else read.money(attachment, (*at, "aggregate_attachment")),
                fixed_costs=read.money(option.get("fixed_costs", 0), (*at, "fixed_costs")),
            )
        )
    members = data.get("members")
    budget = data.get("budget")
    plan = SimulationPlan(
        options=tuple(options),
        members=None if members is None else read.count(members, ("members",), 1),
        years=read.count(data.get("years", 10_000), ("years",), 1),
        seed=read.count(data.get("seed", 0), ("seed",)),
        budget=None if budget is None else read.money(budget, ("budget",)),
        model=ClaimModel(**overrides),
    )
    return (None if read.findings else plan), read.findings
