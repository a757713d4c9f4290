"""837 read rate: claims/s and MB/s for a generated 837P, beside pyx12's loop-aware reader.

Issue target: a 100,000-claim 837P (4 service lines a claim) read into claim records, loops and
required-segment checks included, at 30,000 claims/s or more: over 100 times pyx12's
`X12ContextReader`, which builds each claim's loop tree. pyx12 reads ~200 claims/s, so it reads
the first 2,000 claims of the same generated claims, in the same run. Memory must not grow with
the file: the reader runs in a subprocess on the first 10,000 claims and on all 100,000, passing
each set to `on_set`, and reports its peak RSS for each. The streaming read is timed three
times and its median reported, beside the bare tokenizer (`read_batches`: segments split into
elements, no loops, no checks) timed the same way on the same file, each run of one beside a
run of the other: on a loaded machine both slow down together, so their ratio says more than
either figure alone. Each is timed on the clock and in CPU time (`*_cpu_*`), which what other
processes take of a shared machine's cores does not inflate.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

import pyx12.error_handler  # type: ignore[import-untyped]
import pyx12.params  # type: ignore[import-untyped]
import pyx12.x12context  # type: ignore[import-untyped]

from bench.generate_837 import sample_claims, write_837
from openaso.adapters.x12.claims_837 import TransactionSet837, read_837
from openaso.adapters.x12.segments import read_batches

TARGET_CLAIMS_PER_SECOND = 30_000
TARGET_RATIO = 100
TARGET_RSS_GROWTH_MB = 10  # peak RSS at 100,000 claims less that at 10,000
PEAK_RSS = """
import resource, sys
from pathlib import Path
from openaso.adapters.x12.claims_837 import read_837
claims = 0
def take(interchange, transaction):
    global claims
    claims += len(transaction.claims)
read_837(Path(sys.argv[1]), on_set=take)
try:  # this process's own peak (Linux): ru_maxrss would count the parent's too, from the fork
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(claims, peak)
"""


def bench_837(claims: int = 100_000, pyx12_claims: int = 2_000) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="openaso-837-") as tmp:
        sample = sample_claims(claims, lines=4)
        path = write_837(Path(tmp) / "all.837", sample, "P")
        tenth = write_837(Path(tmp) / "tenth.837", sample[: claims // 10], "P")
        prefix = write_837(Path(tmp) / "prefix.837", sample[:pyx12_claims], "P")
        del sample
        megabytes = path.stat().st_size / 1e6
        # Interleaved, so that both see the same load of the machine.
        runs = [(_ours(path, claims, streaming=True), _tokenizer(path)) for _ in range(3)]
        streamed, streamed_cpu = _median([ours for ours, _ in runs])
        tokenized, tokenized_cpu = _median([bare for _, bare in runs])
        kept, _ = _ours(path, claims, streaming=False)
        theirs, theirs_cpu = _pyx12(prefix, pyx12_claims)
        rss_tenth, rss_all = _peak_rss_mb(tenth, claims // 10), _peak_rss_mb(path, claims)
        prefix_megabytes = prefix.stat().st_size / 1e6
    ours_rate, theirs_rate = claims / streamed, pyx12_claims / theirs
    measures: list[dict[str, Any]] = [
        {
            "name": "read_837_claims_per_second",
            "value": round(ours_rate),
            "target": TARGET_CLAIMS_PER_SECOND,
        },
        {"name": "read_837_mb_per_second", "value": round(megabytes / streamed, 1)},
        {"name": "read_837_all_claims_kept_claims_per_second", "value": round(claims / kept)},
        {"name": "bare_tokenizer_claims_per_second", "value": round(claims / tokenized)},
        {"name": "read_837_time_over_bare_tokenizer", "value": round(streamed / tokenized, 1)},
        {"name": "read_837_cpu_claims_per_second", "value": round(claims / streamed_cpu)},
        {"name": "bare_tokenizer_cpu_claims_per_second", "value": round(claims / tokenized_cpu)},
        {
            "name": "read_837_cpu_time_over_bare_tokenizer",
            "value": round(streamed_cpu / tokenized_cpu, 1),
        },
        {"name": "pyx12_claims_per_second", "value": round(theirs_rate)},
        {"name": "pyx12_cpu_claims_per_second", "value": round(pyx12_claims / theirs_cpu)},
        {"name": "pyx12_mb_per_second", "value": round(prefix_megabytes / theirs, 2)},
        {
            "name": "read_837_over_pyx12",
            "value": round(ours_rate / theirs_rate),
            "target": TARGET_RATIO,
        },
        {"name": f"peak_rss_mb_{claims // 10}_claims", "value": rss_tenth},
        {"name": f"peak_rss_mb_{claims}_claims", "value": rss_all},
        {
            "name": "peak_rss_growth_mb",
            "value": round(rss_all - rss_tenth, 1),
            "target": TARGET_RSS_GROWTH_MB,
            "lower_is_better": True,
        },
    ]
    return {
        "name": "claims_837",
        "description": f"a generated {claims:,}-claim 837P (4 lines a claim, {megabytes:.0f} MB)"
        " read into claim records, each set passed on as read (on_set; median of 3 runs, beside "
        "the bare tokenizer's median on the same file); pyx12's "
        f"X12ContextReader on its first {pyx12_claims:,} claims; peak RSS of the streaming "
        "read in a subprocess",
        "measures": measures,
    }


class Took(NamedTuple):
    """Seconds on the clock, and of this process's CPU time (what other processes on a shared
    machine take does not count in it)."""

    wall: float
    cpu: float


def _timed(started: Took) -> Took:
    return Took(time.perf_counter() - started.wall, time.process_time() - started.cpu)


def _now() -> Took:
    return Took(time.perf_counter(), time.process_time())


def _median(runs: list[Took]) -> Took:
    return Took(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs))


def _ours(path: Path, claims: int, *, streaming: bool) -> Took:
    """Time for read_837: each set passed to on_set and let go, or every claim kept."""
    read = 0

    def take(interchange: int, transaction: TransactionSet837) -> None:
        nonlocal read
        read += len(transaction.claims)

    started = _now()
    if streaming:
        intake = read_837(path, on_set=take)
    else:
        intake = read_837(path)
        read = len(intake.claims())
    took = _timed(started)
    assert read == claims, (read, intake.problems()[:3])
    return took


def _tokenizer(path: Path) -> Took:
    """Time to split every segment of `path` into its elements, and nothing more."""
    started = _now()
    for _first, fields, _component, _size in read_batches(path):
        for _elements in fields:
            pass
    return _timed(started)


def _pyx12(path: Path, claims: int) -> Took:
    """Time for pyx12's loop-aware reader to give every claim (loop 2300) of `path`."""
    params = pyx12.params.params()
    started = _now()
    with path.open(encoding="utf-8") as handle:
        reader = pyx12.x12context.X12ContextReader(params, pyx12.error_handler.errh_null(), handle)
        read = [node.get_value("CLM01") for node in reader.iter_segments("2300")
                if node.id == "2300"]  # fmt: skip
    took = _timed(started)
    assert len(read) == claims, len(read)
    return took


def _peak_rss_mb(path: Path, claims: int) -> float:
    """Peak RSS of a fresh interpreter that reads `path` set by set."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(path)], capture_output=True, text=True, check=True
    )
    read, kilobytes = map(int, done.stdout.split())
    assert read == claims, read
    return round(kilobytes / 1024, 1)


if __name__ == "__main__":
    for measure in bench_837()["measures"]:
        print(f"{measure['name']}: {measure['value']:,}")
