"""The X12 tokenizer: separators from the ISA, numbered segments, and precise refusals."""

import re
from datetime import date
from pathlib import Path

import pytest

from openaso.adapters.x12.segments import (
    X12Error,
    parse_d8,
    parse_period,
    read_batches,
    read_segments,
    tokenize,
    tokenize_text,
    wrong_set,
    wrong_trailer,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "x12"
needs_samples = pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is not there")


def isa(element: str = "*", component: str = ":", terminator: str = "~") -> str:
    fields = ["00", " " * 10, "00", " " * 10, "ZZ", "SENDER".ljust(15), "ZZ"]
    fields += ["RECEIVER".ljust(15), "260401", "1200", "^", "00501", "000000001", "0", "P"]
    return element.join(["ISA", *fields, component]) + terminator


SIMPLE = isa() + "GS*BE*A*B*20260401*1200*1*X*005010X220A1~ST*834*0001~SE*2*0001~GE*1*1~IEA*1*1~"


def tags(text: str) -> list[str]:
    return [segment.tag for segment in tokenize_text(text, "test")]


def test_segments_are_numbered_from_the_isa_with_their_elements() -> None:
    segments = list(tokenize_text(SIMPLE, "test"))
    assert [s.number for s in segments] == [1, 2, 3, 4, 5, 6]
    assert segments[0].elements[:2] == ["ISA", "00"]
    assert segments[0].get(16) == ":"
    assert segments[2].elements == ["ST", "834", "0001"]
    assert segments[2].get(3) == ""  # an absent trailing element reads as empty
    assert segments[2].component == ":"


def test_the_separators_are_whatever_the_isa_says() -> None:
    text = isa("|", ">", "\n") + "GS|BE|A\nST|834|0001\nNM1|IL|1|DOE|JOHN\nSV1|HC>99213|10\n"
    segments = list(tokenize_text(text, "test"))
    assert [s.tag for s in segments] == ["ISA", "GS", "ST", "NM1", "SV1"]
    assert segments[3].elements == ["NM1", "IL", "1", "DOE", "JOHN"]
    assert segments[4].get(1).split(segments[4].component) == ["HC", "99213"]


def test_a_byte_order_mark_and_line_breaks_between_segments_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.x12"
    path.write_bytes(b"\xef\xbb\xbf" + SIMPLE.replace("~", "~\r\n  ").encode())
    assert [s.tag for s in read_segments(path)] == ["ISA", "GS", "ST", "SE", "GE", "IEA"]


def test_empty_segments_are_skipped_and_not_counted() -> None:
    segments = list(tokenize_text(isa() + "GS*BE~~ ~ST*834~", "test"))
    assert [(s.number, s.tag) for s in segments] == [(1, "ISA"), (2, "GS"), (3, "ST")]


def test_a_last_segment_without_its_terminator_is_still_read() -> None:
    assert tags(SIMPLE.removesuffix("~")) == ["ISA", "GS", "ST", "SE", "GE", "IEA"]


def test_two_interchanges_in_one_file_may_use_different_separators() -> None:
    second = isa("|", ">", "\n") + "GS|BE|C\nIEA|1|2\n"
    segments = list(tokenize_text(SIMPLE + "\n" + second, "test"))
    assert [s.tag for s in segments] == ["ISA", "GS", "ST", "SE", "GE", "IEA", "ISA", "GS", "IEA"]
    assert [s.number for s in segments][-3:] == [7, 8, 9]  # numbering runs on
    assert segments[7].elements == ["GS", "BE", "C"]
    assert segments[7].component == ">"


@pytest.mark.parametrize("size", [1, 2, 7, 105, 106, 107, 500])
def test_text_cut_into_chunks_anywhere_reads_the_same(size: int) -> None:
    text = SIMPLE + isa("|", ">", "\n") + "GS|BE|C\nIEA|1|2\n"
    chunks = [text[i : i + size] for i in range(0, len(text), size)]
    whole = [(s.number, s.elements) for s in tokenize_text(text, "test")]
    assert [(s.number, s.elements) for s in tokenize(chunks, "test")] == whole


def test_isa_inside_an_element_does_not_start_an_interchange() -> None:
    text = SIMPLE.replace("ST*834*0001~", "ST*834*0001~NM1*IL*1*LISA*ISABEL~\n N3*ISA ST~")
    segments = list(tokenize([text[:120], text[120:]], "test"))
    assert [s.tag for s in segments] == ["ISA", "GS", "ST", "NM1", "N3", "SE", "GE", "IEA"]
    assert segments[3].elements == ["NM1", "IL", "1", "LISA", "ISABEL"]


def test_batches_give_the_numbers_and_elements_of_the_segments(tmp_path: Path) -> None:
    text = SIMPLE + isa("|", ">", "\n") + "GS|BE|C\nIEA|1|2\n"
    path = tmp_path / "two.x12"
    path.write_text(text)
    batched = [
        (number, elements, component)
        for first, fields, component, _count in read_batches(path)
        for number, elements in enumerate(fields, first)
    ]
    assert batched == [(s.number, s.elements, s.component) for s in tokenize_text(text, "t")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "does not start with an ISA segment (found nothing)", id="empty"),
        pytest.param("GS*BE*A~ST*834~", "(found 'GS*BE*A~ST*834~')", id="no-isa"),
        pytest.param(SIMPLE[:60], "truncated ISA: the file ends 60 characters into it", id="cut"),
        pytest.param(isa("A"), "unknown element separator (ISA character 4) 'A'", id="letter"),
        pytest.param(isa(component=" "), "unknown component separator (ISA16) ' '", id="blank"),
        pytest.param(isa(terminator="Z"), "segment terminator (ISA character 106) 'Z'", id="Z"),
        pytest.param(isa(component="*"), "must be three different characters", id="same"),
        pytest.param(
            SIMPLE.replace("SENDER ", "SENDER*"), "ISA06 'SENDER' is 6 characters", id="extra"
        ),
        pytest.param(
            SIMPLE.replace("SENDER ", "SENDER") + " ", "ISA06 'SENDER        ' is 14", id="short"
        ),
        pytest.param(SIMPLE.replace("*", "|", 3), "the ISA has 3 elements with separator '|'"),
    ],
)
def test_a_file_that_cannot_be_tokenized_is_refused_with_the_reason(
    text: str, expected: str
) -> None:
    with pytest.raises(X12Error) as caught:
        list(tokenize_text(text, "in.x12"))
    assert expected in caught.value.finding.message
    assert str(caught.value.finding).startswith("in.x12:1: ISA: ")


