"""One synthetic book of business in a folder: documents, the 834, and claims by receipt week.

    DIR/manifest.json                  what was drawn and the files in intake order
    DIR/documents/                     plans, fee schedule, providers, stop-loss policy
    DIR/enrolment/<sponsor>-<year>.834 the audit 834 of every member
    DIR/claims/<monday>/837P.x12 ...   each week's 837P, 837I and 837D, and rx.yaml (PBM fills)

Files are named by the Monday of the week they are received, so running intake week by week in
name order replays the year as the administrator lived it.
"""

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openaso.core.claims import Fill
from openaso.core.members import TierCode
from openaso.core.money import format_cents
from openaso.synthetic.catalogue import FEES
from openaso.synthetic.claims import Bill, Claims, draw_claims
from openaso.synthetic.documents import write_documents
from openaso.synthetic.population import Population, draw_population
from openaso.synthetic.x12_834 import write_population_834
from openaso.synthetic.x12_837 import write_bills

OUT_OF_NETWORK_PERCENT = 140  # the generated medical plan's out-of-network pricing


@dataclass(frozen=True, slots=True)
class Book:
    population: Population
    claims: Claims
    months: int
    seed: int


def draw_book(
    employees: int, seed: int, year: int, months: int = 12, sponsor: str = "demo"
) -> Book:
    """The population and its claims, all from one `random.Random(seed)`."""
    rng = random.Random(seed)
    population = draw_population(rng, employees, sponsor, year)
    return Book(population, draw_claims(rng, population, months), months, seed)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def write_book(book: Book, folder: Path) -> dict[str, Any]:
    """Write every file of `book` into `folder` (created); returns the manifest written."""
    population = book.population
    sponsor, year = population.sponsor, population.year
    for sub in ("documents", "enrolment", "claims"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    documents = write_documents(folder / "documents", sponsor, year)
    enrolment = folder / "enrolment" / f"{sponsor}-{year}.834"
    write_population_834(enrolment, population, date(year - 1, 12, 15), book.seed)
    bills: dict[date, dict[str, list[Bill]]] = defaultdict(lambda: defaultdict(list))
    for bill in book.claims.bills:
        bills[week_of(bill.claim.received)][bill.kind].append(bill)
    fills: dict[date, list[Fill]] = defaultdict(list)
    for fill in book.claims.fills:
        fills[week_of(fill.fill_date)].append(fill)
    weeks = []
    control = 0
    for monday in sorted(bills.keys() | fills.keys()):
        week_folder = folder / "claims" / f"{monday}"
        week_folder.mkdir(exist_ok=True)
        files = []
        for kind in ("P", "I", "D"):
            of_kind = bills[monday].get(kind)
            if of_kind:
                control += 1
                path = week_folder / f"837{kind}.x12"
                write_bills(
                    path, of_kind, kind, created=monday + timedelta(days=6), control=control
                )
                files.append(path)
        if fills.get(monday):
            path = week_folder / "rx.yaml"
            path.write_text(_fills_yaml(fills[monday]), encoding="utf-8")
            files.append(path)
        weeks.append({"week": str(monday), "files": [str(p.relative_to(folder)) for p in files]})
    manifest = {
        "sponsor": sponsor,
        "year": year,
        "months": book.months,
        "seed": book.seed,
        "employees": len(population.families),
        "members": sum(len(family.people) for family in population.families),
        "claims": {kind: sum(b.kind == kind for b in book.claims.bills) for kind in "PID"},
        "fills": len(book.claims.fills),
        "allowed_per_employee": {
            tier: format_cents(cents) for tier, cents in allowed_per_employee(book).items()
        },
        "documents": {
            role: [str(p.relative_to(folder)) for p in paths] for role, paths in documents.items()
        },
        "enrolment": str(enrolment.relative_to(folder)),
        "weeks": weeks,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _fills_yaml(fills: list[Fill]) -> str:
    rows = [
        f'  - {{id: {f.id}, member: {f.member_id}, ndc: "{f.ndc}", fill_date: {f.fill_date}, '
        f"days_supply: {f.days_supply}, quantity: {f.quantity}, "
        f'ingredient_cost: "{format_cents(f.ingredient_cost)}", '
        f'dispensing_fee: "{format_cents(f.dispensing_fee)}"}}\n'
        for f in fills
    ]
    return "# Pharmacy claims from the PBM (openaso claims receive).\npharmacy_claims:\n" + "".join(
        rows
    )


def allowed_of(bill: Bill) -> int:
    """What the plan allows on a bill, priced as the generated medical and dental plans price:
    the lesser of billed and the fee (x 140% out of network) x units; unlisted codes, which an
    examiner prices, count at nothing."""
    percent = 100 if bill.billing.network == "in" or bill.kind == "D" else OUT_OF_NETWORK_PERCENT
    total = 0
    for line in bill.claim.lines:
        fee = FEES.get(line.code)
        if fee is not None:
            total += min(line.billed, fee * line.units * percent // 100)
    return total


def allowed_per_employee(book: Book) -> dict[TierCode, int]:
    """Medical and drug allowed per covered employee a year, by tier (dental is left out, as
    the KFF premiums it is compared with leave it out), in cents."""
    population, year = book.population, book.population.year
    end = date(year, 1, 1) + timedelta(days=round(book.months * 365 / 12))
    tier_of = {person.member_id: family.tier for family, person in population.people()}
    allowed: dict[TierCode, int] = defaultdict(int)
    for bill in book.claims.bills:
        if bill.kind != "D":
            allowed[bill.family.tier] += allowed_of(bill)
    for fill in book.claims.fills:
        allowed[tier_of[fill.member_id]] += fill.allowed
    exposure: dict[TierCode, float] = defaultdict(float)
    for family in population.families:
        exposure[family.tier] += max(0, (end - max(family.start, date(year, 1, 1))).days) / 365
    return {
        tier: round(allowed[tier] / exposure[tier])
        for tier in ("EE", "ES", "EC", "FAM")
        if exposure[tier]
    }
