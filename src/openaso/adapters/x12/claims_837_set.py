"""One 837 transaction set (ST..SE) read loop by loop: its claims, or the errors that reject it.

`open_set` checks a set's kind (ST01, guide) at its ST and `close_set` its SE trailer; the
envelope around it (ISA/GS and their trailers) is `claims_837`. `SetReader` reads the segments
between as they come: the header (BHT), the hierarchy (HL 20 billing provider, 22 subscriber, 23
dependent patient) and the name loops (2010AA, 2010BA, 2010CA, 2310x); the claim and its lines
are `claims_837_lines`. Any error rejects the whole set, reported with the X12 999 codes (IK304
segment, IK403 element).
"""

from dataclasses import dataclass

from openaso.adapters.x12.claims_837_lines import ClaimReader
from openaso.adapters.x12.claims_837_values import (
    ENTITIES,
    KNOWN,
    PROVIDER_LOOPS,
    RANK,
    BillingState,
    Claim837,
    Handler,
    Kind,
    LineDetail,
    PersonState,
    SetError,
    fields,
)
from openaso.adapters.x12.segments import Segment, parse_d8

__all__ = [
    "Claim837", "Handler", "Kind", "LineDetail", "OpenSet", "SetError", "SetReader",
    "TransactionSet837", "close_set", "open_set",
]  # fmt: skip

GUIDES: dict[str, Kind] = {
    "005010X222A1": "P",
    "005010X222A2": "P",
    "005010X223A2": "I",
    "005010X223A3": "I",
    "005010X224A2": "D",
}


@dataclass(frozen=True, slots=True)
class TransactionSet837:
    """One ST..SE: accepted with its claims, or rejected with its errors."""

    control: str  # ST02
    transaction: str  # ST01
    guide: str  # ST03, or GS08 when ST03 is empty
    kind: Kind | None
    line: int  # of the ST in the file
    errors: tuple[SetError, ...]
    claims: tuple[Claim837, ...]  # empty when rejected, or when read_837 passed them to on_set
    claim_count: int  # the claims of the accepted set (0 when rejected), kept or passed on

    @property
    def accepted(self) -> bool:
        return not self.errors


