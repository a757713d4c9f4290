"""A seeded employer population: employees and their families, with names, births and tiers.

The tier mix and family sizes follow KFF's Employer Health Benefits Survey 2024 (see
docs/synthetic.md): about half the covered workers take employee-only coverage.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from openaso.core.members import TierCode

Gender = Literal["F", "M"]
GENDERS: tuple[Gender, Gender] = ("M", "F")
# family tier → share of employees (percent)
TIER_MIX: dict[TierCode, int] = {"EE": 45, "ES": 20, "EC": 15, "FAM": 20}
NAMES = (  # surnames | women's first names | men's first names
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ "
    "GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE"
    "|MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA SARAH KAREN NANCY"
    "|JAMES ROBERT JOHN MICHAEL DAVID WILLIAM RICHARD JOSEPH THOMAS CHARLES DANIEL"
)
LAST_NAMES, WOMEN, MEN = (part.split() for part in NAMES.split("|"))
FIRST_NAMES: dict[Gender, list[str]] = {"F": WOMEN, "M": MEN}


@dataclass(frozen=True, slots=True)
class Person:
    member_id: str
    relationship: Literal["18", "01", "19"]  # X12 INS02: self, spouse, child
    last: str
    first: str
    birth: date
    gender: Gender

    def age_on(self, day: date) -> int:
        return (
            day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))
        )


@dataclass(frozen=True, slots=True)
class Family:
    id: str  # the subscriber's member id, which is also the family's
    tier: TierCode
    people: tuple[Person, ...]  # the subscriber first
    start: date  # coverage begins (hires after January start on the first of a month)
    dental: bool
    std: bool  # the employee elected short-term disability

    @property
    def subscriber(self) -> Person:
        return self.people[0]


@dataclass(frozen=True, slots=True)
class Population:
    sponsor: str
    year: int
    families: tuple[Family, ...]

    def people(self) -> Iterator[tuple[Family, Person]]:
        for family in self.families:
            for person in family.people:
                yield family, person


def draw_family(
    rng: random.Random, number: int, year: int, *, room: int | None = None,
    new_hires: bool = False,
) -> Family:  # fmt: skip
    """Family `number`: its tier drawn from TIER_MIX, cut to `room` people when given."""
    tier = rng.choices(list(TIER_MIX), list(TIER_MIX.values()))[0]
    roles: list[Literal["18", "01", "19"]] = ["18"]
    roles += ["01"] * (tier in ("ES", "FAM"))
    roles += ["19"] * (rng.randint(1, 3) if tier in ("EC", "FAM") else 0)
    roles = roles[:room] if room is not None else roles
    spouse, children = "01" in roles, "19" in roles
    tier = "FAM" if spouse and children else "ES" if spouse else "EC" if children else "EE"
    dental = rng.random() < 0.7
    std = rng.random() < 0.5
    family_id = f"E{number:08d}"
    last = rng.choice(LAST_NAMES)
    born = year - rng.randint(22, 64)
    start = date(year, 1, 1)
    if new_hires and rng.random() < 0.08:
        start = date(year, rng.randint(2, 12), 1)
    people = []
    for index, code in enumerate(roles):
        gender: Gender = rng.choice(GENDERS)
        birth = date(born + (rng.randint(-3, 3) if code == "01" else 0), 1, 1)
        if code == "19":
            age = rng.randint(0, 25)
            birth = date(min(year - 1, max(born + 18, year - age)), 1, 1)
        birth += timedelta(days=rng.randrange(365))
        member_id = family_id if code == "18" else f"{family_id}{index:02d}"
        people.append(Person(member_id, code, last, rng.choice(FIRST_NAMES[gender]), birth, gender))
    return Family(family_id, tier, tuple(people), start, dental, std)


def draw_population(rng: random.Random, employees: int, sponsor: str, year: int) -> Population:
    """`employees` families, some hired during the year."""
    families = tuple(
        draw_family(rng, number, year, new_hires=True) for number in range(1, employees + 1)
    )
    return Population(sponsor, year, families)


def draw_members(rng: random.Random, members: int, sponsor: str, year: int) -> Population:
    """Whole families of exactly `members` people (the last family cut to fit)."""
    families: list[Family] = []
    written = 0
    while written < members:
        family = draw_family(rng, len(families) + 1, year, room=members - written)
        families.append(family)
        written += len(family.people)
    return Population(sponsor, year, tuple(families))
