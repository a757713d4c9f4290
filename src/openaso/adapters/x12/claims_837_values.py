"""The values an 837 transaction set yields (claims, errors) and the state its reader keeps.

`SetError` carries the X12 999 codes of an error (IK304 for a segment, IK403 for an element,
IK502 for the set); `Claim837` is a core `Claim` with what the 837 says beside it. `SetBase`
holds a set reader's state and its error helpers; `claims_837_lines` and `claims_837_set` read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from openaso.adapters.files.yaml_source import Finding
from openaso.adapters.x12.segments import Segment
from openaso.core.claims import Claim
from openaso.core.money import Cents, parse_amount

Kind = Literal["P", "I", "D"]
DIAGNOSES = frozenset(("ABK", "ABF", "ABJ", "ABN", "APR", "BK", "BF", "BJ", "BN", "PR"))
KNOWN = frozenset((
    "ST", "BHT", "REF", "NM1", "N2", "N3", "N4", "PER", "PRV", "HL", "SBR", "PAT", "DMG", "CUR",
    "CLM", "DTP", "CL1", "PWK", "CN1", "AMT", "K3", "NTE", "CR1", "CR2", "CR3", "CR4", "CR5",
    "CR6", "CR7", "CR8", "CRC", "HI", "HCP", "LX", "SV1", "SV2", "SV3", "SV4", "SV5", "SV6",
    "SV7", "TOO", "QTY", "MEA", "PS1", "LIN", "CTP", "SVD", "CAS", "OI", "MOA", "MIA", "LQ",
    "FRM", "SE", "DN1", "DN2", "HSD",
))  # fmt: skip
ENTITIES = frozenset((
    "40", "41", "85", "87", "PE", "IL", "PR", "QC", "82", "77", "DN", "P3", "DQ", "DK", "71",
    "72", "ZZ", "45", "PW", "QB", "DD", "FA", "TL",
))  # fmt: skip
PROVIDER_LOOPS: dict[Kind, dict[str, str]] = {  # NM101 → its 2310 loop (2420 at line level)
    "P": {"DN": "A", "P3": "A", "82": "B", "77": "C", "DQ": "D", "PW": "E", "45": "F"},
    "I": {"71": "A", "72": "B", "ZZ": "C", "82": "D", "77": "E", "DN": "F"},
    "D": {"DN": "A", "P3": "A", "82": "B", "DD": "C", "77": "D", "DK": "E"},
}
ENVELOPE = frozenset(("ISA", "IEA", "GS", "GE", "ST", "SE"))  # what the envelope reads
RANK = {"NM1": 0, "N2": 1, "N3": 2, "N4": 3, "DMG": 4, "PRV": 5, "REF": 6, "PER": 7}
SERVICE = {"P": "SV1", "I": "SV2", "D": "SV3"}
FREQUENCIES = ("1", "7", "8")
Handler = Callable[[int, list[str]], None]  # (number in the file, elements)


@dataclass(frozen=True, slots=True)
class SetError:
    """An error that rejects its transaction set, as the 999 reports it (AK2 loop)."""

    line: int | None  # the segment number in the file (ISA = 1)
    position: int | None  # in the set (ST = 1): IK302; None for a set-level error (IK5 only)
    segment: str  # IK301 (the missing segment's ID for code 3)
    loop: str  # IK303, "" when not known
    element: int | None  # IK401-1; None for a segment error (IK304)
    component: int | None  # IK401-2
    code: str  # IK403 for an element, IK304 for a segment, IK502 for the set
    message: str
    value: str = ""  # IK404: a copy of the bad element
    claim: str = ""  # CLM01 of the claim the error is in (999 CTX)

    @property
    def key(self) -> str:
        if self.element is None:
            return self.segment
        suffix = f"-{self.component}" if self.component else ""
        return f"{self.segment}{self.element:02d}{suffix}"

    def finding(self, origin: str) -> Finding:
        return Finding(origin, self.line, self.key, self.message)


@dataclass(frozen=True, slots=True)
class LineDetail:
    """What an 837 service line says beside the core ServiceLine."""

    revenue_code: str | None  # 837I SV201
    teeth: tuple[str, ...]  # 837D TOO02
    units_text: str  # the units as sent (decimal units are rounded half up to an int)
    service_end: date  # the end of an RD8 service period (= service_date for D8)


@dataclass(frozen=True, slots=True)
class Claim837:
    """A claim read from an accepted 837 set: the core Claim and what the 837 says beside it."""

    claim: Claim
    kind: Kind
    frequency: str  # CLM05-3: 1 original, 7 replacement, 8 void
    original_ref: str | None  # REF*F8, for a 7 or 8
    billing_npi: str
    billing_tin: str | None  # REF*EI of 2010AA
    rendering_npi: str | None  # NM1*82 of loop 2310
    subscriber_id: str  # NM1*IL09
    patient: Literal["subscriber", "dependent"]
    patient_name: tuple[str, str]  # last, first (NM1*IL or NM1*QC)
    patient_birth: date | None
    diagnoses: tuple[str, ...]  # HI codes, in order, without a decimal point
    repriced: Cents | None  # HCP02 of loop 2300
    details: tuple[LineDetail, ...]  # one per claim.lines
    set_position: int  # of the CLM in its set (ST = 1)
    line: int  # of the CLM in the file


class LineState:
    """A service line being read. A plain class, not a dataclass: an LX sets only its number and
    where it stands, the rest are the class's defaults until a segment says otherwise (making
    one is ~2.5 times as fast as a 12-field dataclass; every 837 line makes one)."""

    number: int
    at: int  # the LX (or the service segment when the LX is missing): its number in the file
    code: str = ""
    modifiers: tuple[str, ...] = ()
    billed: Cents = 0
    units: int = 1
    units_text: str = "1"
    revenue: str | None = None
    teeth: tuple[str, ...] = ()
    period: tuple[date, date] | None = None
    repriced: Cents | None = None
    priced: bool = False  # a service segment was read

    def __init__(self, number: int, at: int) -> None:
        self.number, self.at = number, at


@dataclass(slots=True)
class ClaimState:
    at: int  # the number of its CLM in the file
    elements: list[str]  # of its CLM
    id: str
    billed: Cents | None
    frequency: str
    member_id: str
    subscriber_id: str
    dependent: bool
    name: tuple[str, str]
    birth: date | None
    original_ref: str | None = None
    rendering: str | None = None
    diagnoses: list[str] = field(default_factory=list)
    has_hi: bool = False
    repriced: Cents | None = None
    period: tuple[date, date] | None = None
    lines: list[LineState] = field(default_factory=list)
    other_payer: bool = False  # inside loop 2320/2330


@dataclass(slots=True)
class BillingState:
    npi: str = ""
    tin: str | None = None
    names: int = 0  # NM1*85 seen
    name_at: int | None = None  # the number of the (last) NM1*85
    address: set[str] = field(default_factory=set)
    eins: int = 0


@dataclass(slots=True)
class PersonState:
    hl_id: str  # HL01
    id: str = ""
    name: tuple[str, str] = ("", "")
    birth: date | None = None
    named: bool = False


def get(elements: list[str], index: int) -> str:
    """Element `index` (1-based, as in `CLM02`), or "" when the segment stops short."""
    return elements[index] if index < len(elements) else ""


def fields(elements: list[str], count: int) -> list[str]:
    """Elements 1 to `count`; those the segment stops short of read as ""."""
    found = elements[1 : count + 1]
    return found if len(found) == count else found + [""] * (count - len(found))


class SetBase:
    """The state of one set being read, and how its errors are recorded.

    A segment is given as its number in the file and its elements (`elements[0]` its ID); the
    component separator is the set's (ISA16).
    """

    def __init__(self, kind: Kind, st: Segment) -> None:
        self.kind, self.st, self.component = kind, st, st.component
        self.service_tag = SERVICE[kind]  # what its service lines are: SV1, SV2 or SV3
        self.errors: list[SetError] = []
        self.claims: list[Claim837] = []
        self.details: dict[tuple[str | None, tuple[str, ...], str, date], LineDetail] = {}
        self.received: date | None = None
        self.loop = "HEADER"
        self.rank = -1  # of the last segment in the current name loop; -1: not in one
        self.billing: BillingState | None = None
        self.subscriber: PersonState | None = None
        self.patient: PersonState | None = None
        self.claim: ClaimState | None = None
        self.level = ""  # HL03 of the current HL
        self.claim_id = ""  # CLM01 of the claim being read, for its errors
        self.end = st.number  # of the SE (or the set's last segment), once read
        self.handlers: dict[str, Handler] = {}  # by segment ID: see `SetReader`
        self.periods: dict[str, tuple[date, date]] = {}  # DTP D8 dates read so far, by text
        # Service procedure composites read so far: (code, modifiers), by text
        self.procedures: dict[str, tuple[str, tuple[str, ...]]] = {}
        # HI composites read so far: the diagnosis code ("" when not a diagnosis), by text
        self.diagnoses: dict[str, str] = {}

    def position(self, number: int) -> int:
        """Of the segment numbered `number` in the file, in the set (ST = 1)."""
        return number - self.st.number + 1

    def error(
        self, number: int, elements: list[str], code: str, message: str,
        element: int | None = None, component: int | None = None, tag: str | None = None,
        loop: str | None = None,
    ) -> None:  # fmt: skip
        value = ""
        if element is not None:
            value = get(elements, element)
            if component is not None:
                parts = value.split(self.component)
                value = parts[component - 1] if component <= len(parts) else ""
        name = elements[0] if tag is None else tag
        where = self.claim.id if self.claim is not None else self.claim_id
        self.errors.append(
            SetError(number, self.position(number), name, loop or self.loop, element, component,
                     code, message, value, where)
        )  # fmt: skip

    def unknown(self, number: int, elements: list[str]) -> None:
        """A segment that is no 837 segment."""
        tag = elements[0]
        well_formed = 2 <= len(tag) <= 3 and tag.isalnum() and tag.isupper()
        what = "is not an 837 segment" if well_formed else "is not a segment ID"
        self.error(number, elements, "2" if well_formed else "1", f"{tag!r} {what}", tag=tag)

    def missing(self, at: int, tag: str, message: str, loop: str | None = None) -> None:
        """IK304 3: a required segment is missing where the segment numbered `at` stands."""
        where = self.claim.id if self.claim is not None else ""
        self.errors.append(
            SetError(at, self.position(at), tag, loop or self.loop, None, None, "3", message, "",
                     where)
        )  # fmt: skip

    def required(self, number: int, elements: list[str], index: int, what: str) -> str:
        """Element `index`, stripped; an error when it is empty."""
        value = elements[index].strip() if index < len(elements) else ""
        if not value:
            self.error(number, elements, "1", f"{what} is missing", index)
        return value

    def amount(self, number: int, elements: list[str], index: int, what: str) -> Cents | None:
        """Element `index` as cents; an error when it is empty or no amount."""
        text = elements[index].strip() if index < len(elements) else ""
        cents = usual_cents(text)
        if cents is not None:
            return cents
        if not text:
            self.error(number, elements, "1", f"{what} is missing", index)
            return None
        try:
            return parse_amount(text)
        except ValueError as exc:
            self.error(number, elements, "6", f"{what} {text!r}: {exc}", index)
            return None


def usual_cents(text: str) -> Cents | None:
    """An amount as X12 usually sends it (whole dollars, or dollars and two-digit cents) in
    cents; None for anything else (a sign, blanks, other decimals: `SetBase.amount` reads it)."""
    if text.isdigit() and text.isascii():
        return int(text) * 100
    digits = text.replace(".", "", 1)
    if text[-3:-2] == "." and digits.isdigit() and digits.isascii():
        return int(digits)
    return None
