"""Issue 5's invariants over random runs of claims, voids and payment runs (SQLite): the books
balance after every operation; Σ funding requested = what the claims cost now + the recoveries
still to collect (payments − recoveries applied); every approved line is paid exactly once."""

import tempfile
from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openaso.core.claims import Claim, ServiceLine
from openaso.core.ledger import Account, AccountKind, balances
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.lifecycle import void_claim
from openaso.services.payments import pay_run, receive_funding
from openaso.services.ports import UnitOfWork
from tests.integration.books import AT, open_book, subscriber

MEMBERS = ("A", "B", "C")
NPIS = ("1234567893", "1245319599")  # two payees, so recoveries net against the right one

Step = tuple[str, int, int]  # ("claim", member, dollars) | ("void", index, 0) | ("run", 0, 0)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("claim"), st.integers(0, 5), st.integers(1, 4_000)),
        st.tuples(st.just("void"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("run"), st.just(0), st.just(0)),
    ),
    max_size=14,
)


def _books_balance(new_uow: Callable[[], UnitOfWork]) -> dict[Account, int]:
    with new_uow() as uow:
        entries = uow.payments.entries("acme")
    assert all(sum(p.amount for p in entry.postings) == 0 for entry in entries)
    return balances(entries)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(script=steps)
def test_funding_requested_is_what_the_claims_cost_and_nothing_is_paid_twice(
    script: list[Step],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        new_uow = open_book(f"sqlite:///{folder}/p.db", [subscriber(m) for m in MEMBERS])
        received: list[str] = []
        day = date(2026, 2, 2)
        for n, (kind, which, dollars) in enumerate([*script, ("run", 0, 0)]):
            day += timedelta(days=1)
            if kind == "claim":
                member = MEMBERS[which % len(MEMBERS)]
                line = ServiceLine(1, "99213", day, dollars * 100, repriced=dollars * 100)
                claim = Claim(f"K{n}", member, day, "in", NPIS[which % 2], (line,))
                receive_claims(new_uow(), [claim])
                adjudicate_waiting(new_uow)
                received.append(claim.id)
            elif kind == "void" and received:
                claim_id = received.pop(which % len(received))
                void_claim(new_uow(), claim_id, "billed in error", "examiner", AT)
                adjudicate_waiting(new_uow)
            elif kind == "run":
                run = pay_run(new_uow(), "acme", day, actor="payer", at=AT)
                if run.funding_request is not None and run.total > 0:
                    receive_funding(new_uow(), run.funding_request, run.total, day,
                                    actor="sponsor", at=AT)  # fmt: skip
            _books_balance(new_uow)

        totals = _books_balance(new_uow)
        with new_uow() as uow:
            requested = sum(row.amount for row in uow.payments.funding_of("acme"))
        cost = totals.get(Account(AccountKind.CLAIMS_EXPENSE, "acme"), 0)
        to_recover = sum(
            amount for (account, amount) in totals.items()
            if account.kind is AccountKind.RECOVERIES_RECEIVABLE
        )  # fmt: skip
        assert requested == cost + to_recover
        owed = [a for a, v in totals.items() if a.kind is AccountKind.PROVIDER_PAYABLE and v]
        assert owed == []  # every approved line was paid by the last run...
        again = pay_run(new_uow(), "acme", day + timedelta(days=1), actor="payer", at=AT)
        assert again.total == 0  # ...and a further run pays none of it again
