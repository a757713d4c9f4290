"""Stop-loss on stored paid claims: reading a year of payments, the status, filing, the report.

A generated book (bench/generate.py) is adjudicated and paid in one payment run; then the
stop-loss reads are timed: the paid-claim facts in bulk (one query for payments, one for
diagnoses), the claimant status, a filing run, and the monthly aggregate report. The policy is
tests/fixtures/stoploss/good/acme-sl-2026.yaml with a $5,000 specific deductible (so many
claimants file) and rates for all four tiers.
"""

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.engine import PLAN
from bench.generate import generate
from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.stoploss_document import load_stoploss
from openaso.adapters.files.yaml_source import read_yaml
from openaso.bootstrap import database
from openaso.core.members import Enrolment
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.payments import pay_run, set_claims_float
from openaso.services.ports import UnitOfWork
from openaso.services.setup import enrol, load_fee_schedule, load_plans
from openaso.services.stoploss import load_policy, paid_claims, policy_for, status
from openaso.services.stoploss_filings import file_specific, monthly_report

AT = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
POLICY = (
    Path(__file__).parents[1] / "tests" / "fixtures" / "stoploss" / "good" / "acme-sl-2026.yaml"
)


def bench_stoploss(claims: int = 20_000, families: int = 1_000) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="openaso-bench-") as tmp:
        measures = _run(f"sqlite:///{tmp}/bench.db", claims, families, Path(tmp))
    return {
        "name": "stoploss",
        "description": f"{claims:,} paid medical claims of {families:,} families on SQLite:"
        " paid in one run, read as stop-loss facts, status, a filing run,"
        " the monthly aggregate report",
        "measures": measures,
    }


def _prepared(new_uow: Callable[[], UnitOfWork], claims: int, families: int) -> str:
    """The generated book received and adjudicated; returns its sponsor."""
    document = read_yaml(PLAN)
    plan, _ = load_plan(document)
    assert plan is not None
    book = generate(families, claims * 2, plan.id)
    load_plans(new_uow(), [(plan, document.data, str(PLAN))], "bench", AT)
    load_fee_schedule(new_uow(), book.fees, date(2026, 1, 1), "bench", AT)
    members = list(book.members.values())
    spans: list[Enrolment] = [span for m in members for span in book.enrolments[m.id]]
    enrol(
        new_uow(),
        [m.__class__(m.id, m.family_id, m.relationship, m.tier, plan.sponsor) for m in members],
        spans,
    )
    batch = book.claims[:claims]
    for start in range(0, len(batch), 10_000):
        receive_claims(new_uow(), batch[start : start + 10_000])
    adjudicate_waiting(new_uow, batch=200)
    return plan.sponsor


def _run(url: str, claims: int, families: int, tmp: Path) -> list[dict[str, Any]]:
    engine, new_uow = database(url)
    sponsor = _prepared(new_uow, claims, families)
    set_claims_float(new_uow(), sponsor, 10**12, date(2026, 12, 31))
    started = time.perf_counter()
    run = pay_run(new_uow(), sponsor, date(2026, 12, 31), actor="bench", at=AT)
    paying = time.perf_counter() - started
    text = POLICY.read_text().replace("sponsor: acme", f"sponsor: {sponsor}")
    text = text.replace("deductible: 100000", "deductible: 5000", 1).replace("plans: [", "# [")
    for rates in ("{EE: 85, FAM: 210}", "{EE: 450, FAM: 1250}", "{EE: 6, FAM: 6}"):
        ee, fam = rates.strip("{}").split(", ")
        text = text.replace(rates, f"{{{ee}, ES: 1, EC: 1, {fam}}}")
    source = tmp / "policy.yaml"
    source.write_text(text)
    document = read_yaml(source)
    policy, findings = load_stoploss(document)
    assert policy is not None, findings
    load_policy(new_uow(), policy, document.data, str(source), sponsor=sponsor, actor="b", at=AT)
    day = date(2026, 12, 31)

    started = time.perf_counter()
    with new_uow() as uow:
        facts = paid_claims(uow, policy_for(uow, sponsor, day))
    read = time.perf_counter() - started
    started = time.perf_counter()
    claimants = len(status(new_uow(), sponsor, day).claimants)
    shown = time.perf_counter() - started
    started = time.perf_counter()
    filed = file_specific(new_uow(), sponsor, day, filed_on=day, actor="bench", at=AT)
    filing = time.perf_counter() - started
    started = time.perf_counter()
    monthly_report(new_uow(), sponsor, date(2026, 12, 1))
    report = time.perf_counter() - started
    engine.dispose()
    return [
        {"name": "payment_run_claims_per_second", "value": round(run.claims / paying),
         "claims": run.claims},
        {"name": "paid_claim_facts", "value": len(facts)},
        {"name": "paid_claim_facts_read_per_second", "value": round(len(facts) / read)},
        {"name": "status_seconds", "value": round(shown, 3), "lower_is_better": True,
         "claimants": claimants},
        {"name": "filing_run_seconds", "value": round(filing, 3), "lower_is_better": True},
        {"name": "filings", "value": len(filed)},
        {"name": "monthly_report_seconds", "value": round(report, 3), "lower_is_better": True},
    ]  # fmt: skip
