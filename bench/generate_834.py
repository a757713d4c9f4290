"""A seeded synthetic 834 audit file (005010X220A1) of realistic families, for the 834 benchmark.

The file is written by the package (openaso.synthetic.x12_834). `python -m bench.generate_834
[members]` writes one to a temporary folder and times `read_834`.
"""

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from openaso.adapters.x12.enrolment_834 import read_834
from openaso.synthetic.x12_834 import write_834

__all__ = ["main", "write_834"]


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.834"
        started = time.perf_counter()
        write_834(path, members, "ACME", date(2026, 1, 15))
        written = time.perf_counter() - started
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            batches, findings = read_834(path)
            best = min(best, time.perf_counter() - started)
        records = sum(len(batch.records) for batch in batches)
        size = path.stat().st_size / 1e6
        print(f"wrote {members:,} members ({size:.1f} MB) in {written:.2f} s")
        print(f"read {records:,} members, {len(findings)} findings, in {best:.2f} s (best of 3)")
        print(f"{records / best:,.0f} members/s")


if __name__ == "__main__":
    main()
