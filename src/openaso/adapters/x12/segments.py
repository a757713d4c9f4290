"""The X12 segment tokenizer every X12 reader shares: separators from the ISA, numbered segments.

An interchange starts with a fixed-width ISA of 106 characters: character 4 is the element
separator, ISA16 (character 105) the component separator and character 106 the segment
terminator. A file may hold several interchanges, each with its own separators. Whitespace
(CR, LF, blanks) around segments and a UTF-8 byte-order mark are tolerated; an empty segment
(`~~`) is skipped. Segments are numbered from 1 at the file's first ISA and the numbering runs
on across interchanges, so `origin:number` points at one segment of the file.

Problems that stop the reading (no ISA, a truncated ISA, unusable separators, text that is not
UTF-8) raise `X12Error` carrying a `Finding`; segments already yielded stay good.

Also here: what every transaction reader checks the same way (the kind of a transaction set,
its SE trailer) and the D8/RD8 date forms.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from itertools import count, repeat
from pathlib import Path
from typing import NamedTuple

from openaso.adapters.files.yaml_source import Finding

ISA_LENGTH = 106
# ISA01..ISA16 are fixed-width: the width of each element.
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
CHUNK = 1 << 20  # characters read at a time
LEADING_ISA = re.compile(r"\s*ISA")
NOT_A_SEPARATOR = ": a separator is not a letter, digit or blank"
TRANSACTIONS = {
    "834": "benefit enrolment",
    "835": "claim payment/advice",
    "837": "health care claim",
    "270": "eligibility inquiry",
    "271": "eligibility response",
    "276": "claim status inquiry",
    "277": "claim status response",
    "999": "implementation acknowledgment",
}


class Segment(NamedTuple):
    """One segment: its number in the file and its elements; elements[0] is the segment ID."""

    number: int
    elements: list[str]
    component: str  # the component separator (ISA16) of its interchange

    @property
    def tag(self) -> str:
        return self.elements[0]

    def get(self, index: int) -> str:
        """Element `index` (1-based, as in `INS03`), or "" when the segment stops short."""
        elements = self.elements
        return elements[index] if index < len(elements) else ""


class X12Error(Exception):
    """The file cannot be tokenized any further."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


class Batch(NamedTuple):
    """Segments that follow one another in an interchange: the number of the first, and the
    elements of each (made as they are iterated, at C speed: no Python call per segment)."""

    first: int
    fields: Iterator[list[str]]
    component: str  # the component separator (ISA16) of their interchange
    size: int  # how many segments: the last is numbered first + size - 1


def read_segments(path: Path) -> Iterator[Segment]:
    """The segments of an X12 file, read in chunks (a file of any size fits in memory)."""
    for first, fields, component, _ in read_batches(path):
        yield from _segments(first, fields, component)


def read_batches(path: Path) -> Iterator[Batch]:
    """The segments of an X12 file a chunk at a time, for a reader that needs speed: iterate
    `enumerate(batch.fields, batch.first)` for (number, elements)."""
    origin = str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise X12Error(Finding(origin, None, "", f"cannot read the file: {exc}")) from None
    with handle:
        try:
            yield from batches(iter(lambda: handle.read(CHUNK), ""), origin)
        except UnicodeDecodeError as exc:
            message = f"the file is not UTF-8 text: {exc.reason}"
            raise X12Error(Finding(origin, None, "", message)) from None


def tokenize_text(text: str, origin: str) -> Iterator[Segment]:
    """The segments of X12 text already in memory."""
    return tokenize((text.removeprefix("\ufeff"),), origin)


def tokenize(chunks: Iterable[str], origin: str) -> Iterator[Segment]:
    """The segments of X12 text given in chunks of any size (split anywhere)."""
    for first, fields, component, _ in batches(chunks, origin):
        yield from _segments(first, fields, component)


def batches(chunks: Iterable[str], origin: str) -> Iterator[Batch]:
    """The segments of X12 text given in chunks of any size, a chunk at a time."""
    pending = iter(chunks)
    buffer = ""
    number = 0
    while True:  # one interchange: its ISA gives the separators
        buffer = buffer.lstrip()
        while len(buffer) < ISA_LENGTH and (chunk := next(pending, None)) is not None:
            buffer = (buffer + chunk).lstrip()
        number += 1
        element, component, terminator = _separators(buffer[:ISA_LENGTH], origin, number)
        yield Batch(number, iter([buffer[: ISA_LENGTH - 1].split(element)]), component, 1)
        buffer = buffer[ISA_LENGTH:]
        after_terminator = re.compile(rf"{re.escape(terminator)}\s*ISA")
        while True:  # its segments, until the text runs out or another ISA starts
            chunk = next(pending, None)
            text = buffer + (chunk or "")
            parts = text.split(terminator)
            buffer = "" if chunk is None else parts.pop()  # an unfinished segment waits
            isa = _next_isa(text, parts, after_terminator)
            if isa is not None:  # perhaps with other separators: read it afresh
                rest = terminator.join(parts[isa:])
                buffer = rest if chunk is None else rest + terminator + buffer
                del parts[isa:]
            raws = list(filter(None, map(str.strip, parts)))  # an empty segment is skipped
            if raws:  # a last segment without its terminator is tolerated
                yield Batch(number + 1, map(str.split, raws, repeat(element)), component, len(raws))
                number += len(raws)
            if isa is not None:
                break
            if chunk is None:
                return


