"""Every analytics report renders as CSV and an SVG chart; assumption files say where they are
wrong."""

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from openaso.adapters.files.analytics_document import load_rate_assumptions, load_simulation_plan
from openaso.entrypoints.cli import app
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "analytics"
SVG = "{http://www.w3.org/2000/svg}"


def _titles(svg: Path) -> list[str]:
    root = ET.parse(svg).getroot()
    return [t.text or "" for t in root.iter(f"{SVG}title")]


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_rates_write_the_worked_example_to_csv_and_a_chart(tmp_path: Path) -> None:
    out, chart = tmp_path / "rates.csv", tmp_path / "rates.svg"
    args = ["report", "rates", "--assumptions", str(EXAMPLES / "rates-worked-example.yaml")]
    result = CliRunner().invoke(app, [*args, "--csv", str(out), "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert rows[1][0] == "EE"
    assert rows[1][-3:] == ["491.00", "500.82", "736.50"]
    assert rows[2][-3:] == ["1256.00", "1281.12", "1884.00"]
    assert "EE · expected claims: $360" in _titles(chart)


def test_compare_writes_expected_maximum_and_insured_cost(tmp_path: Path) -> None:
    out, chart = tmp_path / "compare.csv", tmp_path / "compare.svg"
    args = ["report", "compare", "--assumptions", str(EXAMPLES / "rates-worked-example.yaml")]
    result = CliRunner().invoke(app, [*args, "--csv", str(out), "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    table = {row[0]: row[1:] for row in _rows(out)}
    assert table["expected cost"] == ["1912800.00", "1998315.79"]
    assert table["maximum cost"][0] == "2282400.00"
    assert len(_titles(chart)) > 3


def test_simulate_writes_one_row_per_option_and_a_distribution_chart(tmp_path: Path) -> None:
    options = tmp_path / "options.yaml"
    text = (EXAMPLES / "simulation-options.yaml").read_text().replace("years: 20000", "years: 500")
    options.write_text(text)
    out, chart = tmp_path / "sim.csv", tmp_path / "sim.svg"
    result = CliRunner().invoke(
        app, ["simulate", str(options), "--csv", str(out), "--chart", str(chart)]
    )
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert [r[0] for r in rows[1:]] == [
        "no stop-loss",
        "$100k specific",
        "$150k specific + 125% aggregate",
        "$100k specific, $250k laser, $50k ASD",
    ]
    assert any("of years" in title for title in _titles(chart))


def test_a_bad_amount_in_the_assumptions_is_reported_with_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "rates.yaml"
    path.write_text("employees: {EE: 10}\ntiers:\n  EE: {expected_claims: lots, admin: 40}\n")
    assumptions, findings = load_rate_assumptions(path)
    assert assumptions is None
    assert [str(f) for f in findings] == [
        f"{path}:3: tiers.EE.expected_claims: expected an amount in dollars like 1250.00,"
        " got 'lots'"
    ]


def test_simulation_options_need_a_list_of_options_and_known_model_fields(tmp_path: Path) -> None:
    path = tmp_path / "sim.yaml"
    path.write_text("members: 10\nmodel: {severity: 3}\n")
    plan, findings = load_simulation_plan(path)
    assert plan is None
    assert [f.key for f in findings] == ["model.severity", "options"]


def test_the_example_options_read_as_four_options_in_cents() -> None:
    plan, findings = load_simulation_plan(EXAMPLES / "simulation-options.yaml")
    assert findings == []
    assert plan is not None
    laser = plan.options[3]
    assert (laser.specific_deductible, laser.asd, laser.lasers[0].deductible) == (
        100_000_00,
        50_000_00,
        250_000_00,
    )
    assert plan.options[2].aggregate_corridor == 1.25
