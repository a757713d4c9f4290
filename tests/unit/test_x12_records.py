"""Frozen records made fast by `builder`: the same values as their own constructor makes."""

import gc
from dataclasses import FrozenInstanceError, InitVar, dataclass, field
from datetime import date
from pathlib import Path

import pytest
from bench.generate_837 import sample_claims, write_837
from hypothesis import given
from hypothesis import strategies as st

from openaso.adapters.x12.claims_837 import read_837
from openaso.adapters.x12.claims_837_lines import make_claim, make_line
from openaso.adapters.x12.records import builder
from openaso.core.claims import Claim, ServiceLine

lines = st.builds(
    ServiceLine,
    st.integers(1, 99),
    st.text(max_size=5),
    st.dates(),
    st.integers(0, 10**9),
    st.lists(st.text(max_size=2), max_size=4).map(tuple),
    st.integers(1, 99),
    st.none() | st.integers(0, 10**9),
)


@given(lines)
def test_a_built_service_line_equals_and_hashes_as_the_constructed_one(line: ServiceLine) -> None:
    built = make_line(
        line.number, line.code, line.service_date, line.billed, line.modifiers, line.units,
        line.repriced,
    )  # fmt: skip
    assert type(built) is ServiceLine
    assert built == line
    assert hash(built) == hash(line)
    assert repr(built) == repr(line)


@given(st.lists(lines, min_size=1, max_size=4).map(tuple), st.sampled_from(["medical", "dental"]))
def test_a_built_claim_equals_the_constructed_one(
    claim_lines: tuple[ServiceLine, ...], coverage: str
) -> None:
    made = Claim("C1", "M1", date(2026, 3, 1), "in", "1234567893", claim_lines, coverage)  # type: ignore[arg-type]
    built = make_claim("C1", "M1", date(2026, 3, 1), "in", "1234567893", claim_lines, coverage, ())
    assert built == made


def test_a_built_record_stays_frozen() -> None:
    built = make_line(1, "99213", date(2026, 3, 1), 100, (), 1, None)
    with pytest.raises(FrozenInstanceError):
        built.billed = 0  # type: ignore[misc]


def test_a_builder_refuses_a_class_whose_init_does_more_than_set_fields() -> None:
    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value > 0

    @dataclass(frozen=True, slots=True)
    class WithInitVar:
        value: int
        scale: InitVar[int]

    @dataclass(frozen=True, slots=True)
    class Derived:
        value: int
        twice: int = field(init=False, default=0)

    @dataclass(frozen=True)
    class Unslotted:
        value: int

    @dataclass(slots=True)
    class Mutable:
        value: int

    for cls in (Checked, WithInitVar, Derived, Unslotted, Mutable):
        with pytest.raises(TypeError, match=cls.__name__):
            builder(cls)


def test_reading_an_837_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    path = write_837(tmp_path / "g.837", sample_claims(3), "P")
    collecting: set[bool] = set()
    assert gc.isenabled()
    read_837(path, on_set=lambda index, transaction: collecting.add(gc.isenabled()))
    assert collecting == {True}  # the caller's work is collected as usual
    assert gc.isenabled()
    gc.disable()
    collecting.clear()
    try:
        read_837(path, on_set=lambda index, transaction: collecting.add(gc.isenabled()))
        assert collecting == {False}
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_set_closed_at_the_end_of_a_truncated_file_leaves_the_collector_on(
    tmp_path: Path,
) -> None:
    whole = write_837(tmp_path / "g.837", sample_claims(3), "P").read_text()
    path = tmp_path / "truncated.837"
    path.write_text(whole[: whole.rindex("SE*")])  # the last set has no SE, nor its IEA
    passed: list[bool] = []
    read_837(path, on_set=lambda index, transaction: passed.append(gc.isenabled()))
    assert passed
    assert all(passed)
    assert gc.isenabled()


def test_a_file_that_stops_the_reading_leaves_the_garbage_collector_on(tmp_path: Path) -> None:
    path = tmp_path / "broken.837"
    path.write_bytes(b"ISA*00*\xff\xfe")
    assert read_837(path).findings
    assert gc.isenabled()
