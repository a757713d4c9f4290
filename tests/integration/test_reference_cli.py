"""Reference data through the command line: plan versions, fee schedule versions, providers."""

from pathlib import Path

from typer.testing import CliRunner

from openaso.bootstrap import database
from openaso.core.npi import npi_problem
from openaso.entrypoints.cli import app
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def _env(tmp_path: Path) -> dict[str, str]:
    return {"OPENASO_DATABASE_URL": f"sqlite:///{tmp_path}/ref.db", "OPENASO_USER": "ops"}


def test_a_plan_reloaded_unchanged_keeps_its_version_and_a_changed_one_gets_a_new_one(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    plan = EXAMPLES / "acme-ppo-2026.yaml"
    assert (
        "version 1 in force" in CliRunner().invoke(app, ["plan", "load", str(plan)], env=env).output
    )
    assert (
        "version 1 in force" in CliRunner().invoke(app, ["plan", "load", str(plan)], env=env).output
    )
    changed = tmp_path / "acme-ppo-2026.yaml"
    changed.write_text(
        plan.read_text().replace("timely_filing_days: 365", "timely_filing_days: 180")
    )
    assert (
        "version 2 in force"
        in CliRunner().invoke(app, ["plan", "load", str(changed)], env=env).output
    )
    _, new_uow = database(env["OPENASO_DATABASE_URL"])
    with new_uow() as uow:
        plans = uow.plans.all()
    assert plans["acme-ppo-2026"].timely_filing_days == 180  # type: ignore[union-attr]


def test_a_bad_plan_is_not_loaded(tmp_path: Path) -> None:
    bad = ROOT / "tests" / "fixtures" / "plans" / "bad" / "oop-below-deductible.yaml"
    result = CliRunner().invoke(app, ["plan", "load", str(bad)], env=_env(tmp_path))
    assert result.exit_code == 1
    assert "oop_max.individual" in result.output


def test_fee_schedule_versions_apply_from_their_effective_date(tmp_path: Path) -> None:
    from datetime import date

    env = _env(tmp_path)
    later = tmp_path / "fees-july.csv"
    later.write_text("code,amount\n99213,99.00\n")
    runner = CliRunner()
    assert (
        runner.invoke(
            app,
            ["fees", "load", str(EXAMPLES / "fees-2026.csv"), "--effective", "2026-01-01"],
            env=env,
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            app, ["fees", "load", str(later), "--effective", "2026-07-01"], env=env
        ).exit_code
        == 0
    )
    _, new_uow = database(env["OPENASO_DATABASE_URL"])
    with new_uow() as uow:
        schedule = uow.fees.schedule()
    assert schedule.amount("99213", date(2026, 6, 30)) == 9_500
    assert schedule.amount("99213", date(2026, 7, 1)) == 9_900
    assert schedule.amount("99396", date(2026, 7, 1)) is None  # a version is a whole schedule
    assert schedule.amount("99213", date(2025, 12, 31)) is None


def test_a_bad_fee_row_loads_nothing_and_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "fees.csv"
    bad.write_text("code,amount\n99213,95.00\n99214,12.345\n")
    result = CliRunner().invoke(
        app, ["fees", "load", str(bad), "--effective", "2026-01-01"], env=_env(tmp_path)
    )
    assert result.exit_code == 1
    assert f"{bad}:3: amount: expected at most two decimals" in result.output


def test_providers_are_loaded_and_bad_npis_are_refused_with_their_line(tmp_path: Path) -> None:
    providers = tmp_path / "providers.csv"
    providers.write_text(
        "npi,tin,name,network\n1234567893,123456789,Main Street Clinic,in\n"
        "1234567890,987654321,Typo Medical,in\n1457398729,,Lake Dental,sideways\n"
    )
    result = CliRunner().invoke(app, ["providers", "load", str(providers)], env=_env(tmp_path))
    assert result.exit_code == 1
    assert f"{providers}:3: 1234567890 fails the check digit (expected 3)" in result.output
    assert f"{providers}:4: network: expected in or out, got 'sideways'" in result.output
    assert "1 providers added or changed; 2 rows skipped" in result.output


def test_the_npi_check_digit_follows_the_luhn_rule_with_prefix_80840() -> None:
    assert npi_problem("1234567893") is None
    assert npi_problem("1457398729") is None
    assert npi_problem("123456789") == "expected ten digits, got '123456789'"
    assert (
        npi_problem("3234567893") == "3234567893 does not start with 1 (person) or 2 (organisation)"
    )
