"""Mutated and truncated 837s through intake: rejections are fine, a crash or a partial set is not.

Each example is checked against an independent reading of the same bytes: what intake stored
from the file is exactly the claims of the accepted sets of interchanges not rejected by a TA1.
"""

import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from openaso.adapters.db.tables import claim_lines, claims
from openaso.adapters.x12.claims_837 import read_837
from openaso.bootstrap import database
from openaso.services.claims_837 import intake_837
from openaso.services.ports import UnitOfWork
from tests.integration.books import AT
from tests.integration.test_intake_837 import (
    OURS,
    dependent_claim,
    envelope,
    header,
    subscriber_claim,
)

BASE = envelope(
    [
        header() + subscriber_claim("PCN-A", "150.00") + dependent_claim("PCN-B"),
        header() + subscriber_claim("PCN-C", "75.50"),
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = BASE
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["cut", "delete", "insert", "replace", "repeat"]))
        if kind == "cut":
            text = text[:at]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif kind == "insert":
            text = (
                text[:at]
                + draw(st.sampled_from(["*", "~", ":", "^", "\n", "X", "9", "\ufeff"]))
                + text[at:]
            )
        elif kind == "replace":
            char = draw(st.sampled_from(["*", "~", ":", "0", "A", " ", "é"]))
            text = text[:at] + char + text[at + 1 :]
        else:
            start = text.rfind("~", 0, at) + 1
            end = text.find("~", at)
            if end > 0:
                text = text[:start] + text[start : end + 1] + text[start:]
    return text


_BOOK: list[Callable[[], UnitOfWork]] = []


def book() -> Callable[[], UnitOfWork]:
    """One SQLite database for every example: files differ, so each is received anew."""
    if not _BOOK:
        folder = tempfile.mkdtemp(prefix="openaso-fuzz-")
        _, new_uow = database(f"sqlite:///{folder}/fuzz.db")
        _BOOK.append(new_uow)
    return _BOOK[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_intake_never_crashes_nor_keeps_part_of_a_rejected_set(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.837"
        path.write_text(text, encoding="utf-8")
        expected = read_837(path)
        result = intake_837(book()(), path, ours=OURS, actor="fuzz", at=AT)
    if result.earlier is not None:
        return  # the same mutation drawn twice
    standing = [x for x in expected.interchanges if x.acknowledgment != "R"]
    want = [c for x in standing for g in x.groups for s in g.sets for c in s.claims]
    assert len(result.stored) == len(want)
    with book()() as uow:
        conn = uow.claims.conn  # type: ignore[attr-defined]
        stored = conn.execute(
            select(claims.c.patient_control).where(claims.c.source_file == result.file_id)
        ).scalars()
        assert sorted(stored) == sorted(c.claim.id for c in want)
        lines = conn.execute(
            select(func.count())
            .select_from(claim_lines.join(claims, claims.c.seq == claim_lines.c.claim_seq))
            .where(claims.c.source_file == result.file_id)
        ).scalar_one()
        assert lines == sum(len(c.claim.lines) for c in want)
    # Every functional group of a standing interchange is answered by a 999.
    groups = sum(len(x.groups) for x in standing)
    assert sum(a.kind == "999" for a in result.acknowledgments) == groups
