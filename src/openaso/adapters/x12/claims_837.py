"""The 837 reader (P: 005010X222A1/A2, I: X223A2/A3, D: X224A2): claims and acknowledgment facts.

`read_837` gives one `Interchange837` per ISA..IEA with its functional groups and transaction
sets, as the 999 and TA1 writers (`ack_999`) need them. A transaction set with any error is
rejected whole (no claims from it, its errors listed with their 999 codes); the other sets still
come through. An envelope error (a bad ISA field, IEA count or control number, a missing IEA) is
a TA1 matter: see `Interchange837.acknowledgment`. The loops inside a set are `claims_837_set`.

The file is read as a stream: each segment goes to its set's reader as it is tokenized, so
memory holds the claims of one set at a time, plus what the result keeps (see `read_837`).
The cyclic garbage collector is paused while segments are read (the reader makes no garbage
cycles: each set's reader is let go by reference counting once the set is done), and runs as
usual while `on_set` has a set and once the reading is over; a read spent ~10% of its time in
collections that found nothing to free.
"""

import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from openaso.adapters.files.yaml_source import Finding
from openaso.adapters.x12.claims_837_set import (
    Claim837,
    Handler,
    LineDetail,
    OpenSet,
    SetError,
    SetReader,
    TransactionSet837,
    close_set,
    open_set,
)
from openaso.adapters.x12.claims_837_values import ENVELOPE
from openaso.adapters.x12.segments import Segment, X12Error, read_batches

__all__ = ["Claim837", "LineDetail", "SetError", "TransactionSet837", "read_837"]

QUALIFIERS = frozenset(["01", "14", "20", "27", "28", "29", "30", "33", "ZZ"])  # ISA05, ISA07
ISA_CODES = {  # ISA element → TA105 note code for a bad value
    1: "010", 2: "011", 3: "012", 4: "013", 5: "005", 6: "006", 7: "007", 8: "008",
    9: "014", 10: "015", 11: "026", 12: "017", 13: "018", 14: "019", 15: "020", 16: "027",
}  # fmt: skip
Acknowledgment = Literal["A", "E", "R"]


@dataclass(frozen=True, slots=True)
class EnvelopeError:
    """A problem with an ISA/IEA (TA105 note code) or a GS/GE (AK905 code)."""

    line: int | None
    key: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class FunctionalGroup837:
    """One GS..GE and its transaction sets."""

    control: str  # GS06
    application: str  # GS01
    version: str  # GS08
    sender: str  # GS02
    receiver: str  # GS03
    line: int
    declared: int | None  # GE01: the number of sets the trailer says it holds
    sets: tuple[TransactionSet837, ...]
    errors: tuple[EnvelopeError, ...]  # AK905 codes: the group is still acknowledged by set


@dataclass(frozen=True, slots=True)
class Interchange837:
    """One ISA..IEA; `errors` call for a TA1 (TA105 note codes)."""

    control: str  # ISA13
    sender_qualifier: str
    sender: str  # ISA06, blanks stripped
    receiver_qualifier: str
    receiver: str  # ISA08, blanks stripped
    date: str  # ISA09 (YYMMDD)
    time: str  # ISA10 (HHMM)
    line: int
    groups: tuple[FunctionalGroup837, ...]
    errors: tuple[EnvelopeError, ...]

    @property
    def acknowledgment(self) -> Acknowledgment:
        """TA104: R when the envelope cannot be trusted, E for a wrong IEA01 count only."""
        if not self.errors:
            return "A"
        return "E" if all(error.code == "021" for error in self.errors) else "R"


