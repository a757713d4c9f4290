"""The stop-loss policy document: bad fixtures name their key and line; the docs stay true."""

import re
import typing
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel

from openaso.adapters.files.stoploss_document import load_stoploss, load_stoploss_file
from openaso.adapters.files.stoploss_schema import StopLossPolicyDoc, stoploss_json_schema
from openaso.adapters.files.yaml_source import parse_yaml
from openaso.core.stoploss import ContractBasis, Laser, MinimumAttachment

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "stoploss"
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))
GOOD = sorted((FIXTURES / "good").glob("*.yaml"))
DOC = ROOT / "docs" / "stoploss-policy.md"


def _expected(path: Path) -> str:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must say what it expects on line 1"
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_each_bad_policy_is_rejected_with_its_key_and_line(path: Path) -> None:
    policy, findings = load_stoploss_file(path)
    assert policy is None
    messages = [str(f) for f in findings]
    assert any(_expected(path) in m for m in messages), messages
    assert all(m.startswith(f"{path}:") for m in messages)
    assert all(f.line is not None for f in findings)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_the_good_policies_pass_the_check(path: Path) -> None:
    policy, findings = load_stoploss_file(path)
    assert findings == []
    assert policy is not None


def test_the_policy_document_becomes_cents_basis_points_and_windows() -> None:
    policy, _ = load_stoploss_file(FIXTURES / "good" / "acme-sl-2026.yaml")
    assert policy is not None
    assert policy.basis == ContractBasis(0, 3)
    assert policy.covers == {"medical", "rx"}
    incurred, paid = policy.windows()
    assert (incurred.first, incurred.last) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (paid.first, paid.last) == (date(2026, 1, 1), date(2027, 3, 31))
    specific = policy.specific
    assert specific is not None
    assert specific.deductible == 10_000_000
    assert specific.aggregating_deductible == 5_000_000
    assert specific.lasers == (Laser("L1", 25_000_000), Laser("X1", None))
    assert specific.deductible_for("L1") == 25_000_000
    assert specific.deductible_for("X1") is None
    assert specific.deductible_for("anyone") == 10_000_000
    assert specific.notice_percent == 5_000
    assert "N186" in specific.trigger_diagnoses  # compared without the dot
    assert dict(specific.premium) == {"EE": 8_500, "FAM": 21_000}
    aggregate = policy.aggregate
    assert aggregate is not None
    assert dict(aggregate.factors) == {"EE": 45_000, "FAM": 125_000}
    assert aggregate.minimum_attachment == MinimumAttachment(percent_of_first_month=9_500)
    assert aggregate.maximum == 100_000_000
    assert aggregate.accommodation
    assert policy.terminal_liability


def test_a_minimal_policy_takes_the_defaults() -> None:
    text = """
id: tiny-sl
sponsor: acme
carrier: summit-re
period: {start: 2026-07-01, end: 2027-06-30}
basis: paid
covers: [medical]
specific: {deductible: 50000, premium: {EE: 40}}
"""
    policy, findings = load_stoploss(parse_yaml(text, "tiny.yaml"))
    assert findings == []
    assert policy is not None
    assert policy.aggregate is None
    assert policy.specific is not None
    assert policy.specific.notice_percent == 5_000
    assert policy.specific.aggregating_deductible == 0
    assert len(policy.period.months) == 12
    assert str(policy.basis) == "paid"


def _doc_example() -> str:
    match = re.search(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    assert match is not None
    return match[1]


def test_the_documented_example_is_a_valid_policy_equal_to_the_fixture() -> None:
    documented, findings = load_stoploss(parse_yaml(_doc_example(), str(DOC)))
    assert findings == []
    fixture, _ = load_stoploss_file(FIXTURES / "good" / "acme-sl-2026.yaml")
    assert documented == fixture


def _keys(model: type[BaseModel]) -> set[str]:
    found: set[str] = set()
    for name, field in model.model_fields.items():
        found.add(name)
        for part in typing.get_args(field.annotation) or (field.annotation,):
            inner = typing.get_args(part) or (part,)
            for kind in inner:
                if isinstance(kind, type) and issubclass(kind, BaseModel):
                    found |= _keys(kind)
    return found


def test_every_key_of_the_schema_is_documented() -> None:
    text = DOC.read_text()
    missing = sorted(k for k in _keys(StopLossPolicyDoc) if not re.search(f"`{k}[`:]", text))
    assert missing == []


def test_the_schema_is_published_as_json_schema() -> None:
    schema = stoploss_json_schema()
    assert str(schema["$schema"]).startswith("https://json-schema.org/")
    assert "SpecificDoc" in typing.cast(dict[str, object], schema["$defs"])
