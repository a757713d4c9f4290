"""Monthly invoice runs: a sponsor of a generated 10,000-member 834 invoiced for a year.

Between runs 1% of the employees are terminated retroactively (two months back), so every run
from March on re-reads the whole history and bills adjustments. Reported: the slowest run (the
last, with the most member-months behind it) and the mean, through the service.
"""

import hashlib
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.databases import temporary_postgres
from bench.generate_834 import write_834
from openaso.adapters.files.fee_contract import load_contract_file
from openaso.adapters.x12.enrolment_834 import read_834
from openaso.bootstrap import database
from openaso.core.dates import add_months
from openaso.core.members import Enrolment
from openaso.services.enrolment import import_enrolment
from openaso.services.invoicing import load_contract, run_invoice, show_invoice

AT = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
JAN = date(2026, 1, 1)
TIERS = "{EE: %s, ES: %s, EC: %s, FAM: %s}"
POLICY = f"""id: bench-sl-2026
sponsor: acme
carrier: summit-re
period: {{start: 2026-01-01, end: 2026-12-31}}
basis: 12/15
covers: [medical]
specific: {{deductible: 100000, premium: {TIERS % (85, 170, 150, 210)}}}
aggregate:
  factors: {TIERS % (450, 900, 800, 1250)}
  premium: {TIERS % (6, 6, 6, 6)}
"""
CONTRACT = f"""effective: 2026-01-01
admin_fee: 30
network_fee: 10
working_rates: {TIERS % (491, 990, 880, 1256)}
stoploss_policy: policy.yaml
"""


def bench_invoices(members: int = 10_000) -> dict[str, Any]:
    measures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="openaso-invoices-") as tmp:
        folder = Path(tmp)
        write_834(folder / "audit.834", members, "ACME", JAN)
        (folder / "policy.yaml").write_text(POLICY)
        (folder / "contract.yaml").write_text(CONTRACT)
        measures += _year(f"sqlite:///{tmp}/invoices.db", "sqlite", folder)
        with temporary_postgres() as url:
            if url:
                measures += _year(url, "postgresql", folder)
    return {
        "name": "fee_invoices",
        "description": f"a year of monthly invoices for a generated {members:,}-member 834,"
        " 1% of employees terminated two months back before each run",
        "measures": measures,
    }


def _year(url: str, label: str, folder: Path) -> list[dict[str, Any]]:
    engine, new_uow = database(url)
    path = folder / "audit.834"
    batches, findings = read_834(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    import_enrolment(new_uow(), batches, findings, str(path), sha, "acme", True, "bench", AT)
    loaded, problems = load_contract_file(folder / "contract.yaml", "acme")
    assert loaded is not None, problems
    load_contract(new_uow(), loaded, "bench", actor="bench", at=AT)
    rng = random.Random(5)
    with new_uow() as uow:
        employees = sorted(uow.invoices.subscribers("acme"))
    seconds: list[float] = []
    cpu: list[float] = []  # this process's time: SQLite's work, not the waits of a busy machine
    adjustments = 0
    for number in range(12):
        month = add_months(JAN, number)
        if number >= 2:
            ended = add_months(month, -2) - timedelta(days=1)
            with new_uow() as uow:
                for member in rng.sample(employees, len(employees) // 100):
                    spans = uow.members.enrolments(member)
                    cut = [
                        Enrolment(s.member_id, s.coverage, s.start, ended, s.tier) for s in spans
                    ]
                    uow.members.replace_enrolments(member, [s for s in cut if s.start <= ended])
                uow.commit()
        started, started_cpu = time.perf_counter(), time.process_time()
        invoice_id, _ = run_invoice(new_uow(), "acme", month, actor="bench", at=AT)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        adjustments += sum(line.adjustment for line in show_invoice(new_uow(), invoice_id).lines)
    engine.dispose()
    assert adjustments > 0
    return [
        {"name": f"{label}_employees", "value": len(employees)},
        {"name": f"{label}_invoice_run_seconds_mean", "value": round(sum(seconds) / 12, 2)},
        {"name": f"{label}_invoice_run_seconds_max", "value": round(max(seconds), 2)},
        {"name": f"{label}_invoice_run_cpu_seconds_max", "value": round(max(cpu), 2)},
        {"name": f"{label}_adjustment_lines_in_the_year", "value": adjustments},
    ]
