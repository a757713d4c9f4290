"""The claim lifecycle on file: pend and release, void, adjust, and what they do to later claims."""

from collections.abc import Callable
from datetime import date

import pytest

from openaso.core.claims import LineReview
from openaso.services.adjudication import adjudicate_waiting, reference_data, settle_families
from openaso.services.intake import DuplicateClaimIdError, receive_claims
from openaso.services.lifecycle import ClaimActionError, adjust_claim, review_line, void_claim
from openaso.services.ports import UnitOfWork
from tests.integration.books import AT, claim, open_book, subscriber

Book = Callable[[], UnitOfWork]


@pytest.fixture
def book(database_url: str) -> Book:
    return open_book(database_url, [subscriber("E1")])


def _line(new_uow: Book, claim_id: str) -> tuple[str, int, int, dict[str, int]]:
    with new_uow() as uow:
        (line,) = uow.claims.lines(claim_id)
    return (
        line.status,
        line.allowed,
        line.plan_paid,
        {f"{g}-{r}": a for g, r, a in line.adjustments},
    )


def _acc(new_uow: Book, name: str) -> int:
    with new_uow() as uow:
        return uow.accumulators.value(("member", "E1", "acme-ppo-2026", name))


def _settle(new_uow: Book, family: str) -> None:
    settle_families(new_uow(), [family], reference_data(new_uow()))


def test_a_released_pended_claim_takes_its_place_before_later_claims(book: Book) -> None:
    # A (an MRI with no fee-schedule amount) pends; B, received later, takes the deductible.
    receive_claims(
        book(),
        [
            claim("A", "E1", "72148", 180_000, date(2026, 3, 2)),
            claim("B", "E1", "29881", 1_200_000, date(2026, 3, 9)),
        ],
    )
    adjudicate_waiting(book)
    assert _line(book, "A")[0] == "pended"
    assert _line(book, "B") == (
        "approved",
        500_000,
        280_000,
        {"CO-45": 700_000, "PR-1": 150_000, "PR-2": 70_000},
    )
    family = review_line(
        book(), "A", LineReview(1, "approve", "priced from invoice", "ex1", 100_000), AT
    )
    _settle(book, family)
    # A first: deductible 1,000 of 1,500, nothing left to coinsure. B: deductible 500, 20% of 4,500.
    assert _line(book, "A") == ("approved", 100_000, 0, {"CO-45": 80_000, "PR-1": 100_000})
    assert _line(book, "B") == (
        "approved",
        500_000,
        360_000,
        {"CO-45": 700_000, "PR-1": 50_000, "PR-2": 90_000},
    )
    assert _acc(book, "deductible_in") == 150_000
    assert _acc(book, "oop_in") == 100_000 + 50_000 + 90_000


def test_a_denied_pended_line_is_a_denial_with_the_examiners_code(book: Book) -> None:
    receive_claims(book(), [claim("A", "E1", "72148", 180_000, date(2026, 3, 2))])
    adjudicate_waiting(book)
    family = review_line(
        book(), "A", LineReview(1, "deny", "no records", "ex1", group="CO", carc="16"), AT
    )
    _settle(book, family)
    assert _line(book, "A") == ("denied", 0, 0, {"CO-16": 180_000})


def test_voiding_a_claim_gives_its_deductible_to_the_next_claim(book: Book) -> None:
    receive_claims(
        book(),
        [
            claim("A", "E1", "29881", 1_200_000, date(2026, 3, 2)),
            claim("B", "E1", "29881", 1_300_000, date(2026, 3, 9)),
        ],
    )
    adjudicate_waiting(book)
    assert _line(book, "B")[2] == 400_000  # deductible met by A: 80% of 5,000
    _settle(book, void_claim(book(), "A", "sent in error", "ex1", AT))
    with book() as uow:
        assert uow.claims.status_of("A") == "voided"
        assert uow.claims.header("B").decision_no == 2  # type: ignore[union-attr]
    assert _line(book, "B") == (
        "approved",
        500_000,
        280_000,
        {"CO-45": 800_000, "PR-1": 150_000, "PR-2": 70_000},
    )
    assert _acc(book, "deductible_in") == 150_000
    assert _acc(book, "oop_in") == 220_000


def test_an_adjustment_is_decided_in_the_originals_place(book: Book) -> None:
    receive_claims(
        book(),
        [
            claim("A", "E1", "99213", 15_000, date(2026, 3, 2)),
            claim("B", "E1", "29881", 1_200_000, date(2026, 3, 9)),
        ],
    )
    adjudicate_waiting(book)
    new_id, family = adjust_claim(
        book(), "A", {1: {"code": "29881", "billed": 900_000}}, "wrong code", "ex1", AT
    )
    _settle(book, family)
    assert new_id == "A-A1"
    with book() as uow:
        assert uow.claims.status_of("A") == "replaced"
        assert uow.claims.header("A-A1").replaces == "A"  # type: ignore[union-attr]
    # The replacement is first in line: it takes the whole deductible, B none of it.
    assert _line(book, "A-A1") == (
        "approved",
        500_000,
        280_000,
        {"CO-45": 400_000, "PR-1": 150_000, "PR-2": 70_000},
    )
    assert _line(book, "B") == ("approved", 500_000, 400_000, {"CO-45": 700_000, "PR-2": 100_000})
    assert _acc(book, "oop_in") == 150_000 + 70_000 + 100_000  # the copay of A is reversed


def test_actions_that_do_not_apply_say_why(book: Book) -> None:
    receive_claims(book(), [claim("A", "E1", "99213", 15_000, date(2026, 3, 2))])
    adjudicate_waiting(book)
    with pytest.raises(ClaimActionError, match="A is approved, not pended"):
        review_line(book(), "A", LineReview(1, "approve", "x", "ex1", 100), AT)
    with pytest.raises(ClaimActionError, match="no claim Z on file"):
        void_claim(book(), "Z", "x", "ex1", AT)
    void_claim(book(), "A", "x", "ex1", AT)
    with pytest.raises(ClaimActionError, match="A is voided: only a decided claim"):
        void_claim(book(), "A", "again", "ex1", AT)
    with pytest.raises(DuplicateClaimIdError, match="claim A is already on file"):
        receive_claims(book(), [claim("A", "E1", "99213", 15_000, date(2026, 3, 2))])


def test_every_decision_of_a_claim_is_kept(book: Book, database_url: str) -> None:
    from sqlalchemy import create_engine, text

    receive_claims(
        book(),
        [
            claim("A", "E1", "29881", 1_200_000, date(2026, 3, 2)),
            claim("B", "E1", "99213", 15_000, date(2026, 3, 9)),
        ],
    )
    adjudicate_waiting(book)
    _settle(book, void_claim(book(), "A", "x", "ex1", AT))
    engine = create_engine(database_url)
    with engine.connect() as conn:
        kept = (
            conn.execute(
                text(
                    "SELECT d.decision_no FROM line_decisions d"
                    " JOIN claims c ON c.seq = d.claim_seq"
                    " WHERE c.id = 'B' ORDER BY d.decision_no"
                )
            )
            .scalars()
            .all()
        )
        audit = conn.execute(
            text("SELECT action, actor FROM audit_log WHERE entity_id = 'A'")
        ).all()
    engine.dispose()
    assert kept == [1, 2]
    assert [tuple(a) for a in audit] == [("void", "ex1")]