class SetReader(ClaimReader):
    """Reads the segments of one set as they come, ST first and SE last, into claims and errors.

    `handlers` maps every 837 segment ID to the method that reads it (`unknown` reads any other):
    the envelope hands it each segment between the ST and the SE, then calls `finish`.
    """

    def __init__(self, kind: Kind, st: Segment) -> None:
        super().__init__(kind, st)
        self.bht_first = False  # the segment after the ST is a BHT
        # ST and SE are the envelope's to read
        self.handlers = dict.fromkeys(KNOWN - {"ST", "SE"}, self.skip)
        self.handlers |= dict.fromkeys(RANK, self.order)
        self.handlers |= {
            "BHT": self.bht, "HL": self.hl, "NM1": self.nm1, "N3": self.address,
            "N4": self.address, "REF": self.ref, "DMG": self.dmg, "SBR": self.sbr,
            "CLM": self.clm, "HI": self.hi, "HCP": self.hcp, "DTP": self.dtp, "LX": self.lx,
            "SV1": self.sv1, "SV2": self.sv2, "SV3": self.sv3, "TOO": self.too,
        }  # fmt: skip

    def finish(self, end: int, has_se: bool) -> None:
        """After the last segment: `end` is the number of the SE, or of the set's last segment."""
        self.end = end
        self.end_hl(None)
        if not self.bht_first:  # listed first, as if found when the first segment was read
            body = end - self.st.number - has_se  # the segments between the ST and the SE
            at = self.st.number + 1 if body else self.st.number
            self.missing(at, "BHT", "the set has no BHT after the ST", "HEADER")
            self.errors.insert(0, self.errors.pop())
        self.errors.sort(key=lambda error: error.position or 0)
        # The handlers refer back to the reader: without them it goes, claims and all, as soon
        # as the set is done, not at the next full garbage collection.
        self.handlers = {}

    def skip(self, number: int, elements: list[str]) -> None:
        """An 837 segment that adds nothing OpenASO keeps (AMT, NTE, CN1, ...)."""

    # Errors

    def order(self, number: int, elements: list[str]) -> None:
        """The segments of a name loop (NM1 N2 N3 N4 DMG PRV REF PER) come in this order."""
        if self.rank >= 0:
            tag = elements[0]
            rank = RANK[tag]
            if rank < self.rank:
                self.error(number, elements, "7", f"{tag} comes after a segment it must precede")
            self.rank = max(self.rank, rank)

    # The header and the hierarchy

    def bht(self, number: int, elements: list[str]) -> None:
        self.bht_first = self.bht_first or number == self.st.number + 1
        text = self.required(number, elements, 4, "BHT04 (the creation date)")
        self.received = parse_d8(text) if text else None
        if text and self.received is None:
            self.error(number, elements, "8", f"BHT04 {text!r} is not a date (CCYYMMDD)", 4)

    def hl(self, number: int, elements: list[str]) -> None:
        self.end_hl(number)
        self.rank = -1
        hl_id, _, level = elements[1:4] if len(elements) >= 4 else fields(elements, 3)
        self.level = level
        if not hl_id.strip():
            self.error(number, elements, "1", "HL01 (the hierarchical ID) is missing", 1)
        if level == "20":
            self.loop, self.billing = "2000A", BillingState()
            self.subscriber = self.patient = None
        elif level == "22":
            self.loop, self.subscriber, self.patient = "2000B", PersonState(hl_id), None
            if self.billing is None:
                message = "a subscriber (HL03 22) before any billing provider"
                self.error(number, elements, "2", message)
        elif level == "23":
            self.loop, self.patient = "2000C", PersonState(hl_id)
            if self.subscriber is None:
                message = "a patient (HL03 23) before any subscriber (HL03 22)"
                self.error(number, elements, "2", message)
        else:
            message = f"HL03 {level!r} is not a hierarchical level (20 billing provider, "
            self.error(number, elements, "7", message + "22 subscriber, 23 patient)", 3)

    def end_hl(self, following: int | None) -> None:
        """At an HL (numbered `following`) or at the SE: closes the claim and checks what the HL
        loop required."""
        self.end_claim(following)
        at = following or self.end
        level, billing = self.level, self.billing
        if level == "20" and billing is not None:
            if billing.name_at is None:
                message = "the billing provider (NM1*85, loop 2010AA) is missing"
                self.missing(at, "NM1", message, "2010AA")
            else:
                for tag in ("N3", "N4"):
                    if tag not in billing.address:
                        what = "address" if tag == "N3" else "city, state and ZIP"
                        message = f"the billing provider {what} ({tag}) is missing"
                        self.missing(billing.name_at, tag, message, "2010AA")
        person = self.subscriber if level == "22" else self.patient if level == "23" else None
        if person is not None and not person.named:
            what = "subscriber name (NM1*IL" if level == "22" else "patient name (NM1*QC"
            loop = "2010BA" if level == "22" else "2010CA"
            self.missing(at, "NM1", f"the {what}, loop {loop}) is missing", loop)
        if following is None and self.billing is None:
            self.missing(at, "HL", "the set has no billing provider (HL03 20)", "2000A")

    # Loop 2010: names

    def nm1(self, number: int, elements: list[str]) -> None:
        self.rank = 0  # a name loop starts
        entity, kind = elements[1:3] if len(elements) >= 3 else fields(elements, 2)
        if entity not in ENTITIES:
            message = f"NM101 {entity!r} is not an entity code of an 837"
            self.error(number, elements, "7", message, 1)
            return
        if kind not in ("1", "2"):
            what = "is missing" if not kind else f"{kind!r} is not 1 or 2"
            message = f"NM102 (person 1, organisation 2) {what}"
            self.error(number, elements, "1" if not kind else "7", message, 2)
        claim, billing = self.claim, self.billing
        if entity in ("41", "40"):
            self.loop = "1000A" if entity == "41" else "1000B"
        elif entity in ("85", "87", "PE") and claim is None and billing is not None:
            self.loop = {"85": "2010AA", "87": "2010AB", "PE": "2010AC"}[entity]
            if entity == "85":
                billing.names += 1
                billing.name_at = number
                if billing.names > 1:
                    message = "loop 2010AA (billing provider) occurs twice"
                    self.error(number, elements, "4", message)
                what = "NM109 (the billing provider NPI)"
                billing.npi = self.required(number, elements, 9, what)
        elif entity in ("IL", "PR") and claim is None:
            self.loop = "2010BA" if entity == "IL" else "2010BB"
            if entity == "IL" and self.subscriber is not None and self.patient is None:
                what = "NM109 (the subscriber identifier)"
                self.person(self.subscriber, number, elements, what)
        elif entity == "QC" and claim is None and self.patient is not None:
            self.loop = "2010CA"
            self.person(self.patient, number, elements, None)
        elif claim is not None and (claim.other_payer or entity in ("IL", "PR")):
            self.loop = "2330"
        elif claim is not None:
            letter = PROVIDER_LOOPS[self.kind].get(entity, "")
            self.loop = ("2420" if claim.lines else "2310") + letter
            if entity == "82" and not claim.lines:
                what = "NM109 (the rendering NPI)"
                claim.rendering = self.required(number, elements, 9, what)

    def person(
        self, person: PersonState, number: int, elements: list[str], identifier: str | None
    ) -> None:
        if len(elements) > 9:  # NM103, NM104, NM109
            last, first, person_id = elements[3], elements[4], elements[9]
        else:
            last, first, *_, person_id = fields(elements, 9)[2:]
        person.named = True
        person.name = (last.strip(), first.strip())
        person.id = person_id.strip()
        if identifier is not None and not person.id:
            self.error(number, elements, "1", f"{identifier} is missing", 9)

    def address(self, number: int, elements: list[str]) -> None:
        self.order(number, elements)
        if self.billing is not None and self.loop == "2010AA":
            self.billing.address.add(elements[0])

    def ref(self, number: int, elements: list[str]) -> None:
        self.order(number, elements)
        qualifier, value = fields(elements, 2)
        value = value.strip()
        billing = self.billing
        if self.loop == "2010AA" and qualifier == "EI" and billing is not None:
            billing.eins += 1
            billing.tin = billing.tin or value
            if billing.eins > 1:
                message = "REF*EI (the billing provider TIN) appears twice"
                self.error(number, elements, "5", message)
        elif self.loop == "2300" and qualifier == "F8" and self.claim is not None:
            self.claim.original_ref = value

    def dmg(self, number: int, elements: list[str]) -> None:
        self.order(number, elements)
        person = self.patient or self.subscriber
        form, text = fields(elements, 2)
        if person is not None and self.loop in ("2010BA", "2010CA") and form == "D8":
            person.birth = parse_d8(text)

    def sbr(self, number: int, elements: list[str]) -> None:
        if self.claim is not None:
            self.loop, self.claim.other_payer = "2320", True