def test_a_truncated_second_interchange_is_refused_after_the_first_is_read() -> None:
    read: list[str] = []
    with pytest.raises(X12Error, match=r"in\.x12:7: ISA: truncated ISA"):
        read.extend(s.tag for s in tokenize_text(SIMPLE + isa()[:50], "in.x12"))
    assert read == tags(SIMPLE)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.x12"
    path.write_bytes(SIMPLE.replace("SENDER", "S\xc9NDER").encode("latin-1"))
    with pytest.raises(X12Error, match="not UTF-8 text"):
        list(read_segments(path))


def test_a_missing_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(X12Error, match="cannot read the file"):
        list(read_segments(tmp_path / "absent.x12"))


def test_d8_dates_and_rd8_ranges_are_read_and_bad_ones_say_why() -> None:
    assert parse_d8("20260228") == date(2026, 2, 28)
    assert parse_d8("20260230") is None
    assert parse_d8("2026022") is None
    assert parse_period("D8", "20260101") == (date(2026, 1, 1), date(2026, 1, 1))
    assert parse_period("RD8", "20260101-20261231") == (date(2026, 1, 1), date(2026, 12, 31))
    assert parse_period("RD8", "20261231-20260101") == (
        "'20261231-20260101' is not a date range (CCYYMMDD-CCYYMMDD, start first)"
    )
    assert parse_period("D6", "260101") == "'D6' is not a date format OpenASO reads (D8 or RD8)"


def test_a_set_of_another_kind_is_named_with_what_was_expected() -> None:
    group, st, se = tuple(tokenize_text(SIMPLE, "test"))[1:4]
    assert wrong_set(st, group, "834", "BE", "005010X220A1") is None
    problem = wrong_set(st, group, "837", "HC", "005010X222A1")
    assert problem == (
        "ST01",
        "a 834 (benefit enrolment) set, GS01 BE, guide 005010X220A1: expected a 837 health care "
        "claim (ST01 837, GS01 HC, guide 005010X222A1); transaction set skipped",
    )
    assert wrong_trailer(st, se) == []


@needs_samples
@pytest.mark.parametrize(
    "path",
    sorted(p for p in SHARED.glob("*") if p.name != "README.md") if SHARED.is_dir() else [],
    ids=lambda p: p.name,
)
def test_every_public_x12_sample_tokenizes_or_is_refused_at_its_first_segment(path: Path) -> None:
    refused = {
        "edi__blue_cross_nc_sample.txt": "does not start with an ISA segment (found 'ST*835",
        "imsweb__837_5010__x12_no_isa_line.txt": "does not start with an ISA segment (found 'GS",
        "imsweb__837_5010__x12_bad_first_line.txt": "ISA02 '         ' is 9 characters",
    }
    if path.name in refused:
        with pytest.raises(X12Error, match=re.escape(refused[path.name])):
            list(read_segments(path))
        return
    segments = list(read_segments(path))
    assert [s.number for s in segments] == list(range(1, len(segments) + 1))
    found = [s.tag for s in segments]
    assert found.count("ISA") == found.count("IEA") >= 1
    assert found.count("ST") == found.count("SE") >= 1
