"""837P and 837D files written from core Claim values, for round-trip tests and the 837 benchmark.

`write_837(path, claims, kind)` writes one interchange and one functional group; one transaction
set per received date (BHT04) and 5,000 claims at most (the limit the guides recommend), one
billing provider (HL 20, NM1*85 = Claim.provider) per provider, each member a subscriber patient
(HL 22, NM1*IL09 = Claim.member_id), so that `read_837(path).claims()` gives the same Claim
values back. `python -m bench.generate_837
[claims]` writes a seeded file of that many 837P claims and times `read_837`.
"""

import random
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path
from typing import Literal

from openaso.adapters.x12.claims_837 import read_837
from openaso.core.claims import Claim, ServiceLine
from openaso.core.money import format_cents

GUIDES = {"P": "005010X222A1", "D": "005010X224A2"}
CLAIMS_PER_SET = 5_000  # the 837 guides ask senders to keep a set to 5,000 CLM segments


def write_837(
    path: Path, claims: list[Claim], kind: Literal["P", "D"], *, sender: str = "OPENASOGEN",
    receiver: str = "OPENASO", control: int = 1,
) -> Path:  # fmt: skip
    """Write `claims` as one 837P or 837D interchange; returns `path`."""
    guide = GUIDES[kind]
    segments = [f"GS*HC*{sender}*{receiver}*20260101*1200*{control}*X*{guide}"]
    by_date = sorted(claims, key=lambda claim: claim.received)
    sets = 0
    for received, on_date in groupby(by_date, key=lambda claim: claim.received):
        in_date = list(on_date)
        for start in range(0, len(in_date), CLAIMS_PER_SET):
            sets += 1
            in_set = in_date[start : start + CLAIMS_PER_SET]
            segments += _set(f"{sets:04d}", received, in_set, kind, guide)
    segments.append(f"GE*{sets}*{control}")
    isa = (
        f"ISA*00*{' ' * 10}*00*{' ' * 10}*ZZ*{sender:<15.15}*ZZ*{receiver:<15.15}*260101*1200*^*"
        f"00501*{control:09d}*0*P*:"
    )
    text = "".join(f"{segment}~\n" for segment in [isa, *segments, f"IEA*1*{control:09d}"])
    path.write_text(text, encoding="utf-8")
    return path


def _set(control: str, received: date, claims: list[Claim], kind: str, guide: str) -> list[str]:
    body = [
        f"ST*837*{control}*{guide}",
        f"BHT*0019*00*{control}*{received:%Y%m%d}*1200*CH",
        "NM1*41*2*OPENASO GENERATOR*****46*GEN01",
        "PER*IC*BENCH*TE*5555550100",
        "NM1*40*2*OPENASO*****46*OPENASO",
    ]
    hl = 0
    for provider, by_provider in groupby(sorted(claims, key=_order), key=lambda c: c.provider):
        hl += 1
        billing = hl
        body += [
            f"HL*{hl}**20*1",
            f"NM1*85*2*PROVIDER {provider}*****XX*{provider}",
            "N3*1 MAIN ST",
            "N4*ANYTOWN*PA*17111",
            "REF*EI*123456789",
        ]
        for member, by_member in groupby(by_provider, key=lambda claim: claim.member_id):
            hl += 1
            body += [
                f"HL*{hl}*{billing}*22*0",
                "SBR*P*18*GROUP1******CI",
                f"NM1*IL*1*MEMBER*{member}****MI*{member}",
                "NM1*PR*2*OPENASO PLAN*****PI*OPENASO",
            ]
            for claim in by_member:
                body += _claim(claim, kind)
    body.append(f"SE*{len(body) + 1}*{control}")
    return body


def _order(claim: Claim) -> tuple[str, str]:
    return claim.provider, claim.member_id


def _claim(claim: Claim, kind: str) -> list[str]:
    out = [f"CLM*{claim.id}*{format_cents(claim.billed)}***11:B:1*Y*A*Y*Y"]
    if kind == "P":
        out.append("HI*ABK:R69")
    for line in claim.lines:
        out += _line(line, kind)
    return out


def _line(line: ServiceLine, kind: str) -> Iterable[str]:
    code = ":".join([("HC" if kind == "P" else "AD"), line.code, *line.modifiers])
    charge = format_cents(line.billed)
    yield f"LX*{line.number}"
    if kind == "P":
        yield f"SV1*{code}*{charge}*UN*{line.units}***1"
    else:
        yield f"SV3*{code}*{charge}****{line.units}"
    yield f"DTP*472*D8*{line.service_date:%Y%m%d}"
    if line.repriced is not None:
        yield f"HCP*02*{format_cents(line.repriced)}"


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
