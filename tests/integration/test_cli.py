"""The command line: scenario runs pass, fail with a diff, or refuse a bad file with its line."""

from pathlib import Path

from typer.testing import CliRunner

from openaso.entrypoints.cli import app
from tests.conftest import ROOT, SCENARIOS

FIXTURES = ROOT / "tests" / "fixtures" / "scenarios"


def test_the_public_scenarios_pass() -> None:
    files = sorted(str(p) for p in (SCENARIOS / "public").glob("*.yaml"))
    result = CliRunner().invoke(app, ["scenario", "run", *files])
    assert result.exit_code == 0, result.output
    assert result.output.count("PASS ") == 6
    assert "6 passed, 0 failed" in result.output


def test_a_wrong_expectation_fails_with_every_differing_amount() -> None:
    result = CliRunner().invoke(app, ["scenario", "run", str(FIXTURES / "wrong-amounts.yaml")])
    assert result.exit_code == 1
    assert "FAIL deliberately wrong expectations" in result.output
    assert "C1 line 1: plan_paid got 65.00, expected 70.00" in result.output
    assert "C1 line 1: PR-3 got 30.00, expected 25.00" in result.output
    assert "accumulator E1 acme-ppo-2026 oop_in: got 30.00, expected 25.00" in result.output


def test_an_invalid_scenario_is_refused_with_its_position() -> None:
    path = FIXTURES / "invalid.yaml"
    result = CliRunner().invoke(app, ["scenario", "run", str(path)])
    assert result.exit_code == 1
    assert f"{path}:11: claims[0].lines[0].date:" in result.output


def test_a_missing_scenario_file_is_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["scenario", "run", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "cannot read the file" in result.output


def test_db_upgrade_creates_the_database(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("OPENASO_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.db").exists()


def test_the_trace_names_each_step_the_plan_keys_and_the_accumulators_moved() -> None:
    path = SCENARIOS / "public" / "01-spouse-embedded-deductible.yaml"
    result = CliRunner().invoke(
        app, ["scenario", "run", "--trace", str(path)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "benefits.office_visit.in_network.copay" in result.output
    assert "cost_share.in_network.deductible" in result.output
    assert "member E1-02 deductible_in: 1200.00 → 1500.00" in result.output
    assert "family F1 oop_in: 3430.00 → 3490.00" in result.output
