"""`openaso plan check` names the key of every problem in the bad plan fixtures."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from openaso.adapters.files.plan_document import load_plan_file
from openaso.entrypoints.cli import app

ROOT = Path(__file__).resolve().parents[2]
BAD = sorted((ROOT / "tests" / "fixtures" / "plans" / "bad").glob("*.yaml"))
GOOD = sorted((ROOT / "tests" / "scenarios").rglob("plans/*.yaml"))


def _expected(path: Path) -> str:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must say what it expects on line 1"
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_each_bad_plan_is_rejected_with_its_key_and_line(path: Path) -> None:
    plan, findings = load_plan_file(path)
    assert plan is None
    messages = [str(f) for f in findings]
    assert any(_expected(path) in m for m in messages), messages
    assert all(m.startswith(f"{path}:") for m in messages)
    assert all(f.line is not None for f in findings)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_plan_check_exits_non_zero_and_prints_the_problem(path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", "check", str(path)])
    assert result.exit_code == 1
    assert _expected(path) in result.output


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_the_scenario_plans_pass_the_check(path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", "check", str(path)])
    assert result.exit_code == 0, result.output


def test_the_schema_is_published_as_json_schema() -> None:
    import json

    result = CliRunner().invoke(app, ["plan", "schema"])
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "MedicalPlanDoc" in schema["$defs"]