@dataclass(frozen=True, slots=True)
class Intake837:
    """What one 837 file holds."""

    origin: str
    interchanges: tuple[Interchange837, ...]
    findings: tuple[Finding, ...]  # what stopped the reading, with no interchange to answer

    def claims(self) -> list[Claim837]:
        """The claims of the accepted sets of interchanges not rejected by a TA1."""
        return [
            claim
            for interchange in self.interchanges
            if interchange.acknowledgment != "R"
            for group in interchange.groups
            for transaction in group.sets
            for claim in transaction.claims
        ]

    def problems(self) -> list[Finding]:
        """Every problem, envelope and set, as `origin:segment: key: message`."""
        found = list(self.findings)
        for interchange in self.interchanges:
            found += [Finding(self.origin, e.line, e.key, e.message) for e in interchange.errors]
            for group in interchange.groups:
                found += [Finding(self.origin, e.line, e.key, e.message) for e in group.errors]
                for transaction in group.sets:
                    found += [error.finding(self.origin) for error in transaction.errors]
        return found


OnSet = Callable[[int, TransactionSet837], None]


def read_837(path: Path, on_set: OnSet | None = None) -> Intake837:
    """The interchanges, groups, sets and claims of the 837 file at `path`.

    Without `on_set`, the sets in the result keep their claims. With it, each set is passed to
    `on_set(interchange_index, transaction)` as soon as its SE (or the end of it) is read, where
    `interchange_index` is the 0-based position of its ISA in the file (the index into
    `interchanges` of the result), and the set in the result has `claims=()` (`claim_count`
    still says how many there were): no more than one set's claims are ever held.

    A set is passed before its interchange's IEA is read, so a set of an interchange that turns
    out to be rejected (TA1 R: a wrong IEA02, a missing IEA, a bad ISA field) has been passed
    too. The caller deals with that: once `read_837` returns, it drops what it took from every
    interchange whose `acknowledgment` is "R", as `Intake837.claims()` does.
    """
    envelope = _Envelope(str(path), on_set)
    number, failure = 0, None
    envelope.collecting = gc.isenabled()
    gc.disable()
    try:  # closing may pass a last set to on_set too: the collector is restored after it
        try:
            for first, fields, component, size in read_batches(path):
                envelope.component = component
                segments = enumerate(fields, first)
                while True:  # the open set's reader reads until the envelope has a segment
                    reader = envelope.reader
                    taken = next(segments, None) if reader is None else reader.read(segments)
                    if taken is None:
                        break
                    envelope.take(*taken)
                number = first + size - 1
        except X12Error as exc:
            failure = exc.finding
        return envelope.close(number, failure, path)
    finally:
        if envelope.collecting:
            gc.enable()


@dataclass(slots=True)
class _Group:
    gs: Segment
    sets: list[TransactionSet837] = field(default_factory=list)
    errors: list[EnvelopeError] = field(default_factory=list)


@dataclass(slots=True)
class _Interchange:
    isa: Segment
    index: int  # of its ISA among the file's
    groups: list[FunctionalGroup837] = field(default_factory=list)
    errors: list[EnvelopeError] = field(default_factory=list)


