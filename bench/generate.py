"""A seeded synthetic book for benchmarks: families, enrolments and a mix of medical lines."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from openaso.core.claims import Claim, ServiceLine
from openaso.core.members import Enrolment, Member
from openaso.core.plan import Network

# code → (fee-schedule amount in cents, relative frequency); a professional-claims mix.
SERVICE_MIX: dict[str, tuple[int, int]] = {
    "99213": (9_500, 30),
    "99214": (13_000, 18),
    "99203": (11_000, 5),
    "99396": (18_000, 6),
    "99385": (17_500, 2),
    "80053": (1_400, 10),
    "85025": (1_000, 9),
    "36415": (300, 8),
    "71046": (3_500, 3),
    "72148": (60_000, 1),
    "73721": (55_000, 1),
    "93000": (2_000, 3),
    "98941": (4_500, 3),
    "97110": (3_200, 4),
    "29881": (500_000, 1),
    "99284": (35_000, 2),
    "15780": (90_000, 1),
    "90471": (2_500, 3),
    "G0439": (16_500, 1),
}
TIERS = ("EE", "ES", "EC", "FAM")


@dataclass(frozen=True, slots=True)
class Book:
    members: dict[str, Member]
    enrolments: dict[str, tuple[Enrolment, ...]]
    claims: list[Claim]
    fees: dict[str, int]

    @property
    def lines(self) -> int:
        return sum(len(c.lines) for c in self.claims)


def generate(families: int, lines: int, plan_id: str, seed: int = 2026) -> Book:
    rng = random.Random(seed)
    members: dict[str, Member] = {}
    enrolments: dict[str, tuple[Enrolment, ...]] = {}
    for f in range(families):
        tier = rng.choices(TIERS, weights=(45, 20, 15, 20))[0]
        size = {"EE": 1, "ES": 2, "EC": rng.randint(2, 4), "FAM": rng.randint(3, 6)}[tier]
        start = date(2026, 1, 1) if rng.random() < 0.9 else date(2026, rng.randint(2, 6), 1)
        for i in range(size):
            relationship = (
                "subscriber"
                if i == 0
                else ("spouse" if i == 1 and tier in ("ES", "FAM") else "child")
            )
            member = Member(f"M{f:05d}-{i:02d}", f"F{f:05d}", relationship, tier)  # type: ignore[arg-type]
            members[member.id] = member
            enrolments[member.id] = (Enrolment(member.id, "medical", start, plan_id=plan_id),)
    codes = list(SERVICE_MIX)
    weights = [w for _, w in SERVICE_MIX.values()]
    ids = list(members)
    claims: list[Claim] = []
    made = 0
    while made < lines:
        member_id = rng.choice(ids)
        service = date(2026, 1, 1) + timedelta(days=rng.randint(0, 350))
        count = min(rng.choice((1, 1, 2, 2, 3, 4)), lines - made)
        claim_lines = tuple(
            ServiceLine(n, code, service, round(SERVICE_MIX[code][0] * rng.uniform(1.1, 2.6)))
            for n, code in enumerate(rng.choices(codes, weights, k=count), start=1)
        )
        received = service + timedelta(days=rng.randint(3, 60))
        network: Network = "in" if rng.random() < 0.88 else "out"
        claims.append(
            Claim(f"C{len(claims):07d}", member_id, received, network, "1234567893", claim_lines)
        )
        made += count
    claims.sort(key=lambda c: c.received)
    fees = {code: amount for code, (amount, _) in SERVICE_MIX.items()}
    return Book(members, enrolments, claims, fees)
