"""Read a stop-loss policy document: schema check, policy rules, then the core's frozen policy.

`load_stoploss_file(path)` returns `(policy, [])` or `(None, findings)`; each finding prints as
`file:line: key.path: message`, like the plan check.
"""

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from openaso.adapters.files.stoploss_schema import (
    AggregateDoc,
    SpecificDoc,
    StopLossPolicyDoc,
)
from openaso.adapters.files.yaml_source import Finding, Path_, YamlDocument, YamlError, read_yaml
from openaso.core.dates import ONE_DAY
from openaso.core.stoploss import (
    AggregateCover,
    ContractBasis,
    Laser,
    MinimumAttachment,
    PolicyPeriod,
    SpecificCover,
    StopLossPolicy,
    normalise_diagnosis,
)

Problem = tuple[Path_, str]
# a letter, a digit, then up to five letters or digits; the dot, if written, after the third
_ICD10_PREFIX = re.compile(r"^[A-Z](\d([0-9A-Z](\.?[0-9A-Z]{1,4})?)?)?$")
_UNKNOWN_KEY = "unknown key (see docs/stoploss-policy.md for the keys a stop-loss policy takes)"


def load_stoploss_file(path: Path) -> tuple[StopLossPolicy | None, list[Finding]]:
    try:
        document = read_yaml(path)
    except YamlError as exc:
        return None, [exc.finding]
    return load_stoploss(document)


def load_stoploss(
    document: YamlDocument, base: Path_ = ()
) -> tuple[StopLossPolicy | None, list[Finding]]:
    """A policy from parsed YAML (at key path `base` inside it): the policy, or every problem."""
    data: Any = document.data
    for part in base:
        data = data[part]
    if not isinstance(data, dict):
        return None, [document.finding(base, "expected a stop-loss policy (a mapping of keys)")]
    try:
        doc = StopLossPolicyDoc.model_validate(data)
    except ValidationError as exc:
        return None, _findings(exc, document, base)
    problems = [document.finding((*base, *path), message) for path, message in check(doc)]
    if problems:
        return None, problems
    return to_policy(doc), []


def _findings(error: ValidationError, document: YamlDocument, base: Path_) -> list[Finding]:
    findings: list[Finding] = []
    for item in error.errors():
        # pydantic labels validators and dict keys in locations (`function-before[...]`, `[key]`)
        loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and "[" in part))
        kind, text = item["type"], item["msg"]
        if kind == "missing":
            message = "required key is missing"
        elif kind == "extra_forbidden":
            message = _UNKNOWN_KEY
        else:
            text = text.removeprefix("Value error, ")
            message = text[0].lower() + text[1:]
        finding = document.finding((*base, *loc), message)
        if finding not in findings:
            findings.append(finding)
    return findings


def check(doc: StopLossPolicyDoc) -> list[Problem]:
    """Rules the schema cannot say, as (key path, what was expected)."""
    problems: list[Problem] = []
    start, end = doc.period.start, doc.period.end
    if end < start:
        problems.append((("period", "end"), "the policy period ends before it starts"))
    if start.day != 1:
        problems.append((("period", "start"), "a policy period starts on the first of a month"))
    if (end + ONE_DAY).day != 1:
        problems.append((("period", "end"), "a policy period ends on the last day of a month"))
    if doc.specific is None and doc.aggregate is None:
        problems.append((("specific",), "a policy needs specific or aggregate cover, or both"))
    if doc.specific is not None:
        problems += _check_specific(doc.specific)
    if doc.aggregate is not None:
        problems += _check_aggregate(doc.aggregate)
    problems += _check_tiers(doc)
    return problems


