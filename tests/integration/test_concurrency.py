"""Several worker processes adjudicating one book on PostgreSQL give the one-by-one amounts."""

import multiprocessing
import random
from datetime import date, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

import pytest

from openaso.bootstrap import database
from openaso.core.claims import Claim, ServiceLine
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from tests.integration.books import open_book, subscriber

WORKERS = 4
CODES = [("99213", 15_000), ("29881", 900_000), ("27447", 4_000_000), ("99396", 25_000)]


def _worker(url: str, start: "Barrier", done: "Queue[int]") -> None:
    _, new_uow = database(url, migrate=False)
    start.wait()  # all workers begin together, so they really compete for the families
    done.put(adjudicate_waiting(new_uow, batch=1).claims)


def _book(url: str) -> None:
    rng = random.Random(7)
    members = []
    for f in range(8):
        tier = "FAM" if f % 2 else "EE"
        members.append(subscriber(f"F{f}", f"F{f}", tier))
        if tier == "FAM":
            members += [subscriber(f"F{f}-{d}", f"F{f}", tier) for d in (2, 3)]
    new_uow = open_book(url, members)
    claims = []
    for n in range(160):  # interleaved families; deductibles and OOP maximums run out on the way
        member = rng.choice(members)
        code, billed = rng.choice(CODES)
        day = date(2026, 1, 5) + timedelta(days=n)
        claims.append(
            Claim(
                f"C{n:03d}",
                member.id,
                day,
                "in",
                "1234567893",
                (ServiceLine(1, code, day, billed),),
            )
        )
    receive_claims(new_uow(), claims)


def _outcome(new_uow: object) -> tuple[dict[str, object], dict[tuple[str, ...], int]]:
    decided: dict[str, object] = {}
    with new_uow() as uow:  # type: ignore[operator]
        for n in range(160):
            decided[f"C{n:03d}"] = [
                (line.status, line.allowed, line.plan_paid, sorted(line.adjustments))
                for line in uow.claims.lines(f"C{n:03d}")
            ]
        balances = {}
        for kind in ("member", "family"):
            for f in range(8):
                for holder in (f"F{f}", f"F{f}-2", f"F{f}-3"):
                    for key, value in uow.accumulators.of_holder(kind, holder).items():
                        balances[(kind, holder, *key)] = value
    return decided, balances


@pytest.mark.postgres
def test_parallel_workers_give_exactly_the_serial_amounts(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several writer processes need PostgreSQL")
    serial_url = database_url + "_serial"
    from sqlalchemy import create_engine, text

    from tests.conftest import POSTGRES_URL

    admin = create_engine(str(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{serial_url.rsplit("/", 1)[1]}"'))
    try:
        _book(serial_url)
        _, serial_uow = database(serial_url, migrate=False)
        assert adjudicate_waiting(serial_uow, batch=1_000).claims == 160
        _book(database_url)
        context = multiprocessing.get_context("spawn")
        start, done = context.Barrier(WORKERS), context.Queue()
        workers = [
            context.Process(target=_worker, args=(database_url, start, done))
            for _ in range(WORKERS)
        ]
        for worker in workers:
            worker.start()
        counts = [done.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join(timeout=30)
        _, parallel_uow = database(database_url, migrate=False)
        assert sum(counts) == 160, counts
        assert sum(1 for count in counts if count) >= 2, (
            f"the workers did not share the work: {counts}"
        )
        assert _outcome(parallel_uow) == _outcome(serial_uow)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(f'DROP DATABASE IF EXISTS "{serial_url.rsplit("/", 1)[1]}" WITH (FORCE)')
            )
        admin.dispose()
