"""Persisted adjudication: claims/s through the services onto SQLite and PostgreSQL.

Issue target: at least 5,000 claims/s on SQLite for 100,000 claims. Intake (storing the
received claims) is timed separately from adjudication (deciding, tracing, posting).
"""

import gc
import tempfile
import time
from datetime import UTC, date, datetime
from typing import Any

from bench.databases import temporary_postgres
from bench.engine import PLAN
from bench.generate import generate
from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.yaml_source import read_yaml
from openaso.bootstrap import database
from openaso.core.members import Enrolment
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.setup import enrol, load_fee_schedule, load_plans

TARGET_SQLITE = 5_000
AT = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)


def bench_persisted(claims: int = 100_000, families: int = 1_000) -> dict[str, Any]:
    measures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="openaso-bench-") as tmp:
        measures += _run(f"sqlite:///{tmp}/bench.db", "sqlite", claims, families, TARGET_SQLITE)
    with temporary_postgres() as url:
        if url:
            measures += _run(url, "postgresql", claims, families, None)
    return {
        "name": "persisted_adjudication",
        "description": f"{claims:,} medical claims of {families:,} families: intake, then"
        " adjudication"
        " with traces and accumulator postings stored (one worker, 200 families a transaction)",
        "measures": measures,
    }


def _run(
    url: str, label: str, claims: int, families: int, target: int | None
) -> list[dict[str, Any]]:
    engine, new_uow = database(url)
    document = read_yaml(PLAN)
    plan, _ = load_plan(document)
    assert plan is not None
    book = generate(families, claims * 2, plan.id)  # about two lines a claim
    batch = book.claims[:claims]
    gc.collect()
    gc.freeze()  # the generated book is the harness's, not the system's: keep it out of the GC
    load_plans(new_uow(), [(plan, document.data, str(PLAN))], "bench", AT)
    load_fee_schedule(new_uow(), book.fees, date(2026, 1, 1), "bench", AT)
    members = list(book.members.values())
    spans: list[Enrolment] = [span for m in members for span in book.enrolments[m.id]]
    enrol(
        new_uow(),
        [m.__class__(m.id, m.family_id, m.relationship, m.tier, plan.sponsor) for m in members],
        spans,
    )
    started = time.perf_counter()
    for start in range(0, len(batch), 10_000):
        receive_claims(new_uow(), batch[start : start + 10_000])
    intake = time.perf_counter() - started
    started = time.perf_counter()
    done = adjudicate_waiting(new_uow, batch=200)
    adjudication = time.perf_counter() - started
    engine.dispose()
    gc.unfreeze()
    assert done.claims == len(batch), done
    lines = sum(len(c.lines) for c in batch)
    return [
        {
            "name": f"{label}_adjudicated_claims_per_second",
            "value": round(len(batch) / adjudication),
            "target": target,
        },
        {"name": f"{label}_adjudicated_lines_per_second", "value": round(lines / adjudication)},
        {"name": f"{label}_intake_claims_per_second", "value": round(len(batch) / intake)},
    ]