# The set at its ST and at its SE


@dataclass(slots=True)
class OpenSet:
    """A set after its ST: what its ST and GS say, and its reader (None: its loops are not read,
    as it is no 837 of a guide OpenASO reads)."""

    st: Segment
    guide: str
    kind: Kind | None
    errors: list[SetError]
    reader: SetReader | None


def open_set(st: Segment, gs: Segment) -> OpenSet:
    """A transaction set at its ST: its kind checked, and a reader for its loops."""
    guide = st.get(3) or gs.get(8)
    kind = GUIDES.get(guide)
    errors: list[SetError] = []

    def fail(code: str, key: str, message: str) -> None:
        errors.append(SetError(st.number, None, key, "", None, None, code, message))

    if st.get(1) != "837":
        fail("1", "ST01", f"ST01 {st.get(1)!r}: only 837 (health care claim) sets are read here")
    elif gs.get(1) not in ("HC", ""):
        fail("1", "GS01", f"GS01 {gs.get(1)!r}: an 837 belongs in a GS01 HC group")
    elif kind is None:
        known = ", ".join(GUIDES)
        fail("I6", "ST03", f"implementation guide {guide!r} is not supported (only {known})")
    elif st.get(3) and gs.get(8) and st.get(3) != gs.get(8):
        fail("19", "ST03", f"ST03 {st.get(3)!r} is not the GS08 {gs.get(8)!r}")
    reader = SetReader(kind, st) if kind is not None and not errors else None
    return OpenSet(st, guide, kind, errors, reader)


def close_set(opened: OpenSet, se: Segment | None, last: int) -> TransactionSet837:
    """A transaction set at its SE, or at `last`, the number of its last segment when it has none:
    its trailer checked, its claims when it has no error."""
    st, errors, reader = opened.st, opened.errors, opened.reader

    def fail(code: str, key: str, message: str) -> None:
        errors.append(SetError(st.number, None, key, "", None, None, code, message))

    if se is None:
        fail("2", "SE", "the set has no SE trailer")
    else:
        counted = se.number - st.number + 1
        if se.get(1) != str(counted):
            fail("4", "SE01", f"SE01 says {se.get(1) or 'nothing'}, the set has {counted} segments")
        if se.get(2) != st.get(2):
            fail("3", "SE02", f"SE02 {se.get(2)!r} is not the ST02 {st.get(2)!r}")
    claims: tuple[Claim837, ...] = ()
    if reader is not None:
        reader.finish(last if se is None else se.number, se is not None)
        errors += reader.errors
        claims = () if errors else tuple(reader.claims)
    return TransactionSet837(
        st.get(2), st.get(1), opened.guide, opened.kind, st.number, tuple(errors), claims,
        len(claims),
    )  # fmt: skip
