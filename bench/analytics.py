"""Analytics: lag triangle + IBNR over 10 million paid claim lines from a columnar extract
(target < 1 s end to end), and 100,000 simulated plan years of a 1,000-member group under four
stop-loss options (target < 10 s); peak memory of each; chainladder's fit on the same triangle
as a peer when it is installed (a dev dependency)."""

import gc
import importlib
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

from openaso.analytics.ibnr import Blending, reserve
from openaso.analytics.lag import Payments, lag_triangle
from openaso.analytics.months import month_label
from openaso.analytics.simulate import ClaimModel, Laser, StopLossOption, simulate

LINES = 10_000_000
MONTHS = 36
FIRST = 2024 * 12
OPTIONS = (
    StopLossOption("$50k specific", 50_000_00, fixed_costs=900_000_00),
    StopLossOption("$100k specific", 100_000_00, fixed_costs=700_000_00),
    StopLossOption("$150k + 125% aggregate", 150_000_00, aggregate_corridor=1.25),
    StopLossOption("$100k, laser, ASD", 100_000_00, (Laser(2, 300_000_00),), asd=50_000_00),
)


def write_extract(folder: Path, lines: int = LINES, seed: int = 6) -> None:
    """A columnar extract of paid lines: incurred month, paid month, cents (one .npy each)."""
    rng = np.random.default_rng(seed)
    incurred = rng.integers(FIRST, FIRST + MONTHS, lines, dtype=np.int64)
    paid = np.minimum(incurred + rng.geometric(0.55, lines) - 1, FIRST + MONTHS - 1)
    amount = np.rint(rng.lognormal(9.0, 1.3, lines)).astype(np.int64)
    for name, column in (("incurred", incurred), ("paid", paid), ("amount", amount)):
        np.save(folder / f"{name}.npy", column)


def _ibnr(folder: Path) -> tuple[int, Any]:
    payments = Payments(*(np.load(folder / f"{n}.npy") for n in ("incurred", "paid", "amount")))
    triangle = lag_triangle(payments, FIRST + MONTHS - 1)
    members = np.full(triangle.origins, 40_000, dtype=np.int64)
    result = reserve(triangle, members, Blending(months=2))
    return result.ibnr, triangle


def _peer(triangle: Any) -> tuple[float | None, int | None]:
    try:  # untyped, and a dev dependency only
        cl: Any = importlib.import_module("chainladder")
        pd: Any = importlib.import_module("pandas")
    except ImportError:
        return None, None
    rows = [
        {
            "origin": month_label(triangle.first + i) + "-01",
            "development": month_label(triangle.first + i + k) + "-01",
            "paid": int(triangle.amounts[i, k]),
        }
        for i in range(triangle.origins)
        for k in range(triangle.lags)
        if i + k < triangle.origins
    ]
    frame = pd.DataFrame(rows)
    started = time.perf_counter()
    fitted = cl.Chainladder().fit(
        cl.Triangle(
            frame, origin="origin", development="development", columns=["paid"], cumulative=False
        )
    )
    seconds = time.perf_counter() - started
    ibnr = float(np.nansum(fitted.ibnr_.to_frame().to_numpy(dtype=float)))
    return seconds, int(np.floor(ibnr + 0.5))


def _measured(work: Any) -> tuple[Any, float, int, float]:
    """The value, wall-clock seconds, traced peak bytes and CPU seconds of `work()` (the CPU
    time says what the work costs when other processes share the cores)."""
    gc.collect()
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    value = work()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return value, seconds, peak, cpu


def bench_analytics(repeats: int = 3) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="openaso-bench-") as tmp:
        folder = Path(tmp)
        write_extract(folder)
        runs = [_measured(lambda: _ibnr(folder)) for _ in range(repeats)]
    (ibnr, triangle), ibnr_seconds, ibnr_peak, ibnr_cpu = min(runs, key=lambda run: run[1])
    peer_seconds, peer_ibnr = _peer(triangle)
    simulation, sim_seconds, sim_peak, sim_cpu = _measured(
        lambda: simulate(ClaimModel(), 1_000, OPTIONS, years=100_000, seed=1)
    )
    mib = 1024 * 1024
    measures: list[dict[str, Any]] = [
        {"name": "ibnr_10m_lines_seconds", "value": round(ibnr_seconds, 3), "target": 1.0,
         "lower_is_better": True},
        {"name": "ibnr_cpu_seconds", "value": round(ibnr_cpu, 3)},
        {"name": "ibnr_peak_mib", "value": round(ibnr_peak / mib)},
        {"name": "ibnr_dollars", "value": ibnr // 100},
        {"name": "simulate_100k_years_seconds", "value": round(sim_seconds, 2), "target": 10.0,
         "lower_is_better": True},
        {"name": "simulate_cpu_seconds", "value": round(sim_cpu, 2)},
        {"name": "simulate_peak_mib", "value": round(sim_peak / mib)},
        {"name": "simulate_mean_dollars_100k", "value": simulation.outcomes[1].mean // 100},
        {"name": "process_max_rss_mib",
         "value": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)},
    ]  # fmt: skip
    if peer_seconds is not None:
        measures.append({"name": "chainladder_fit_seconds", "value": round(peer_seconds, 3)})
        measures.append({"name": "chainladder_chain_ladder_only_ibnr_dollars",
                         "value": (peer_ibnr or 0) // 100})  # fmt: skip
    return {
        "name": "analytics",
        "description": f"lag triangle + IBNR over {LINES:,} paid lines ({MONTHS} months, read"
        " from .npy columns, best of 3; IBNR blends the last 2 months); 100,000 plan years ×"
        " 1,000 members × 4 stop-loss options; peaks by tracemalloc",
        "measures": measures,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(bench_analytics(), indent=2))
