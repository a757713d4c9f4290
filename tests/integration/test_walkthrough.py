"""The README's walk-through, command by command, on a fresh database."""

from pathlib import Path

from typer.testing import CliRunner

from openaso.entrypoints.cli import app
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_the_readme_walkthrough_runs(tmp_path: Path) -> None:
    env = {
        "OPENASO_DATABASE_URL": f"sqlite:///{tmp_path}/walk.db",
        "OPENASO_USER": "ops",
        "COLUMNS": "200",
    }

    def run(*args: str) -> str:
        result = CliRunner().invoke(app, list(args), env=env)
        assert result.exit_code == 0, f"{args}: {result.output}"
        return result.output

    readme = (ROOT / "README.md").read_text()
    run("plan", "load", str(EXAMPLES / "acme-ppo-2026.yaml"))
    run("fees", "load", str(EXAMPLES / "fees-2026.csv"), "--effective", "2026-01-01")
    enrolled = run(
        "enroll", str(EXAMPLES / "census-2026.csv"), "--sponsor", "acme", "--as-of", "2026-01-01"
    )
    assert "4 added" in enrolled
    assert "3 claims received" in run("claims", "receive", str(EXAMPLES / "claims-march.yaml"))
    assert "2 approved, 1 pended" in run("claims", "adjudicate")
    assert "CL-1002" in run("claims", "pend-queue")
    approved = run(
        "claims",
        "approve",
        "CL-1002",
        "--line",
        "1",
        "--allowed",
        "600.00",
        "--reason",
        "priced from the invoice",
    )
    assert "approved" in approved
    shown = run("claims", "show", "CL-1003", "--trace")
    # CL-1002 now comes first: the spouse's 600.00 MRI takes 600 of the family deductible,
    # so the subscriber's knee scope (allowed 5,000) pays deductible 1,500 and 20% of 3,500.
    assert "PR-1 1500.00" in shown
    assert "PR-2 700.00" in shown
    assert "family A100 deductible_in: 600.00 → 2100.00" in shown
    members = run("members", "show", "A100")
    assert "deductible_in" in members
    for command in (
        "plan load",
        "fees load",
        "enroll",
        "claims receive",
        "claims adjudicate",
        "claims pend-queue",
        "claims approve",
        "claims show",
        "members show",
    ):
        assert f"openaso {command}" in readme, f"the README does not show `openaso {command}`"
