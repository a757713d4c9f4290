"""Seeded 837 claims for round-trip tests and the 837 benchmark; the writer is the package's.

`write_837(path, claims, kind)` (openaso.synthetic.x12_837) writes core Claim values, each
member a subscriber patient, so that `read_837(path).claims()` gives the same Claim values
back. `python -m bench.generate_837 [claims]` writes a seeded file of that many 837P claims and
times `read_837`.
"""

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openaso.adapters.x12.claims_837 import read_837
from openaso.core.claims import Claim, ServiceLine
from openaso.synthetic.x12_837 import CLAIMS_PER_SET, GUIDES, write_837

__all__ = ["CLAIMS_PER_SET", "GUIDES", "main", "sample_claims", "write_837"]


def sample_claims(
    count: int, seed: int = 837, dental: bool = False, lines: int | None = None
) -> list[Claim]:
    """`count` seeded claims of 1 to 4 lines (or exactly `lines`), received on one of two dates."""
    rng = random.Random(seed)
    codes = ["D0120", "D1110", "D2391", "D0274"] if dental else ["99213", "99214", "80053"]
    claims = []
    for index in range(count):
        received = date(2026, 3, 2) + timedelta(days=index % 2)
        drawn = rng.randint(1, 4)
        service_lines = tuple(
            ServiceLine(
                number, rng.choice(codes), received - timedelta(days=rng.randint(1, 60)),
                rng.randint(1_000, 90_000), ("25",) if rng.random() < 0.1 else (),
                rng.randint(1, 3), rng.randint(500, 900) if rng.random() < 0.3 else None,
            )
            for number in range(1, (lines or drawn) + 1)
        )  # fmt: skip
        claims.append(
            Claim(
                f"C{index:07d}", f"M{rng.randint(1, count // 3 + 1):06d}", received, "in",
                f"{1_000_000_000 + rng.randint(0, 50):010d}", service_lines,
                "dental" if dental else "medical",
            )
        )  # fmt: skip
    return claims


def main(count: int) -> None:
    claims = sample_claims(count)
    with tempfile.TemporaryDirectory() as folder:
        path = write_837(Path(folder) / "bench.837", claims, "P")
        started = time.perf_counter()
        read = read_837(path).claims()
        elapsed = time.perf_counter() - started
        size = path.stat().st_size
    print(
        f"{len(read)} claims, {size / 1e6:.1f} MB in {elapsed:.2f} s: {len(read) / elapsed:,.0f}/s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
