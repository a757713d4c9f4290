"""Read a sponsor's fee contract (YAML): admin and network fees PEPM, working rates, stop-loss.

`load_contract_file(path, sponsor)` returns the terms and the texts to store, or every problem
as `file:line: key: message` (docs/fees.md). The stop-loss premiums come from the policy
document the contract names (`stoploss_policy`, relative to the contract file).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openaso.adapters.files.stoploss_document import load_stoploss
from openaso.adapters.files.yaml_source import Finding, YamlDocument, YamlError, parse_yaml
from openaso.core.invoicing import TIERS, FeeTerms
from openaso.core.members import TierCode
from openaso.core.money import Cents, parse_amount
from openaso.core.stoploss.policy import StopLossPolicy

KEYS = {"effective", "coverage", "admin_fee", "network_fee", "working_rates", "stoploss_policy"}
COVERAGES = ("medical", "dental", "rx", "std")
RATES_EXPECTED = (
    "expected dollars PEPM: one amount for every tier (30.00), or by tier ({EE: 30, FAM: 45})"
    f" with tiers among {', '.join(TIERS)}"
)


@dataclass(frozen=True, slots=True)
class LoadedContract:
    terms: FeeTerms
    document: str  # the contract as written
    policy_document: str | None  # the stop-loss policy as written
    policy_origin: str | None


def load_contract_file(path: Path, sponsor: str) -> tuple[LoadedContract | None, list[Finding]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Finding(str(path), None, "", f"cannot read the file: {exc}")]
    policy_text, policy_origin = None, None
    try:
        document = parse_yaml(text, str(path))
    except YamlError as exc:
        return None, [exc.finding]
    data: Any = document.data
    if isinstance(data, dict) and isinstance(data.get("stoploss_policy"), str):
        policy_path = path.parent / data["stoploss_policy"]
        policy_origin = str(policy_path)
        try:
            policy_text = policy_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            where = document.finding(("stoploss_policy",), f"cannot read {policy_path}: {exc}")
            return None, [where]
    terms, findings = read_contract(document, sponsor, policy_text, policy_origin)
    if terms is None:
        return None, findings
    return LoadedContract(terms, text, policy_text, policy_origin), []


def read_contract(
    document: YamlDocument, sponsor: str, policy_text: str | None, policy_origin: str | None
) -> tuple[FeeTerms | None, list[Finding]]:
    """The terms from a parsed contract and the text of the policy it names (if it names one)."""
    data: Any = document.data
    if not isinstance(data, dict):
        return None, [document.finding((), "expected a fee contract (a mapping of keys)")]
    findings = [
        document.finding((key,), f"unknown key (the keys are {', '.join(sorted(KEYS))})")
        for key in data
        if key not in KEYS
    ]
    for key in ("effective", "admin_fee", "working_rates"):
        if key not in data:
            findings.append(document.finding((key,), "required key is missing"))
    effective = data.get("effective")
    if "effective" in data and (not isinstance(effective, date) or effective.day != 1):
        message = f"expected the first day of a month (2026-01-01), got {effective!r}"
        findings.append(document.finding(("effective",), message))
    coverage = data.get("coverage", "medical")
    if coverage not in COVERAGES:
        expected = f"expected one of {', '.join(COVERAGES)}, got {coverage!r}"
        findings.append(document.finding(("coverage",), expected))
    rates: dict[str, dict[TierCode, Cents]] = {}
    for key in ("admin_fee", "network_fee", "working_rates"):
        if key in data:
            rates[key] = _rates(document, key, data[key], findings)
    policy = _policy(document, sponsor, policy_text, policy_origin, findings)
    if findings or not isinstance(effective, date):
        return None, findings
    terms = FeeTerms(
        sponsor=sponsor,
        effective=effective,
        coverage=coverage,
        admin=rates["admin_fee"],
        network=rates.get("network_fee", {}),
        working=rates["working_rates"],
        stoploss=policy,
    )
    return terms, []


def _rates(
    document: YamlDocument, key: str, value: Any, findings: list[Finding]
) -> dict[TierCode, Cents]:
    if isinstance(value, dict):
        result: dict[TierCode, Cents] = {}
        for tier, amount in value.items():
            if tier not in TIERS:
                findings.append(document.finding((key, tier), RATES_EXPECTED))
                continue
            cents = _amount(document, (key, tier), amount, findings)
            if cents is not None:
                result[tier] = cents
        if not value:
            findings.append(document.finding((key,), RATES_EXPECTED))
        return result
    cents = _amount(document, (key,), value, findings)
    return {} if cents is None else dict.fromkeys(TIERS, cents)


def _amount(
    document: YamlDocument, path: tuple[str, ...], value: Any, findings: list[Finding]
) -> Cents | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        findings.append(document.finding(path, RATES_EXPECTED))
        return None
    try:
        cents = parse_amount(str(value))
    except ValueError as exc:
        findings.append(document.finding(path, str(exc)))
        return None
    if cents < 0:
        findings.append(document.finding(path, f"expected an amount of 0 or more, got {value!r}"))
        return None
    return cents


def _policy(
    document: YamlDocument,
    sponsor: str,
    text: str | None,
    origin: str | None,
    findings: list[Finding],
) -> StopLossPolicy | None:
    if "stoploss_policy" not in document.data:
        return None
    if text is None or origin is None:
        message = "expected the path of a stop-loss policy document, relative to this file"
        findings.append(document.finding(("stoploss_policy",), message))
        return None
    try:
        policy_document = parse_yaml(text, origin)
    except YamlError as exc:
        findings.append(exc.finding)
        return None
    policy, problems = load_stoploss(policy_document)
    findings.extend(problems)
    if policy is not None and policy.sponsor != sponsor:
        message = f"the stop-loss policy {policy.id} is sponsor {policy.sponsor}'s, not {sponsor}'s"
        findings.append(document.finding(("stoploss_policy",), message))
    return policy
