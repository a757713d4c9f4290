"""The EOB data model, built from what the engine decides (no database: the engine is pure)."""

from collections.abc import Mapping
from datetime import date

from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.yaml_source import read_yaml
from openaso.core.accumulators import AccumulatorKey
from openaso.core.adjudication import Adjudicator
from openaso.core.claims import Claim, ClaimHeader, LineReview, ServiceLine
from openaso.core.members import Enrolment, Member
from openaso.core.plan import MedicalPlan, Network
from openaso.services.eob import ClaimRecords, Eob, EobLine, build_eob
from tests.conftest import SCENARIOS

DAY = date(2026, 3, 2)
FEES = {"29881": 500_000, "99213": 9_500, "99396": 18_000}


def _plan(name: str) -> MedicalPlan:
    plan, findings = load_plan(read_yaml(SCENARIOS / "medical" / "plans" / f"{name}.yaml"))
    assert isinstance(plan, MedicalPlan), findings
    return plan


def _eob(
    lines: tuple[ServiceLine, ...],
    plan: str = "m-ppo-2026",
    balances: Mapping[AccumulatorKey, int] | None = None,
    tier: str = "EE",
    network: Network = "in",
    received: date = DAY,
    reviews: tuple[LineReview, ...] = (),
) -> Eob:
    """Adjudicate a claim of E1 (family F1) and build its EOB as the service would."""
    medical = _plan(plan)
    member = Member("E1", "F1", "subscriber", tier, "mesa")  # type: ignore[arg-type]
    spans = (Enrolment("E1", "medical", date(2026, 1, 1), plan_id=medical.id),)
    claim = Claim("C1", "E1", received, network, "1234567893", lines, reviews=reviews)
    before = dict(balances or {})
    decision = Adjudicator({medical.id: medical}, FEES).adjudicate(claim, member, spans, before)
    after = dict(before)
    for posting in decision.postings:
        after[posting.key] = after.get(posting.key, 0) + posting.amount
    header = ClaimHeader(1, "C1", "medical", "E1", "F1", decision.status, 1, received, 1, None)
    people = [{"id": "E1", "relationship": "subscriber", "first_name": "Ann", "last_name": "Lee"}]
    records = ClaimRecords(
        header, claim, decision.lines, people, None, member, spans, {medical.id: medical}, after
    )
    return build_eob(records, date(2026, 6, 1))


def _codes(line: EobLine) -> dict[str, int | None]:
    return {r.code: r.amount for r in line.reasons}


def test_copay_deductible_and_coinsurance_on_one_line_split_what_the_member_owes() -> None:
    # outpatient_surgery: copay 100, then the 1,000 deductible, then 20% of 3,900.
    eob = _eob((ServiceLine(1, "29881", DAY, 750_000),))
    (line,) = eob.lines
    amounts = line.amounts
    assert (amounts.billed, amounts.adjusted, amounts.allowed) == (750_000, 250_000, 500_000)
    assert (amounts.copay, amounts.deductible, amounts.coinsurance) == (10_000, 100_000, 78_000)
    assert (amounts.not_covered, amounts.member_owes, amounts.plan_paid) == (0, 188_000, 312_000)
    assert amounts.billed == amounts.adjusted + amounts.plan_paid + amounts.member_owes
    assert _codes(line) == {"CO-45": 250_000, "PR-3": 10_000, "PR-1": 100_000, "PR-2": 78_000}
    assert line.benefit == "outpatient surgery"
    assert eob.totals == amounts
    assert (eob.patient, eob.subscriber, eob.provider) == ("Ann Lee", "Ann Lee", "NPI 1234567893")


def test_the_standing_counts_the_claim_for_the_member_and_the_embedded_family() -> None:
    eob = _eob((ServiceLine(1, "29881", DAY, 750_000),))
    (plan,) = eob.standing
    assert (plan.plan, plan.network) == ("Mesa PPO", "in-network")
    rows = {(r.accumulator, r.level): (r.limit, r.met, r.remaining) for r in plan.rows}
    assert rows == {
        ("Deductible", "Individual"): (100_000, 100_000, 0),
        ("Deductible", "Family"): (200_000, 100_000, 100_000),
        ("Out-of-pocket maximum", "Individual"): (400_000, 188_000, 212_000),
        ("Out-of-pocket maximum", "Family"): (800_000, 188_000, 612_000),
    }


def test_an_aggregate_family_tier_member_stands_against_the_family_amounts_only() -> None:
    eob = _eob((ServiceLine(1, "99213", DAY, 15_000),), plan="m-agg-ppo-2026", tier="FAM")
    (plan,) = eob.standing
    assert {r.level for r in plan.rows} == {"Family"}


def test_a_denied_line_says_why_in_the_words_of_the_trace() -> None:
    eob = _eob((ServiceLine(1, "99213", DAY, 15_000),), received=date(2026, 7, 1))
    (line,) = eob.lines
    assert line.status == "denied"
    assert _codes(line) == {"CO-29": 15_000}
    assert line.amounts.member_owes == 0
    assert any(n.startswith("Details: received 121 days after") for n in line.notes)


def test_an_examiners_denial_shows_the_code_but_not_the_examiner_or_their_note() -> None:
    review = LineReview(1, "deny", "records say otherwise", "alice", group="CO", carc="50")
    eob = _eob((ServiceLine(1, "99213", DAY, 15_000),), reviews=(review,))
    (line,) = eob.lines
    assert _codes(line) == {"CO-50": 15_000}
    assert "alice" not in repr(eob)
    assert "records say otherwise" not in repr(eob)


def test_a_preventive_visit_paid_in_full_says_so() -> None:
    eob = _eob((ServiceLine(1, "99396", DAY, 25_000),))
    (line,) = eob.lines
    assert line.amounts.member_owes == 0
    assert "The deductible does not apply to this benefit." in line.notes
    assert "The plan paid the full allowed amount." in line.notes


def test_reaching_the_out_of_pocket_maximum_is_noted_on_the_line() -> None:
    nearly: dict[AccumulatorKey, int] = {("member", "E1", "m-ppo-2026", "oop_in"): 395_000}
    eob = _eob((ServiceLine(1, "29881", DAY, 750_000),), balances=nearly)
    (line,) = eob.lines
    assert line.amounts.member_owes == 5_000
    assert any("reached your out-of-pocket maximum" in n for n in line.notes)


def test_an_out_of_network_claim_warns_about_balance_billing() -> None:
    eob = _eob((ServiceLine(1, "99213", DAY, 15_000),), network="out")
    assert eob.network == "out-of-network"
    assert any("balance billing" in notice for notice in eob.notices)
    assert "balance billing" in eob.lines[0].reasons[0].text
