"""A seeded synthetic 834 audit file (005010X220A1) of realistic families, for the 834 benchmark.

`python -m bench.generate_834 [members]` writes one to a temporary folder and times `read_834`.
"""

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openaso.adapters.x12.enrolment_834 import read_834

# family tier → (HD05 coverage level, share of families)
FAMILY_MIX = {"EE": ("EMP", 45), "ES": ("ESP", 20), "EC": ("ECH", 15), "FAM": ("FAM", 20)}
NAMES = (  # surnames | women's first names | men's first names
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ "
    "GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE"
    "|MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA SARAH KAREN NANCY"
    "|JAMES ROBERT JOHN MICHAEL DAVID WILLIAM RICHARD JOSEPH THOMAS CHARLES DANIEL"
)
LAST_NAMES, WOMEN, MEN = (part.split() for part in NAMES.split("|"))
FIRST_NAMES = {"F": WOMEN, "M": MEN}
BENEFIT_BEGIN = "20260101"


def write_834(path: Path, members: int, sponsor: str, file_date: date, seed: int = 834) -> None:
    """Write an audit 834 (INS03 030, BGN08 4) of exactly `members` members in whole families."""
    rng = random.Random(seed)
    stamp = file_date.strftime("%Y%m%d")
    body: list[str] = [
        f"BGN*00*AUDIT-{stamp}-{seed}*{stamp}*1200****4",
        f"N1*P5*{sponsor}*FI*{sponsor}",
        "N1*IN*OPENASO TPA*FI*999999999",
    ]
    tiers, weights = list(FAMILY_MIX), [share for _, share in FAMILY_MIX.values()]
    written = family = 0
    while written < members:
        family += 1
        tier = rng.choices(tiers, weights)[0]
        roles = ["18"] + ["01"] * (tier in ("ES", "FAM"))
        roles += ["19"] * (rng.randint(1, 3) if tier in ("EC", "FAM") else 0)
        roles = roles[: members - written]  # the last family is cut to fit
        spouse, children = "01" in roles, "19" in roles
        tier = "FAM" if spouse and children else "ES" if spouse else "EC" if children else "EE"
        dental = rng.random() < 0.7
        family_id = f"E{family:08d}"
        last = rng.choice(LAST_NAMES)
        year = file_date.year - rng.randint(22, 64)
        for index, code in enumerate(roles):
            subscriber = code == "18"
            gender = rng.choice("MF")
            born = date(year + (rng.randint(-3, 3) if code == "01" else 0), 1, 1)
            if code == "19":
                age = rng.randint(1, 25)
                born = date(min(file_date.year - 1, max(year + 18, file_date.year - age)), 1, 1)
            born += timedelta(days=rng.randrange(365))
            member_id = family_id if subscriber else f"{family_id}{index:02d}"
            body += [
                "INS*Y*18*030*XN*A***FT" if subscriber else f"INS*N*{code}*030*XN*A",
                f"REF*0F*{family_id}",  # the subscriber's; a dependent's own id is in NM109
                f"NM1*IL*1*{last}*{rng.choice(FIRST_NAMES[gender])}****ZZ*{member_id}",
                f"DMG*D8*{born:%Y%m%d}*{gender}",
            ]
            lines = [("HLT", tier)] + [("DEN", tier)] * dental + [("PDG", tier)]
            lines += [("STD", "EE")] * (subscriber and rng.random() < 0.5)  # the employee's own
            for line, line_tier in lines:
                level = FAMILY_MIX[line_tier][0]
                body += [f"HD*030**{line}**{level}", f"DTP*348*D8*{BENEFIT_BEGIN}"]
        written += len(roles)
    control = f"{seed % 1_000_000_000:09d}"
    isa = (
        f"ISA*00*{'':10}*00*{'':10}*ZZ*{sponsor[:15]:15}*ZZ*{'OPENASO':15}*"
        f"{file_date:%y%m%d}*1200*^*00501*{control}*0*P*:"
    )
    segments = [
        isa,
        f"GS*BE*{sponsor[:15]}*OPENASO*{stamp}*1200*1*X*005010X220A1",
        "ST*834*0001*005010X220A1",
        *body,
        f"SE*{len(body) + 2}*0001",
        "GE*1*1",
        f"IEA*1*{control}",
    ]
    path.write_text("~\n".join(segments) + "~\n", encoding="ascii")


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
