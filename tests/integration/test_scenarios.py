"""Every scenario in tests/scenarios passes through the production services, on each database."""

from pathlib import Path

import pytest

from openaso.adapters.files.scenario_document import load_scenario_file
from openaso.bootstrap import database
from openaso.services.scenarios import run_scenario
from tests.conftest import SCENARIOS

FILES = sorted(SCENARIOS.rglob("*.yaml"))
FILES = [f for f in FILES if f.parent.name != "plans"]


def test_there_are_at_least_forty_scenarios() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_scenario_passes(path: Path, database_url: str) -> None:
    scenario, findings = load_scenario_file(path)
    assert scenario is not None, "\n".join(map(str, findings))
    engine, new_uow = database(database_url)
    try:
        outcome = run_scenario(scenario, new_uow)
    finally:
        engine.dispose()
    assert outcome.passed, "\n".join(outcome.mismatches)
