"""The fee contract file: every problem with its line, the stop-loss policy it names, rates."""

from pathlib import Path

from openaso.adapters.files.fee_contract import load_contract_file
from tests.conftest import ROOT

FEES = ROOT / "tests" / "fixtures" / "fees"


def test_the_domain_contract_loads_with_its_rates_and_the_policy_premiums() -> None:
    loaded, findings = load_contract_file(FEES / "acme-fees-2026.yaml", "acme")
    assert findings == []
    assert loaded is not None
    terms = loaded.terms
    assert dict(terms.admin) == {"EE": 3_000, "ES": 3_000, "EC": 3_000, "FAM": 3_000}
    assert terms.network["FAM"] == 1_000
    assert dict(terms.working) == {"EE": 49_100, "FAM": 125_600}
    assert terms.stoploss is not None
    assert terms.stoploss.carrier == "summit-re"
    assert loaded.policy_document is not None
    assert "acme-sl-2026" in loaded.policy_document


def test_every_mistake_is_reported_with_its_line_and_what_was_expected() -> None:
    path = FEES / "bad" / "mistakes.yaml"
    loaded, findings = load_contract_file(path, "acme")
    assert loaded is None
    text = [str(f) for f in findings]
    assert f"{path}:2: effective: expected the first day of a month (2026-01-01), got" in text[1]
    expected = {
        f"{path}:7: discount: unknown key",
        f"{path}:3: coverage: expected one of medical, dental, rx, std, got 'vision'",
        f"{path}:4: admin_fee.EE: expected at most two decimals",
        f"{path}:4: admin_fee.XX: expected dollars PEPM",
        f"{path}:5: network_fee: expected an amount of 0 or more, got -10",
        f"{path}:6: working_rates: expected dollars PEPM",
    }
    for start in expected:
        assert any(line.startswith(start) for line in text), (start, text)
    assert len(findings) == len(expected) + 1


def test_a_policy_of_another_sponsor_is_refused() -> None:
    path = FEES / "bad" / "other-sponsor.yaml"
    loaded, findings = load_contract_file(path, "globex")
    assert loaded is None
    assert [str(f) for f in findings] == [
        f"{path}:4: stoploss_policy: the stop-loss policy acme-sl-2026 is sponsor acme's,"
        " not globex's"
    ]


def test_a_policy_file_that_cannot_be_read_is_reported_at_the_key() -> None:
    path = FEES / "bad" / "missing-policy.yaml"
    loaded, findings = load_contract_file(path, "acme")
    assert loaded is None
    assert len(findings) == 1
    assert str(findings[0]).startswith(f"{path}:4: stoploss_policy: cannot read")


def test_a_problem_in_the_policy_is_reported_in_the_policy_file(tmp_path: Path) -> None:
    policy = (FEES / "acme-sl-2026.yaml").read_text().replace("basis: 12/15", "basis: 11/15")
    (tmp_path / "sl.yaml").write_text(policy)
    (tmp_path / "c.yaml").write_text(
        "effective: 2026-01-01\nadmin_fee: 30\nworking_rates: 491\nstoploss_policy: sl.yaml\n"
    )
    loaded, findings = load_contract_file(tmp_path / "c.yaml", "acme")
    assert loaded is None
    assert [f.origin for f in findings] == [str(tmp_path / "sl.yaml")]
    assert findings[0].key == "basis"