class _Envelope:
    """Takes the segments in file order: its own (ISA, GS, ST and their trailers) it reads, those
    of an open set go to the set's reader."""

    def __init__(self, origin: str, on_set: OnSet | None) -> None:
        self.origin, self.on_set = origin, on_set
        self.done: list[Interchange837] = []
        self.findings: list[Finding] = []
        self.interchange: _Interchange | None = None
        self.group: _Group | None = None
        self.open: OpenSet | None = None  # the set after the last ST, until its SE
        self.last = 0  # the number of the last segment read before an envelope segment
        self.component = ":"  # ISA16 of the interchange being read
        self.collecting = False  # the garbage collector was on when the reading began
        # The open set's reader, which reads its segments up to the envelope's next, and what
        # takes a segment that is not the envelope's own when no reader is open.
        self.reader: SetReader | None = None
        self.other: Handler = self.outside

    def take(self, number: int, elements: list[str]) -> None:
        """A segment that no set reader reads: an ISA, IEA, GS, GE, ST or SE opens or closes
        something; any other goes to `other`."""
        tag = elements[0]
        if tag not in ENVELOPE:
            self.other(number, elements)
            return
        self.last = number - 1  # where a set that has no SE ends
        segment = Segment(number, elements, self.component)
        if tag == "ISA":
            self.end_interchange(None)
            errors = self.check_isa(segment)
            self.interchange = _Interchange(segment, len(self.done), errors=errors)
        elif tag == "IEA":
            self.end_interchange(segment)
        elif tag == "GS":
            self.end_group(None)
            self.group = _Group(segment)
        elif tag == "GE":
            self.end_group(segment)
        elif tag == "ST":
            self.end_set(None)
            self.start_set(segment)
        else:
            self.end_set(segment)

    def outside(self, number: int, elements: list[str]) -> None:
        """A segment that belongs in a set, outside any."""
        if self.interchange is not None:
            tag = elements[0]
            message = f"{tag} outside any transaction set (ST..SE)"
            self.interchange.errors.append(EnvelopeError(number, tag, "024", message))

    def ignore(self, number: int, elements: list[str]) -> None:
        """A segment of a set that is not read (not an 837 of a guide OpenASO reads)."""

    def check_isa(self, isa: Segment) -> list[EnvelopeError]:
        rules = (
            (1, ("00", "03"), "00 or 03"), (3, ("00", "01"), "00 or 01"),
            (5, QUALIFIERS, "an ID qualifier"), (7, QUALIFIERS, "an ID qualifier"),
            (12, ("00501",), "00501"), (14, ("0", "1"), "0 or 1"), (15, ("P", "T"), "P or T"),
        )  # fmt: skip
        errors = []
        for index, allowed, what in rules:
            if isa.get(index).strip() not in allowed:
                message = f"ISA{index:02d} {isa.get(index)!r} is not {what}"
                errors.append(
                    EnvelopeError(isa.number, f"ISA{index:02d}", ISA_CODES[index], message)
                )
        for index, pattern, what in (
            (6, r"\S.*", "a sender ID"), (8, r"\S.*", "a receiver ID"),
            (9, r"\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", "a date (YYMMDD)"),
            (10, r"([01]\d|2[0-3])[0-5]\d", "a time (HHMM)"), (13, r"\d{9}", "9 digits"),
        ):  # fmt: skip
            if not re.fullmatch(pattern, isa.get(index)):
                message = f"ISA{index:02d} {isa.get(index)!r} is not {what}"
                errors.append(
                    EnvelopeError(isa.number, f"ISA{index:02d}", ISA_CODES[index], message)
                )
        return errors

    def start_set(self, st: Segment) -> None:
        gs = self.group.gs if self.group is not None else Segment(st.number, ["GS"], st.component)
        self.open = opened = open_set(st, gs)
        self.reader = opened.reader
        self.other = self.outside if opened.reader is not None else self.ignore

    def end_set(self, se: Segment | None) -> None:
        opened, group, interchange = self.open, self.group, self.interchange
        self.open, self.reader, self.other = None, None, self.outside
        if opened is None:
            if se is not None and interchange is not None:
                message = "SE with no ST before it"
                interchange.errors.append(EnvelopeError(se.number, "SE", "024", message))
            return
        st = opened.st
        if group is None:  # an ST outside a GS: acknowledged in a group of its own
            group = self.group = _Group(Segment(st.number, ["GS"], st.component))
            if interchange is not None:
                message = "transaction set outside any functional group (GS..GE)"
                interchange.errors.append(EnvelopeError(st.number, "GS", "024", message))
        transaction = close_set(opened, se, self.last)
        if self.on_set is not None and interchange is not None:
            if self.collecting:  # the caller's work is collected as usual
                gc.enable()
            try:
                self.on_set(interchange.index, transaction)
            finally:
                if self.collecting:
                    gc.disable()
            transaction = replace(transaction, claims=())
        group.sets.append(transaction)

    def end_group(self, ge: Segment | None) -> None:
        self.end_set(None)
        group, self.group = self.group, None
        if group is None:
            if ge is not None and self.interchange is not None:
                message = "GE with no GS before it"
                self.interchange.errors.append(EnvelopeError(ge.number, "GE", "024", message))
            return
        gs, errors = group.gs, group.errors
        declared = None
        if ge is None:
            errors.append(EnvelopeError(gs.number, "GE", "3", "the group has no GE trailer"))
        else:
            text = ge.get(1)
            declared = int(text) if text.isdigit() else None
            if declared != len(group.sets):
                message = f"GE01 says {text or 'nothing'}, the group has {len(group.sets)} sets"
                errors.append(EnvelopeError(ge.number, "GE01", "5", message))
            if ge.get(2) != gs.get(6):
                message = f"GE02 {ge.get(2)!r} is not the GS06 {gs.get(6)!r}"
                errors.append(EnvelopeError(ge.number, "GE02", "4", message))
        if self.interchange is None:
            return
        self.interchange.groups.append(
            FunctionalGroup837(
                gs.get(6), gs.get(1), gs.get(8), gs.get(2), gs.get(3), gs.number, declared,
                tuple(group.sets), tuple(errors),
            )
        )  # fmt: skip

    def end_interchange(self, iea: Segment | None) -> None:
        self.end_group(None)
        interchange, self.interchange = self.interchange, None
        if interchange is None:
            return
        isa, errors = interchange.isa, interchange.errors
        if iea is None:
            message = "the interchange has no IEA trailer (the file may be truncated)"
            errors.append(EnvelopeError(isa.number, "IEA", "023", message))
        else:
            groups = len(interchange.groups)
            if iea.get(1) != str(groups):
                message = (
                    f"IEA01 says {iea.get(1) or 'nothing'}, the interchange has {groups} groups"
                )
                errors.append(EnvelopeError(iea.number, "IEA01", "021", message))
            if iea.get(2) != isa.get(13):
                message = f"IEA02 {iea.get(2)!r} is not the ISA13 {isa.get(13)!r}"
                errors.append(EnvelopeError(iea.number, "IEA02", "001", message))
        self.done.append(
            Interchange837(
                isa.get(13), isa.get(5), isa.get(6).strip(), isa.get(7), isa.get(8).strip(),
                isa.get(9), isa.get(10), isa.number, tuple(interchange.groups), tuple(errors),
            )
        )  # fmt: skip

    def broken(self, finding: Finding, path: Path) -> None:
        """The tokenizer stopped: a TA1 for the broken ISA when its fields can be salvaged."""
        message = finding.message
        code = "024"
        if match := re.search(r"ISA(\d\d) ", message):
            code = ISA_CODES.get(int(match.group(1)), "024")
        elif "component separator" in message:
            code = "027"
        elif "element separator" in message:
            code = "026"
        elif "segment terminator" in message:
            code = "004"
        elif "truncated" in message:
            code = "023"
        fields = _salvage(path) if finding.line == 1 and finding.key == "ISA" else None
        if fields is None:
            self.findings.append(finding)
            return
        error = EnvelopeError(finding.line, finding.key, code, message)
        sender, receiver = fields[6].strip(), fields[8].strip()
        self.done.append(
            Interchange837(fields[13], fields[5], sender, fields[7], receiver, fields[9],
                           fields[10], 1, (), (error,))
        )  # fmt: skip

    def close(self, last: int, failure: Finding | None, path: Path) -> Intake837:
        """At the end of the file (`last` the number of its last segment) or where the
        tokenizer stopped (`failure`)."""
        self.last = last
        self.end_interchange(None)
        if failure is not None:
            self.broken(failure, path)
        if not self.done and not self.findings:
            self.findings.append(Finding(self.origin, None, "ISA", "the file holds no interchange"))
        return Intake837(self.origin, tuple(self.done), tuple(self.findings))


def _salvage(path: Path) -> list[str] | None:
    """The fields of a file's first ISA split on its 4th character, if it has 16 of them."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            text = handle.read(400).lstrip()
    except OSError:
        return None
    if not text.startswith("ISA") or len(text) < 4:
        return None
    fields = text.split(text[3])
    if len(fields) < 17 or not re.fullmatch(r"\d{9}", fields[13]):
        return None
    return fields
