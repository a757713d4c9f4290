"""Engine throughput: medical claim lines per second, one core, in memory (issue: >= 50,000)."""

import gc
import time
from pathlib import Path
from typing import Any

from bench.generate import generate
from openaso.adapters.files.plan_document import load_plan_file
from openaso.core.accumulators import AccumulatorKey
from openaso.core.adjudication import Adjudicator
from openaso.core.claims import DuplicateKey, duplicate_key
from openaso.core.plan import MedicalPlan

PLAN = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "scenarios"
    / "public"
    / "plans"
    / "acme-ppo-2026.yaml"
)
TARGET_LINES_PER_SECOND = 50_000


def bench_engine(lines: int = 200_000, families: int = 1_000, repeats: int = 5) -> dict[str, Any]:
    plan, findings = load_plan_file(PLAN)
    assert isinstance(plan, MedicalPlan), findings
    book = generate(families, lines, plan.id)
    best = float("inf")
    paid = 0
    for _ in range(repeats):
        adjudicator = Adjudicator({plan.id: plan}, book.fees)
        balances: dict[AccumulatorKey, int] = {}
        history: dict[str, set[DuplicateKey]] = {}
        gc.collect()
        started = time.perf_counter()
        paid = 0
        for claim in book.claims:
            prior = history.setdefault(claim.member_id, set())
            decision = adjudicator.adjudicate(
                claim,
                book.members.get(claim.member_id),
                book.enrolments.get(claim.member_id, ()),
                balances,
                prior,
            )
            for delta in decision.postings:
                balances[delta.key] = balances.get(delta.key, 0) + delta.amount
            prior.update(duplicate_key(claim, line) for line in claim.lines)
            paid += decision.plan_paid
        best = min(best, time.perf_counter() - started)
    return {
        "name": "engine",
        "description": f"{book.lines:,} medical lines, {len(book.claims):,} claims,"
        f" {families:,} families,"
        " adjudicated in memory on one core (best of 5), with traces and accumulator deltas",
        "measures": [
            {
                "name": "lines_per_second",
                "value": round(book.lines / best),
                "target": TARGET_LINES_PER_SECOND,
            },
            {"name": "seconds", "value": round(best, 3)},
            {"name": "plan_paid_dollars", "value": paid // 100},
        ],
    }
