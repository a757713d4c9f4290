"""`make bench`: measure, write bench/results.json and print a table.

`python -m bench.run claims_837 ...` runs only the benchmarks named and replaces their entries
in an existing bench/results.json, keeping the others' last results.
"""

import json
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.analytics import bench_analytics
from bench.api import bench_api
from bench.claims_837 import bench_837
from bench.engine import bench_engine
from bench.enrolment import bench_enrolment
from bench.fhir import bench_fhir
from bench.invoices import bench_invoices
from bench.persisted import bench_persisted
from bench.stoploss import bench_stoploss

RESULTS = Path(__file__).parent / "results.json"
BENCHMARKS: dict[str, Callable[[], dict[str, Any]]] = {  # by module, in the order run
    "engine": bench_engine,
    "persisted": bench_persisted,
    "enrolment": bench_enrolment,
    "claims_837": bench_837,
    "stoploss": bench_stoploss,
    "invoices": bench_invoices,
    "analytics": bench_analytics,
    "fhir": bench_fhir,
    "api": bench_api,
}


def main(names: list[str]) -> None:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        known = ", ".join(BENCHMARKS)
        raise SystemExit(f"unknown benchmark {unknown[0]!r}: expected one of {known}")
    measured = [BENCHMARKS[name]() for name in names or BENCHMARKS]
    benchmarks = measured
    if names and RESULTS.exists():  # the others keep their last results, in their place
        fresh = {bench["name"]: bench for bench in measured}
        earlier = json.loads(RESULTS.read_text())["benchmarks"]
        benchmarks = [fresh.pop(bench["name"], bench) for bench in earlier] + list(fresh.values())
    results = {
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "benchmarks": benchmarks,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    show(results)


def show(results: dict[str, Any]) -> None:
    table = Table("benchmark", "measure", "value", "target", "met", title="OpenASO benchmarks")
    for bench in results["benchmarks"]:
        for measure in bench["measures"]:
            target = measure.get("target")
            lower = measure.get("lower_is_better", False)
            met = ""
            if target is not None:
                reached = measure["value"] <= target if lower else measure["value"] >= target
                met = "yes" if reached else "NO"
            table.add_row(
                bench["name"],
                measure["name"],
                f"{measure['value']:,}",
                "" if target is None else ("≤ " if lower else "≥ ") + f"{target:,}",
                met,
            )
    Console(width=120).print(table)


if __name__ == "__main__":
    main(sys.argv[1:])
