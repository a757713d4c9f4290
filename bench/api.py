"""API latency under load: claim status lookups on loopback at 200 requests/s for 30 s.

Issue target: p99 under 50 ms on SQLite and PostgreSQL. The app runs in its own process
(uvicorn, one worker) on a database of 5,000 adjudicated claims; each lookup is a bearer-token
request whose read is written to the audit log, as in production. Requests are sent on a fixed
schedule (open loop) and each latency is counted from when it was due, so a slow answer that
holds up later requests counts against them too (no coordinated omission). The first WARM_UP
seconds of the schedule are sent but not counted. Loopback only; stops by itself.
"""

import gc
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from queue import SimpleQueue
from typing import Any

import httpx

from bench.databases import temporary_postgres
from bench.engine import PLAN
from bench.generate import generate
from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.yaml_source import read_yaml
from openaso.bootstrap import database
from openaso.services.access import Role
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.setup import enrol, load_fee_schedule, load_plans
from openaso.services.users import add_user, issue_token

TARGET_P99_MS = 50
RATE = 200  # requests a second
SECONDS = 30
# Seconds at RATE before the measured SECONDS, not counted: the server's first calls compile
# its queries and open its pooled connections.
WARM_UP = 2
THREADS = 32  # requests in flight at most; later ones wait, their lateness counted
GIVE_UP = 2.0  # seconds late after which a request counts as an error (bounds the run)
AT = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
SERVE = (
    "import sys\n"
    "from openaso.config import Settings\n"
    "from openaso.entrypoints.web.server import serve\n"
    "serve(Settings(database_url=sys.argv[1]), '127.0.0.1', int(sys.argv[2]))\n"
)


def bench_api(claims: int = 5_000) -> dict[str, Any]:
    measures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="openaso-api-") as tmp:
        measures += _run(f"sqlite:///{tmp}/api.db", "sqlite", claims)
    with temporary_postgres() as url:
        if url:
            measures += _run(url, "postgresql", claims)
    return {
        "name": "api_claim_status",
        "description": f"GET /api/v1/claims/{{id}} at {RATE}/s for {SECONDS} s on loopback,"
        f" {claims:,} claims on file, each read audited (latency from when each was due)",
        "measures": measures,
    }


def _run(url: str, label: str, claims: int) -> list[dict[str, Any]]:
    ids, token = _book(url, claims)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", SERVE, url, str(port)])
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base)
        latencies, errors = _load(base, token, ids)
    finally:
        server.terminate()
        server.wait(10)
    latencies.sort()
    answered = len(latencies) - errors
    return [
        _measure(f"{label} p50 ms", _quantile(latencies, 0.50), None),
        _measure(f"{label} p99 ms", _quantile(latencies, 0.99), TARGET_P99_MS),
        {"name": f"{label} answered/s", "value": round(answered / SECONDS), "target": RATE},
        {"name": f"{label} errors", "value": errors, "target": 0, "lower_is_better": True},
    ]


def _book(url: str, claims: int) -> tuple[list[str], str]:
    engine, new_uow = database(url)
    document = read_yaml(PLAN)
    plan, _ = load_plan(document)
    assert plan is not None
    book = generate(500, claims * 2, plan.id)
    load_plans(new_uow(), [(plan, document.data, str(PLAN))], "bench", AT)
    load_fee_schedule(new_uow(), book.fees, date(2026, 1, 1), "bench", AT)
    members = list(book.members.values())
    spans = [span for m in members for span in book.enrolments[m.id]]
    enrol(
        new_uow(),
        [m.__class__(m.id, m.family_id, m.relationship, m.tier, plan.sponsor) for m in members],
        spans,
    )
    batch = book.claims[:claims]
    receive_claims(new_uow(), batch)
    adjudicate_waiting(new_uow)
    add_user(new_uow(), "bench", Role.EXAMINER, None, [], AT, "bench")
    token = issue_token(new_uow(), "bench", AT, "bench")
    engine.dispose()
    return [c.id for c in batch], token


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/login", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"the API at {base} did not start")


def _load(base: str, token: str, ids: list[str]) -> tuple[list[float], int]:
    """Send RATE requests a second for WARM_UP + SECONDS, each at its due time; the latencies
    (ms) and errors of the last SECONDS. Clients and threads are made before the clock starts:
    made on the way, they cost the first second more than the server did."""
    headers = {"Authorization": f"Bearer {token}"}
    clients: SimpleQueue[httpx.Client] = SimpleQueue()
    for _ in range(THREADS):
        clients.put(httpx.Client(base_url=base, headers=headers, timeout=GIVE_UP))

    def lookup(n: int, due: float) -> tuple[float, bool]:
        if time.perf_counter() - due > GIVE_UP:  # the server is saturated: count, don't send
            return GIVE_UP * 1000, False
        client = clients.get()
        try:
            answer = client.get(f"/api/v1/claims/{ids[n % len(ids)]}")
        except httpx.HTTPError:
            return (time.perf_counter() - due) * 1000, False
        finally:
            clients.put(client)
        return (time.perf_counter() - due) * 1000, answer.status_code == 200

    skip = RATE * WARM_UP
    # The booked claims fill this process's heap: a full collection of it stalls the sender
    # for 100+ ms, which would count against the server. Frozen, it is not walked again.
    gc.collect()
    gc.freeze()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for started in [pool.submit(time.sleep, 0.01) for _ in range(THREADS)]:
            started.result()
        futures = []
        start = time.perf_counter() + 0.1
        for n in range(skip + RATE * SECONDS):
            due = start + n / RATE
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            futures.append(pool.submit(lookup, n, due))
        results = [f.result() for f in futures[skip:]]
    gc.unfreeze()
    while not clients.empty():
        clients.get().close()
    return [ms for ms, _ in results], sum(1 for _, ok in results if not ok)


def _quantile(ordered: list[float], q: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _measure(name: str, value: float, target: float | None) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "value": value, "lower_is_better": True}
    if target is not None:
        found["target"] = target
    return found
