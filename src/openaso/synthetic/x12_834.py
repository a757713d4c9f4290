"""A population written as an X12 834 audit file (005010X220A1): every member, every line.

One INS loop per member (INS03 030 audit, BGN08 4 verify): the subscriber's REF*0F on every
member of the family, a dependent's own id in NM109, DMG birth date and gender, and one HD loop
per coverage line (HLT medical, DEN dental, PDG drugs, STD the employee's own disability cover)
from the family's start date. `write_834(path, members, sponsor, file_date, seed)` is the
834 benchmark's: exactly `members` members in whole families.
"""

import random
from datetime import date
from pathlib import Path

from openaso.synthetic.population import Population, draw_members

LEVELS = {"EE": "EMP", "ES": "ESP", "EC": "ECH", "FAM": "FAM"}  # tier → HD05 coverage level


def write_population_834(path: Path, population: Population, file_date: date, control: int) -> Path:
    """Write `population` as one audit 834 dated `file_date`; returns `path`."""
    sponsor, stamp = population.sponsor, f"{file_date:%Y%m%d}"
    body: list[str] = [
        f"BGN*00*AUDIT-{stamp}-{control}*{stamp}*1200****4",
        f"N1*P5*{sponsor}*FI*{sponsor}",
        "N1*IN*OPENASO TPA*FI*999999999",
    ]
    for family in population.families:
        begin = f"{family.start:%Y%m%d}"
        for person in family.people:
            subscriber = person.relationship == "18"
            body += [
                "INS*Y*18*030*XN*A***FT" if subscriber else f"INS*N*{person.relationship}*030*XN*A",
                f"REF*0F*{family.id}",  # the subscriber's; a dependent's own id is in NM109
                f"NM1*IL*1*{person.last}*{person.first}****ZZ*{person.member_id}",
                f"DMG*D8*{person.birth:%Y%m%d}*{person.gender}",
            ]
            lines = ["HLT"] + ["DEN"] * family.dental + ["PDG"]
            levels = [LEVELS[family.tier]] * len(lines)
            if subscriber and family.std:
                lines.append("STD")
                levels.append("EMP")  # the employee's own cover
            for line, level in zip(lines, levels, strict=True):
                body += [f"HD*030**{line}**{level}", f"DTP*348*D8*{begin}"]
    number = f"{control % 1_000_000_000:09d}"
    isa = (
        f"ISA*00*{'':10}*00*{'':10}*ZZ*{sponsor[:15]:15}*ZZ*{'OPENASO':15}*"
        f"{file_date:%y%m%d}*1200*^*00501*{number}*0*P*:"
    )
    segments = [
        isa,
        f"GS*BE*{sponsor[:15]}*OPENASO*{stamp}*1200*1*X*005010X220A1",
        "ST*834*0001*005010X220A1",
        *body,
        f"SE*{len(body) + 2}*0001",
        "GE*1*1",
        f"IEA*1*{number}",
    ]
    path.write_text("~\n".join(segments) + "~\n", encoding="ascii")
    return path


def write_834(path: Path, members: int, sponsor: str, file_date: date, seed: int = 834) -> None:
    """Write an audit 834 of exactly `members` members in whole families (the benchmark's)."""
    population = draw_members(random.Random(seed), members, sponsor, file_date.year)
    write_population_834(path, population, file_date, seed)