def _next_isa(text: str, parts: list[str], after_terminator: re.Pattern[str]) -> int | None:
    """The index of the first of `parts` (the segments of `text`) that is an ISA, if any."""
    if "ISA" not in text:  # the usual case, found at C speed
        return None
    if not LEADING_ISA.match(text) and not after_terminator.search(text):
        return None  # only "ISA" inside an element, as in the name LISA
    return next((index for index, raw in enumerate(parts) if raw.lstrip()[:3] == "ISA"), None)


def _segments(first: int, fields: Iterator[list[str]], component: str) -> Iterator[Segment]:
    """Segments numbered from `first`, made without the Python-level Segment.__new__."""
    return map(tuple.__new__, repeat(Segment), zip(count(first), fields, repeat(component)))


def _separators(header: str, origin: str, number: int) -> tuple[str, str, str]:
    """(element separator, component separator, segment terminator) of a 106-character ISA."""

    def fail(message: str) -> X12Error:
        return X12Error(Finding(origin, number, "ISA", message))

    if not header.startswith("ISA"):
        found = repr(header[:20].splitlines()[0]) if header.strip() else "nothing"
        where = "the file does not start" if number == 1 else "an interchange does not start"
        raise fail(f"{where} with an ISA segment (found {found})")
    if len(header) < ISA_LENGTH:
        raise fail(
            f"truncated ISA: the file ends {len(header)} characters into it; "
            f"an ISA is {ISA_LENGTH} characters"
        )
    element, component, terminator = header[3], header[104], header[105]
    if not _usable(element):
        raise fail(f"unknown element separator (ISA character 4) {element!r}{NOT_A_SEPARATOR}")
    fields = header[4:].split(element)
    if len(fields) < len(ISA_WIDTHS):
        message = f"the ISA has {len(fields)} elements with separator {element!r}"
        raise fail(f"{message}; expected 16 fixed-width elements in {ISA_LENGTH} characters")
    for index, (value, width) in enumerate(zip(fields[:15], ISA_WIDTHS[:15], strict=True), start=1):
        if len(value) != width:
            raise fail(
                f"ISA{index:02d} {value!r} is {len(value)} characters; the ISA is fixed-width "
                f"and ISA{index:02d} must be {width}"
            )
    if not _usable(component):
        raise fail(f"unknown component separator (ISA16) {component!r}{NOT_A_SEPARATOR}")
    if not _usable(terminator, line_break=True):
        message = f"unknown segment terminator (ISA character 106) {terminator!r}"
        raise fail(message + NOT_A_SEPARATOR)
    if len({element, component, terminator}) < 3:
        raise fail(
            f"the element separator {element!r}, component separator {component!r} and "
            f"segment terminator {terminator!r} must be three different characters"
        )
    return element, component, terminator


def _usable(char: str, line_break: bool = False) -> bool:
    """A separator is no letter, digit or blank (a segment terminator may be CR or LF)."""
    return not (char.isalnum() or char == " " or (char.isspace() and not line_break))


# What every transaction reader checks the same way.


def wrong_set(
    st: Segment, group: Segment | None, kind: str, application: str, guide: str
) -> tuple[str, str] | None:
    """(element, message) when a set is not of the `kind` (ST01), GS01 and guide expected."""
    gs = group or Segment(0, ["GS"], ":")
    found = (st.get(1), gs.get(1), st.get(3) or gs.get(8))
    keys = ("ST01", "GS01", "ST03" if st.get(3) else "GS08")
    wrong = [
        key
        for key, value, expected in zip(keys, found, (kind, application, guide), strict=True)
        if value != expected
    ]
    if not wrong:
        return None
    what = TRANSACTIONS.get(found[0], "unknown transaction")
    return wrong[0], (
        f"a {found[0] or '?'} ({what}) set, GS01 {found[1] or '?'}, guide {found[2] or '?'}: "
        f"expected a {kind} {TRANSACTIONS.get(kind, '')} (ST01 {kind}, GS01 {application}, "
        f"guide {guide}); transaction set skipped"
    )


def wrong_trailer(st: Segment, se: Segment) -> list[tuple[str, str]]:
    """(element, message) for an SE whose count (SE01) or control number (SE02) is wrong."""
    counted = se.number - st.number + 1
    kept = "the set is still read; check the file is complete"
    problems = []
    if se.get(1) != str(counted):
        problems.append(
            ("SE01", f"SE01 says {se.get(1) or 'nothing'}, the set has {counted} segments; {kept}")
        )
    if se.get(2) != st.get(2):
        problems.append(("SE02", f"SE02 {se.get(2)!r} is not the ST02 {st.get(2)!r}; {kept}"))
    return problems


@lru_cache(maxsize=1 << 16)
def parse_d8(text: str) -> date | None:
    """A CCYYMMDD date, or None when `text` is not one."""
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


@lru_cache(maxsize=1 << 12)
def parse_period(form: str, text: str) -> tuple[date, date] | str:
    """A DTP date (D8: start = end) or range (RD8) as (start, end), or why it is not one."""
    if form == "D8":
        day = parse_d8(text)
        return (day, day) if day else f"{text!r} is not a date (CCYYMMDD)"
    if form == "RD8":
        first, _, last = text.partition("-")
        start, end = parse_d8(first), parse_d8(last)
        if start and end and start <= end:
            return start, end
        return f"{text!r} is not a date range (CCYYMMDD-CCYYMMDD, start first)"
    return f"{form!r} is not a date format OpenASO reads (D8 or RD8)"