def _check_specific(doc: SpecificDoc) -> list[Problem]:
    problems: list[Problem] = []
    lasered: dict[str, int] = {}
    for index, laser in enumerate(doc.lasers):
        where: Path_ = ("specific", "lasers", index)
        if (laser.deductible is None) != laser.excluded:
            problems.append((where, "a laser gives either a deductible or excluded: true"))
        elif laser.deductible is not None and laser.deductible <= doc.deductible:
            problems.append(
                (
                    (*where, "deductible"),
                    f"laser deductible {_usd(laser.deductible)} is not above the specific"
                    f" deductible {_usd(doc.deductible)}",
                )
            )
        if laser.member in lasered:
            problems.append(
                (
                    (*where, "member"),
                    f"member {laser.member!r} is already lasered by"
                    f" specific.lasers[{lasered[laser.member]}]",
                )
            )
        lasered.setdefault(laser.member, index)
    for index, prefix in enumerate(doc.trigger_diagnoses):
        if not _ICD10_PREFIX.match(prefix.upper()):
            problems.append(
                (
                    ("specific", "trigger_diagnoses", index),
                    f"{prefix!r} is not an ICD-10 prefix (a letter, then digits and letters;"
                    " a dot only after the third character)",
                )
            )
    return problems


def _check_aggregate(doc: AggregateDoc) -> list[Problem]:
    floor = doc.minimum_attachment
    if floor is not None and floor.percent_of_first_month is None and floor.amount is None:
        return [
            (
                ("aggregate", "minimum_attachment"),
                "give percent_of_first_month, amount, or both",
            )
        ]
    return []


def _check_tiers(doc: StopLossPolicyDoc) -> list[Problem]:
    """Every rate table names the same tiers: enrolment by tier prices all of them."""
    tables: list[tuple[Path_, list[str]]] = []
    if doc.specific is not None:
        tables.append((("specific", "premium"), list(doc.specific.premium)))
    if doc.aggregate is not None:
        tables.append((("aggregate", "factors"), list(doc.aggregate.factors)))
        tables.append((("aggregate", "premium"), list(doc.aggregate.premium)))
    problems: list[Problem] = []
    (first, tiers), *others = tables or [((), [])]
    for path, names in others:
        if set(names) != set(tiers):
            problems.append(
                (
                    path,
                    f"names tiers {', '.join(names)} but {'.'.join(map(str, first))} names"
                    f" {', '.join(tiers)}; every rate table of a policy uses the same tiers",
                )
            )
    return problems


def _usd(cents: int) -> str:
    whole, part = divmod(cents, 100)
    return f"${whole:,}" if part == 0 else f"${whole:,}.{part:02d}"


def to_policy(doc: StopLossPolicyDoc) -> StopLossPolicy:
    """The core's policy from a document that passed `check`."""
    specific = None
    if doc.specific is not None:
        s = doc.specific
        specific = SpecificCover(
            deductible=s.deductible,
            aggregating_deductible=s.aggregating_deductible,
            lasers=tuple(Laser(laser.member, laser.deductible) for laser in s.lasers),
            notice_percent=s.notice_percent,
            trigger_diagnoses=tuple(normalise_diagnosis(p) for p in s.trigger_diagnoses),
            premium=dict(s.premium),
        )
    aggregate = None
    if doc.aggregate is not None:
        a = doc.aggregate
        floor = a.minimum_attachment
        aggregate = AggregateCover(
            factors=dict(a.factors),
            minimum_attachment=(
                None
                if floor is None
                else MinimumAttachment(floor.percent_of_first_month, floor.amount)
            ),
            maximum=a.maximum,
            premium=dict(a.premium),
            accommodation=a.accommodation,
            laser_retention_counts=a.laser_retention_counts,
            asd_retention_counts=a.asd_retention_counts,
        )
    return StopLossPolicy(
        id=doc.id,
        sponsor=doc.sponsor,
        carrier=doc.carrier,
        period=PolicyPeriod(doc.period.start, doc.period.end),
        basis=ContractBasis.parse(doc.basis),
        covers=frozenset(doc.covers),
        specific=specific,
        aggregate=aggregate,
        plans=tuple(doc.plans),
        terminal_liability=doc.terminal_liability,
        policy_number=doc.policy_number,
    )
