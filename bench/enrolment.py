"""834 import rate: members/s for a generated 50,000-member audit file, through the service.

Issue target: 50,000 members imported in under 60 s. Reading the file and applying it to the
database are timed together (what an operator waits for), and the read alone is reported too.
"""

import hashlib
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.databases import temporary_postgres
from bench.generate_834 import write_834
from openaso.adapters.x12.enrolment_834 import read_834
from openaso.bootstrap import database
from openaso.services.enrolment import import_enrolment

AT = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
TARGET_SECONDS = 60


def bench_enrolment(members: int = 50_000) -> dict[str, Any]:
    measures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="openaso-834-") as tmp:
        path = Path(tmp) / "audit.834"
        write_834(path, members, "ACME", date(2026, 1, 1))
        started = time.perf_counter()
        read_834(path)
        measures.append(
            {
                "name": "read_834_members_per_second",
                "value": round(members / (time.perf_counter() - started)),
            }
        )
        measures += _import(f"sqlite:///{tmp}/enrol.db", "sqlite", path, members)
        with temporary_postgres() as url:
            if url:
                measures += _import(url, "postgresql", path, members)
    return {
        "name": "enrolment_834",
        "description": f"a generated {members:,}-member audit 834 (005010X220A1): read and applied"
        " in one transaction (members, families, coverage spans, audit log, import report)",
        "measures": measures,
    }


def _import(url: str, label: str, path: Path, members: int) -> list[dict[str, Any]]:
    engine, new_uow = database(url)
    started = time.perf_counter()
    batches, findings = read_834(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    report = import_enrolment(
        new_uow(), batches, findings, str(path), sha, "acme", True, "bench", AT
    )
    seconds = time.perf_counter() - started
    engine.dispose()
    assert not findings, findings[:3]
    assert report.added == members, report
    return [
        {"name": f"{label}_import_members_per_second", "value": round(members / seconds)},
        {
            "name": f"{label}_import_seconds_for_{members}",
            "value": round(seconds, 1),
            "target": TARGET_SECONDS,
            "lower_is_better": True,
        },
    ]
