"""A seeded year of claims for a population: how often each member uses care and what it costs.

Frequency: each kind of episode (office visit, lab panel, imaging, ER, surgery, admission, ...)
happens a Poisson number of times a covered year, at a base rate scaled by the member's age and
sex (`intensity`) and by a gamma frailty drawn per member, so that counts are negative
binomial. Severity: professional services are priced from the fee schedule; lengths of stay
and ancillary units are lognormal (the body); 0.3% of members a year are catastrophic
claimants whose year costs Pareto(x_m = $150,000, alpha = 2.2) (the tail; domain.md §7).
Each claim is received after a lognormal lag from its last date of service.
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from openaso.core.claims import Claim, Fill, ServiceLine
from openaso.synthetic.catalogue import FEES, FORMULARY, PROVIDERS, UNLISTED, Kind, Provider
from openaso.synthetic.population import Family, Person, Population

CATASTROPHIC_RATE = 0.003  # a member-year
FRAILTY_SHAPE = 0.6
PARETO_SCALE, PARETO_ALPHA = 15_000_000, 2.2  # cents; alpha > 2: finite mean and variance
UNLISTED_RATE = 0.004  # of office visits: a code with no fee, which pends for an examiner
# received − last date of service, lognormal: median days and sigma by kind of claim
LAGS: dict[Kind, tuple[float, float]] = {"P": (12.0, 0.8), "I": (24.0, 0.7), "D": (8.0, 0.7)}

Line = tuple[str, int, date]  # code, units, date of service


@dataclass(frozen=True, slots=True)
class Bill:
    """One claim as the provider sends it on an 837."""

    claim: Claim  # id: the provider's claim number (CLM01); member_id: the patient's
    kind: Kind
    family: Family
    patient: Person
    diagnoses: tuple[str, ...]  # ICD-10, no decimal point, principal first
    place: str  # CLM05-1: place of service (P, D) or facility type (I: 11 inpatient, 13 outpatient)
    billing: Provider


@dataclass(frozen=True, slots=True)
class Claims:
    bills: tuple[Bill, ...]
    fills: tuple[Fill, ...]


def intensity(person: Person, on: date) -> float:
    """How much care a member uses, relative to the base rates (commercial age/sex curves)."""
    age = person.age_on(on)
    if age < 2:
        return 1.4
    if age < 18:
        return 0.45
    female = person.gender == "F"
    for upto, men, women in ((30, 0.75, 1.2), (40, 0.95, 1.45), (50, 1.35, 1.6), (60, 2.0, 2.1)):
        if age < upto:
            return women if female else men
    return 2.6


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are small)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


class _Draw:
    """The draws for one population: one counter for claim numbers, one random source."""

    def __init__(self, rng: random.Random, population: Population, end: date) -> None:
        self.rng, self.population, self.end = rng, population, end
        self.bills: list[Bill] = []
        self.fills: list[Fill] = []
        self.by_specialty: dict[str, list[Provider]] = {}
        for provider in PROVIDERS:
            self.by_specialty.setdefault(provider.specialty, []).append(provider)

    def provider(self, specialty: str) -> Provider:
        """In network 93% of the time when the specialty has an out-of-network provider."""
        choices = self.by_specialty[specialty]
        inside = [p for p in choices if p.network == "in"]
        outside = [p for p in choices if p.network == "out"]
        if outside and self.rng.random() < 0.07:
            return self.rng.choice(outside)
        return self.rng.choice(inside)

    def bill(
        self, family: Family, person: Person, specialty: str, lines: list[Line],
        diagnoses: tuple[str, ...], place: str,
    ) -> None:  # fmt: skip
        provider = self.provider(specialty)
        rng = self.rng
        service_lines = []
        for number, (code, units, day) in enumerate(lines, start=1):
            fee = FEES.get(code) or UNLISTED[code]
            billed = fee * units * provider.markup // 100 * rng.randint(95, 105) // 100
            service_lines.append(ServiceLine(number, code, day, max(billed, 100), (), units))
        last = max(day for _, _, day in lines)
        median, sigma = LAGS[provider.kind]
        lag = min(330, max(2, round(rng.lognormvariate(math.log(median), sigma))))
        claim = Claim(
            f"{provider.kind}{len(self.bills) + 1:07d}", person.member_id,
            last + timedelta(days=lag), provider.network, provider.npi, tuple(service_lines),
            "dental" if provider.kind == "D" else "medical",
        )  # fmt: skip
        self.bills.append(Bill(claim, provider.kind, family, person, diagnoses, place, provider))

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))


def draw_claims(rng: random.Random, population: Population, months: int) -> Claims:
    """Every member's claims for services in the first `months` months of the plan year."""
    year = population.year
    first = date(year, 1, 1)
    end = date(year + (months - 1) // 12, (months - 1) % 12 + 1, 1)
    end = date(end.year + end.month // 12, end.month % 12 + 1, 1) - timedelta(days=1)
    draw = _Draw(rng, population, end)
    for family, person in population.people():
        start = max(first, family.start)
        if start > end:
            continue
        years = ((end - start).days + 1) / 365
        # Gamma frailty (mean 1): rates differ between people of one age, so counts are
        # negative binomial and about a fifth of members claim nothing in a year.
        frailty = rng.gammavariate(FRAILTY_SHAPE, 1 / FRAILTY_SHAPE)
        scale = intensity(person, start) * frailty
        for episode, rate, scaled in EPISODES:
            if episode is _dental and not family.dental:
                continue
            for _ in range(poisson(rng, rate * years * (scale if scaled else frailty))):
                episode(draw, family, person, draw.day(start, end))
        if family.dental:
            _recalls(draw, family, person, start, end)
        if rng.random() < CATASTROPHIC_RATE * years:
            _catastrophic(draw, family, person, draw.day(start, end))
        _pharmacy(draw, person, start, end, scale)
    bills = sorted(draw.bills, key=lambda bill: (bill.claim.received, bill.claim.id))
    return Claims(tuple(bills), tuple(sorted(draw.fills, key=lambda f: (f.fill_date, f.id))))


Episode = Callable[[_Draw, Family, Person, date], None]


def _office(draw: _Draw, family: Family, person: Person, day: date) -> None:
    rng = draw.rng
    code = rng.choices(["99213", "99214", "99203", "99215"], [60, 28, 8, 4])[0]
    if rng.random() < UNLISTED_RATE:
        code = "99499"
    lines: list[Line] = [(code, 1, day)]
    if rng.random() < 0.25:
        lines += [("87880", 1, day)] if person.age_on(day) < 18 else [("36415", 1, day)]
    dx = rng.choice(["J069", "I10", "E119", "M5450", "J029", "R051", "F419", "E785"])
    draw.bill(family, person, "pcp", lines, (dx,), "11")


def _specialist(draw: _Draw, family: Family, person: Person, day: date) -> None:
    rng = draw.rng
    specialty, dx = rng.choice([("surgeon", "M25561"), ("surgeon", "M545"), ("obgyn", "N926")])
    if specialty == "obgyn" and person.gender != "F":
        specialty, dx = "surgeon", "M79604"
    code = rng.choices(["99204", "99214", "99215"], [30, 55, 15])[0]
    lines: list[Line] = [(code, 1, day)]
    if rng.random() < 0.3:
        lines.append(("71046" if specialty == "surgeon" else "76700", 1, day))
    draw.bill(family, person, specialty, lines, (dx,), "11")


def _preventive(draw: _Draw, family: Family, person: Person, day: date) -> None:
    age = person.age_on(day)
    code = "99393" if age < 12 else "99394" if age < 18 else "99395" if age < 40 else "99396"
    lines: list[Line] = [(code, 1, day)]
    if age < 18:
        lines.append(("90471", 1, day))
    else:
        lines += [("36415", 1, day), ("85025", 1, day)]
    draw.bill(family, person, "pcp", lines, ("Z00129" if age < 18 else "Z0000",), "11")


def _labs(draw: _Draw, family: Family, person: Person, day: date) -> None:
    codes = draw.rng.sample(["80053", "80061", "83036", "84443", "85025"], draw.rng.randint(1, 3))
    lines: list[Line] = [("36415", 1, day), *((code, 1, day) for code in codes)]
    draw.bill(
        family, person, "lab", lines, (draw.rng.choice(["E785", "R7303", "E039", "Z1322"]),), "81"
    )


def _imaging(draw: _Draw, family: Family, person: Person, day: date) -> None:
    code, dx = draw.rng.choices(
        [("71046", "R0602"), ("72148", "M5416"), ("73721", "M25561"), ("74177", "R1030"),
         ("76700", "R1011")], [45, 18, 15, 12, 10],
    )[0]  # fmt: skip
    draw.bill(family, person, "imaging", [(code, 1, day)], (dx,), "11")


def _therapy(draw: _Draw, family: Family, person: Person, day: date) -> None:
    rng = draw.rng
    chiro = rng.random() < 0.4
    for visit in range(rng.randint(4, 10)):
        on = day + timedelta(days=visit * 7)
        if on > draw.end:
            break
        if chiro:
            draw.bill(family, person, "chiro", [("98941", 1, on)], ("M9903",), "11")
        else:
            lines: list[Line] = [("97110", rng.randint(2, 3), on), ("97140", 1, on)]
            draw.bill(family, person, "therapy", lines, ("M25511",), "11")


def _emergency(draw: _Draw, family: Family, person: Person, day: date) -> None:
    rng = draw.rng
    dx = rng.choice(["R1030", "S93401A", "J189", "R079", "S0990XA", "N390"])
    code = rng.choices(["99283", "99284", "99285"], [35, 45, 20])[0]
    draw.bill(family, person, "er", [(code, 1, day)], (dx,), "23")
    lines: list[Line] = [("0450", 1, day), ("0300", rng.randint(1, 5), day)]
    if rng.random() < 0.45:
        lines.append(("0320", 1, day))
    if rng.random() < 0.15:
        lines.append(("0610", 1, day))
    draw.bill(family, person, "hospital", lines, (dx,), "13")


def _surgery(draw: _Draw, family: Family, person: Person, day: date) -> None:
    rng = draw.rng
    code, dx = rng.choice(
        [("29881", "M23221"), ("45378", "Z1211"), ("47562", "K8020"), ("49505", "K4090"),
         ("66984", "H2511")]
    )  # fmt: skip
    draw.bill(family, person, "surgeon", [(code, 1, day)], (dx,), "24")
    lines: list[Line] = [("0360", 1, day), ("0250", rng.randint(1, 8), day), ("0300", 2, day)]
    draw.bill(family, person, "asc", lines, (dx,), "13")


def _admission(draw: _Draw, family: Family, person: Person, day: date) -> None:
    """An inpatient stay: lognormal length of stay and ancillary units."""
    rng = draw.rng
    dx = rng.choice(["J189", "I214", "K3580", "A419", "I5023", "N179"])
    stay = min(30, max(1, round(rng.lognormvariate(math.log(3.2), 0.6))))
    out = min(day + timedelta(days=stay), draw.end)
    stay = max(1, (out - day).days)
    pharmacy = max(1, round(rng.lognormvariate(math.log(12 * stay), 0.8)))
    lines: list[Line] = [("0120", stay, day), ("0250", pharmacy, day), ("0300", 3 * stay, day)]
    if rng.random() < 0.2:
        lines.insert(1, ("0200", max(1, stay // 2), day))
    draw.bill(family, person, "hospital", lines, (dx,), "11")
    visits: list[Line] = [("99223", 1, day)]
    visits += [("99232", 1, day + timedelta(days=n)) for n in range(1, stay)]
    draw.bill(family, person, "hospitalist", visits, (dx,), "21")


def _maternity(draw: _Draw, family: Family, person: Person, day: date) -> None:
    if person.gender != "F" or not 20 <= person.age_on(day) <= 42 or person.relationship == "19":
        return
    draw.bill(family, person, "obgyn", [("59400", 1, day)], ("O80", "Z370"), "21")
    stay = min(day + timedelta(days=2), draw.end)
    lines: list[Line] = [("0720", 1, day), ("0120", 2, day), ("0170", 2, day), ("0250", 6, stay)]
    draw.bill(family, person, "hospital", lines, ("O80", "Z370"), "11")


def _dental(draw: _Draw, family: Family, person: Person, day: date) -> None:
    """A problem visit: an exam and a filling or, now and then, a crown."""
    rng = draw.rng
    lines: list[Line] = [("D0120", 1, day), ("D2391", rng.randint(1, 2), day)]
    if rng.random() < 0.15:
        lines.append(("D2740", 1, day))
    draw.bill(family, person, "dental", lines, (), "11")


def _recalls(draw: _Draw, family: Family, person: Person, start: date, end: date) -> None:
    """Twice-yearly check-ups (half the members keep both, a fifth none): exam, cleaning,
    fluoride for children, bitewings once a year."""
    rng = draw.rng
    months = (end - start).days // 30 + 1
    visits = min(rng.choices((0, 1, 2), (20, 30, 50))[0], (months + 5) // 6)
    first = draw.day(start, min(end, start + timedelta(days=150)))
    for visit in range(visits):
        day = min(first + timedelta(days=182 * visit), end)
        child = person.age_on(day) < 14
        lines: list[Line] = [("D0120", 1, day), ("D1120" if child else "D1110", 1, day)]
        if child:
            lines.append(("D1206", 1, day))
        if visit == 0:
            lines.append(("D0274", 1, day))
        draw.bill(family, person, "dental", lines, (), "11")


def _catastrophic(draw: _Draw, family: Family, person: Person, onset: date) -> None:
    """A year of Pareto-sized cost as a run of ICU stays from `onset`."""
    rng = draw.rng
    target = PARETO_SCALE / (1.0 - rng.random()) ** (1 / PARETO_ALPHA)
    dx = rng.choice(["C50911", "C9100", "I214", "N186", "C3490", "G1221"])
    stays = min(6, 1 + int(target // 20_000_000))
    for index in range(stays):
        day = onset + timedelta(days=index * rng.randint(21, 42))
        if day > draw.end:
            break
        icu = rng.randint(2, 6)
        fixed = icu * FEES["0200"] + 2 * FEES["0120"]
        units = max(1, round((target / stays - fixed) / FEES["0250"]))
        lines: list[Line] = [("0200", icu, day), ("0120", 2, day), ("0250", units, day)]
        draw.bill(family, person, "hospital", lines, (dx,), "11")
        draw.bill(family, person, "hospitalist", [("99223", 1, day)], (dx,), "21")


def _pharmacy(draw: _Draw, person: Person, start: date, end: date, scale: float) -> None:
    """Maintenance generics every 30 days, acute fills, and a rare specialty drug."""
    rng = draw.rng
    maintenance = [ndc for ndc in list(FORMULARY)[:4] if rng.random() < 0.16 * scale]
    if rng.random() < 0.05 * scale:
        maintenance.append("00002-8215-01")
    if rng.random() < 0.035 * scale and person.age_on(start) >= 18:
        maintenance.append("00169-4130-13")
    if rng.random() < 0.006:
        maintenance.append("50242-0040-62")
    for ndc in maintenance:
        day = start + timedelta(days=rng.randrange(30))
        while day <= end:
            _fill(draw, person, ndc, day, 30)
            day += timedelta(days=30 + rng.randint(0, 6))
    for _ in range(poisson(rng, 1.2 * ((end - start).days + 1) / 365 * scale)):
        ndc = rng.choices(["00093-3109-01", "00173-0682-20"], [85, 15])[0]
        _fill(draw, person, ndc, draw.day(start, end), 10 if ndc == "00093-3109-01" else 30)


def _fill(draw: _Draw, person: Person, ndc: str, day: date, days: int) -> None:
    cost = FORMULARY[ndc][1] * days // 30 * draw.rng.randint(90, 110) // 100
    fill_id = f"RX{len(draw.fills) + 1:07d}"
    draw.fills.append(Fill(fill_id, person.member_id, ndc, day, days, days, cost, 175))


# episode, base rate a member-year at intensity 1, whether the rate scales with intensity
EPISODES: tuple[tuple[Episode, float, bool], ...] = (
    (_office, 3.4, True),
    (_specialist, 1.2, True),
    (_preventive, 0.55, False),
    (_labs, 2.0, True),
    (_imaging, 0.6, True),
    (_therapy, 0.15, True),
    (_emergency, 0.22, False),
    (_surgery, 0.09, True),
    (_admission, 0.065, True),
    (_maternity, 0.06, False),
    (_dental, 0.3, False),
)
