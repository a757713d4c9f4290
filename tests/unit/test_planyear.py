"""The plan-year figures: domain.md §5's budget and maximum claims liability, ledger flows."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from openaso.adapters.files.stoploss_document import load_stoploss_file
from openaso.core.dates import add_months
from openaso.core.invoicing import FeeContract, MemberMonth
from openaso.core.ledger import (
    Account,
    AccountKind,
    AdminFeeCredited,
    AdminFeeInvoiced,
    Entry,
    FundingReceived,
    FundingRequested,
    LedgerEvent,
    Payee,
    PaymentIssued,
    StopLossPremiumCredited,
    StopLossPremiumInvoiced,
    StopLossReimbursementFiled,
    balances,
    entries_for,
    reverse,
)
from openaso.core.members import TierCode
from openaso.core.planyear import budget, ledger_figures, maximum_liability
from tests.conftest import ROOT
from tests.unit.test_invoicing import acme

JAN = date(2026, 1, 1)
MONTHS = [add_months(JAN, i) for i in range(12)]
YEAR_END = date(2026, 12, 31)


def enrolled(ee: int, fam: int) -> dict[TierCode, int]:
    return {"EE": ee, "FAM": fam}


def test_the_budget_is_working_rates_times_member_months() -> None:
    billed = [(MemberMonth(f"E{i}", m, "EE"), 1) for i in range(120) for m in MONTHS]
    billed += [(MemberMonth(f"F{i}", m, "FAM"), 1) for i in range(80) for m in MONTHS]
    # (120 × 491 + 80 × 1,256) × 12 = 1,912,800 (domain.md §5's expected total)
    assert budget(acme(), billed) == 191_280_000
    credit = (MemberMonth("E0", JAN, "EE"), -1)
    assert budget(acme(), [*billed, credit]) == 191_280_000 - 49_100


def test_the_maximum_claims_liability_is_the_attachment_plus_fixed_costs() -> None:
    contract = acme()
    policy = contract.versions[0].stoploss
    assert policy is not None
    liability = maximum_liability(contract, policy, dict.fromkeys(MONTHS, enrolled(120, 80)))
    assert liability is not None
    assert liability.aggregate_attachment == 184_800_000  # 12 × 154,000
    assert liability.fixed_costs == 43_440_000
    assert liability.total == 228_240_000  # domain.md §5: $2,282,400 before lasers and ASD
    assert liability.projected_months == 0


def test_months_not_invoiced_yet_are_projected_at_the_last_enrolment() -> None:
    contract = acme()
    policy = contract.versions[0].stoploss
    assert policy is not None
    liability = maximum_liability(contract, policy, {JAN: enrolled(120, 80)})
    assert liability is not None
    assert liability.projected_months == 11
    assert liability.total == 228_240_000


def test_a_sponsor_invoiced_from_mid_year_is_projected_back_from_its_first_month() -> None:
    contract = acme()
    policy = contract.versions[0].stoploss
    assert policy is not None
    later = {date(2026, 3, 1): enrolled(120, 80), date(2027, 1, 1): enrolled(1, 0)}
    liability = maximum_liability(contract, policy, later)
    assert liability is not None
    assert liability.projected_months == 11
    assert liability.total == 228_240_000
    assert maximum_liability(contract, policy, {date(2027, 1, 1): enrolled(1, 0)}) is None


def test_an_enrolment_drop_leaves_the_minimum_attachment_in_force() -> None:
    contract = acme()
    policy = contract.versions[0].stoploss
    assert policy is not None
    months = {m: enrolled(120, 80) if m.month <= 6 else enrolled(100, 60) for m in MONTHS}
    liability = maximum_liability(contract, policy, months)
    assert liability is not None
    assert liability.aggregate_attachment == 175_560_000  # 0.95 × 154,000 × 12 (domain §4.6)


def test_lasers_and_the_asd_add_their_retentions_and_an_exclusion_is_named() -> None:
    path = ROOT / "tests" / "fixtures" / "stoploss" / "good" / "acme-sl-2026.yaml"
    policy, findings = load_stoploss_file(path)
    assert policy is not None, findings
    terms = acme().versions[0]
    contract = FeeContract("acme", (replace(terms, stoploss=policy),))
    liability = maximum_liability(contract, policy, {JAN: enrolled(120, 80)})
    assert liability is not None
    assert liability.laser_retention == 15_000_000  # L1: 250,000 − 100,000
    assert liability.asd_retention == 5_000_000
    assert liability.excluded_members == ("X1",)
    assert liability.total == 228_240_000 + 20_000_000


amounts = st.integers(1, 10_000_000)


@given(st.lists(st.tuples(st.integers(0, 6), amounts, st.booleans(), st.integers(-30, 400))))
def test_the_ledger_figures_are_the_flows_of_their_accounts_inside_the_year(
    events: list[tuple[int, int, bool, int]],
) -> None:
    provider = Payee("provider", "1234567893")
    entries: list[Entry] = []
    want = dict.fromkeys(("funded", "paid", "fees", "premiums", "reimbursed"), 0)
    for kind, amount, reversed_, day in events:
        on = JAN + timedelta(days=day)  # some before the year, some after it
        inside = JAN <= on <= YEAR_END
        choices: list[tuple[LedgerEvent, str | None, int]] = [
            (FundingRequested("acme", on, "FR", amount), None, 1),
            (FundingReceived("acme", on, "FR", amount), "funded", 1),
            (PaymentIssued("acme", on, "C1", provider, "eft", amount), "paid", 1),
            (AdminFeeInvoiced("acme", on, "INV", amount), "fees", 1),
            (AdminFeeCredited("acme", on, "INV", amount), "fees", -1),
            (StopLossPremiumInvoiced("acme", on, "INV", "re", amount), "premiums", 1),
            (StopLossPremiumCredited("acme", on, "INV", "re", amount), "premiums", -1),
        ]
        event, figure, sign = choices[kind]
        entry = entries_for(event)
        entries.append(reverse(entry) if reversed_ else entry)
        if figure and inside:
            want[figure] += -sign * amount if reversed_ else sign * amount
    filed = entries_for(StopLossReimbursementFiled("acme", JAN, "S1", "re", "specific", 700))
    entries.append(filed)
    figures = ledger_figures(entries, JAN, YEAR_END)
    assert (figures.funded, figures.paid_claims, figures.fees, figures.premiums) == (
        want["funded"], want["paid"], want["fees"], want["premiums"],
    )  # fmt: skip
    assert figures.stop_loss_reimbursed == 700
    # the fees are what the year's entries credited to fees earned, no more, no less
    year = [e for e in entries if JAN <= e.on <= YEAR_END]
    earned = balances(year).get(Account(AccountKind.ADMIN_FEES_EARNED, "acme"), 0)
    assert figures.fees == -earned
