"""The synthetic book: seeded, calibrated to published figures, and well-formed money."""

import random
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from openaso.core.npi import npi_problem
from openaso.synthetic.book import Book, allowed_of, allowed_per_employee, draw_book, write_book
from openaso.synthetic.catalogue import FEES, FORMULARY, PROVIDERS, UNLISTED
from openaso.synthetic.claims import draw_claims
from openaso.synthetic.population import TIER_MIX, draw_members, draw_population

# KFF Employer Health Benefits Survey 2024: average annual premiums (docs/synthetic.md)
KFF_SINGLE, KFF_FAMILY = 895_100, 2_557_200
TOLERANCE = 0.15


@cache
def large_book() -> Book:
    """2,000 employees: enough for the tails to show (drawn once for the tests below)."""
    return draw_book(2000, 2026, 2026)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    write_book(draw_book(25, 7, 2026, months=3), tmp_path / "a")
    write_book(draw_book(25, 7, 2026, months=3), tmp_path / "b")
    first, second = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert len(first) > 10
    assert first == second


def test_another_seed_writes_another_book(tmp_path: Path) -> None:
    write_book(draw_book(25, 7, 2026, months=3), tmp_path / "a")
    write_book(draw_book(25, 8, 2026, months=3), tmp_path / "b")
    first, second = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert first["enrolment/demo-2026.834"] != second["enrolment/demo-2026.834"]


def test_cost_per_employee_by_tier_is_within_15_percent_of_kff_2024_premiums() -> None:
    allowed = allowed_per_employee(large_book())
    assert abs(allowed["EE"] / KFF_SINGLE - 1) < TOLERANCE, allowed
    assert abs(allowed["FAM"] / KFF_FAMILY - 1) < TOLERANCE, allowed
    assert allowed["EE"] < allowed["ES"] < allowed["FAM"]
    assert allowed["EE"] < allowed["EC"] < allowed["FAM"]


def test_a_few_members_cost_most_and_catastrophic_claimants_exist() -> None:
    book = large_book()
    cost: Counter[str] = Counter()
    for bill in book.claims.bills:
        if bill.kind != "D":  # medical and drug cost, as the figures compared count it
            cost[bill.patient.member_id] += allowed_of(bill)
    for fill in book.claims.fills:
        cost[fill.member_id] += fill.allowed
    members = sum(len(family.people) for family in book.population.families)
    ranked = sorted(cost.values(), reverse=True)
    top_5_percent = sum(ranked[: members // 20]) / sum(ranked)
    assert 0.35 < top_5_percent < 0.65  # "roughly 5% of a population uses 50%" (domain.md §7)
    assert sum(1 for value in ranked if value > 15_000_000) >= 5  # over $150,000 in a year
    no_claims = members - len(cost)
    assert 0.05 < no_claims / members < 0.30


def test_the_tier_mix_follows_the_published_shares() -> None:
    population = draw_population(random.Random(1), 4000, "demo", 2026)
    tiers = Counter(family.tier for family in population.families)
    for tier, share in TIER_MIX.items():
        assert abs(tiers[tier] / 4000 * 100 - share) < 3, tiers


def test_the_benchmark_population_has_exactly_the_members_asked_for() -> None:
    population = draw_members(random.Random(834), 1001, "ACME", 2026)
    assert sum(len(family.people) for family in population.families) == 1001
    assert {family.start for family in population.families} == {date(2026, 1, 1)}


def test_every_provider_has_a_valid_npi_and_every_code_a_fee_or_an_examiner() -> None:
    assert all(npi_problem(provider.npi) is None for provider in PROVIDERS)
    assert len({provider.npi for provider in PROVIDERS}) == len(PROVIDERS)
    book = draw_book(200, 3, 2026)
    codes = {line.code for bill in book.claims.bills for line in bill.claim.lines}
    assert codes <= FEES.keys() | UNLISTED.keys()
    assert {fill.ndc for fill in book.claims.fills} <= FORMULARY.keys()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32), employees=st.integers(1, 12), months=st.integers(1, 14))
def test_every_drawn_claim_is_whole_and_inside_its_members_coverage(
    seed: int, employees: int, months: int
) -> None:
    rng = random.Random(seed)
    population = draw_population(rng, employees, "demo", 2026)
    claims = draw_claims(rng, population, months)
    people = {person.member_id: family for family, person in population.people()}
    for bill in claims.bills:
        claim = bill.claim
        family = people[claim.member_id]
        assert bill.family is family
        assert claim.billed == sum(line.billed for line in claim.lines) > 0
        assert all(line.billed > 0 and line.units >= 1 for line in claim.lines)
        assert 0 <= allowed_of(bill) <= claim.billed
        assert claim.received > claim.last_service_date
        assert all(line.service_date >= family.start for line in claim.lines)
        assert (bill.kind == "D") == (claim.coverage == "dental")
        assert bill.kind != "D" or family.dental
    for fill in claims.fills:
        assert fill.member_id in people
        assert fill.ingredient_cost > 0
        assert fill.allowed == fill.ingredient_cost + fill.dispensing_fee
    assert len({bill.claim.id for bill in claims.bills}) == len(claims.bills)
    assert len({fill.id for fill in claims.fills}) == len(claims.fills)
