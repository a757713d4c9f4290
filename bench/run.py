"""`make bench`: measure, write bench/results.json and print a table."""

import json
import platform
import sys
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


def main() -> None:
    benchmarks: list[dict[str, Any]] = [
        bench_engine(),
        bench_persisted(),
        bench_enrolment(),
        bench_837(),
        bench_stoploss(),
        bench_invoices(),
        bench_analytics(),
        bench_fhir(),
        bench_api(),
    ]
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
    main()
