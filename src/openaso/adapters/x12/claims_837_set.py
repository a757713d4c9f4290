"""One 837 transaction set (ST..SE) read loop by loop: its claims, or the errors that reject it.

The envelope around it (ISA/GS, guide checks, SE trailer) is `claims_837`. Here: the header
(BHT), the hierarchy (HL 20 billing provider, 22 subscriber, 23 dependent patient) and the name
loops (2010AA, 2010BA, 2010CA, 2310x); the claim and its lines are `claims_837_lines`. Any error
rejects the whole set, reported with the X12 999 codes (IK304 segment, IK403 element).
"""

from openaso.adapters.x12.claims_837_lines import ClaimReader
from openaso.adapters.x12.claims_837_values import (
    ENTITIES,
    KNOWN,
    PROVIDER_LOOPS,
    RANK,
    BillingState,
    Claim837,
    Kind,
    LineDetail,
    PersonState,
    SetError,
)
from openaso.adapters.x12.segments import Segment, parse_d8

__all__ = ["Claim837", "Kind", "LineDetail", "SetError", "SetReader"]


class SetReader(ClaimReader):
    """Reads the segments of one set, ST first and SE last, into claims and errors."""

    def __init__(self, kind: Kind, st: Segment) -> None:
        super().__init__(kind, st)
        self.handlers = {
            "BHT": self.bht, "HL": self.hl, "NM1": self.nm1, "N3": self.address,
            "N4": self.address, "REF": self.ref, "DMG": self.dmg, "SBR": self.sbr,
            "CLM": self.clm, "HI": self.hi, "HCP": self.hcp, "DTP": self.dtp, "LX": self.lx,
            "SV1": self.sv1, "SV2": self.sv2, "SV3": self.sv3, "TOO": self.too,
        }  # fmt: skip

    def read(self, body: list[Segment], end: Segment) -> None:
        """Takes every segment between the ST and the SE (`end`)."""
        self.end = end
        if not body or body[0].elements[0] != "BHT":
            self.missing(body[0] if body else self.st, "BHT", "the set has no BHT after the ST")
        for segment in body:
            tag = segment.elements[0]
            if tag not in KNOWN:
                well_formed = 2 <= len(tag) <= 3 and tag.isalnum() and tag.isupper()
                what = "is not an 837 segment" if well_formed else "is not a segment ID"
                self.error(segment, "2" if well_formed else "1", f"{tag!r} {what}", tag=tag)
                continue
            if tag in RANK:
                self.order(segment, tag)
            handler = self.handlers.get(tag)
            if handler is not None:
                handler(segment)
        self.end_hl(None)
        self.errors.sort(key=lambda error: error.position or 0)

    # Errors

    def order(self, segment: Segment, tag: str) -> None:
        rank = RANK[tag]
        if tag == "NM1":
            self.rank = 0
        elif self.rank >= 0:
            if rank < self.rank:
                self.error(segment, "7", f"{tag} comes after a segment it must precede")
            self.rank = max(self.rank, rank)

    # The header and the hierarchy

    def bht(self, segment: Segment) -> None:
        text = self.required(segment, 4, "BHT04 (the creation date)")
        self.received = parse_d8(text) if text else None
        if text and self.received is None:
            self.error(segment, "8", f"BHT04 {text!r} is not a date (CCYYMMDD)", 4)

    def hl(self, segment: Segment) -> None:
        self.end_hl(segment)
        self.rank = -1
        level = self.level = segment.get(3)
        self.required(segment, 1, "HL01 (the hierarchical ID)")
        if level == "20":
            self.loop, self.billing = "2000A", BillingState(segment)
            self.subscriber = self.patient = None
        elif level == "22":
            self.loop, self.subscriber, self.patient = "2000B", PersonState(segment), None
            if self.billing is None:
                self.error(segment, "2", "a subscriber (HL03 22) before any billing provider")
        elif level == "23":
            self.loop, self.patient = "2000C", PersonState(segment)
            if self.subscriber is None:
                self.error(segment, "2", "a patient (HL03 23) before any subscriber (HL03 22)")
        else:
            known = "20 billing provider, 22 subscriber, 23 patient"
            self.error(segment, "7", f"HL03 {level!r} is not a hierarchical level ({known})", 3)

    def end_hl(self, following: Segment | None) -> None:
        """At an HL or at the SE: closes the claim and checks what the HL loop required."""
        self.end_claim(following)
        at = following or self.end
        level, billing = self.level, self.billing
        if level == "20" and billing is not None:
            if billing.name is None:
                message = "the billing provider (NM1*85, loop 2010AA) is missing"
                self.missing(at, "NM1", message, "2010AA")
            else:
                for tag in ("N3", "N4"):
                    if tag not in billing.address:
                        what = "address" if tag == "N3" else "city, state and ZIP"
                        message = f"the billing provider {what} ({tag}) is missing"
                        self.missing(billing.name, tag, message, "2010AA")
        person = self.subscriber if level == "22" else self.patient if level == "23" else None
        if person is not None and not person.named:
            what = "subscriber name (NM1*IL" if level == "22" else "patient name (NM1*QC"
            loop = "2010BA" if level == "22" else "2010CA"
            self.missing(at, "NM1", f"the {what}, loop {loop}) is missing", loop)
        if following is None and self.billing is None:
            self.missing(at, "HL", "the set has no billing provider (HL03 20)", "2000A")

    # Loop 2010: names

    def nm1(self, segment: Segment) -> None:
        entity = segment.get(1)
        if entity not in ENTITIES:
            self.error(segment, "7", f"NM101 {entity!r} is not an entity code of an 837", 1)
            return
        if segment.get(2) not in ("1", "2"):
            what = "is missing" if not segment.get(2) else f"{segment.get(2)!r} is not 1 or 2"
            self.error(segment, "1" if not segment.get(2) else "7", f"NM102 (person 1, "
                       f"organisation 2) {what}", 2)  # fmt: skip
        claim, billing = self.claim, self.billing
        if entity in ("41", "40"):
            self.loop = "1000A" if entity == "41" else "1000B"
        elif entity in ("85", "87", "PE") and claim is None and billing is not None:
            self.loop = {"85": "2010AA", "87": "2010AB", "PE": "2010AC"}[entity]
            if entity == "85":
                billing.names += 1
                billing.name = segment
                if billing.names > 1:
                    self.error(segment, "4", "loop 2010AA (billing provider) occurs twice")
                billing.npi = self.required(segment, 9, "NM109 (the billing provider NPI)")
        elif entity in ("IL", "PR") and claim is None:
            self.loop = "2010BA" if entity == "IL" else "2010BB"
            if entity == "IL" and self.subscriber is not None and self.patient is None:
                self.person(self.subscriber, segment, "NM109 (the subscriber identifier)")
        elif entity == "QC" and claim is None and self.patient is not None:
            self.loop = "2010CA"
            self.person(self.patient, segment, None)
        elif claim is not None and (claim.other_payer or entity in ("IL", "PR")):
            self.loop = "2330"
        elif claim is not None:
            letter = PROVIDER_LOOPS[self.kind].get(entity, "")
            self.loop = ("2420" if claim.lines else "2310") + letter
            if entity == "82" and not claim.lines:
                claim.rendering = self.required(segment, 9, "NM109 (the rendering NPI)")

    def person(self, person: PersonState, segment: Segment, identifier: str | None) -> None:
        person.named = True
        person.name = (segment.get(3).strip(), segment.get(4).strip())
        person.id = segment.get(9).strip()
        if identifier is not None:
            self.required(segment, 9, identifier)

    def address(self, segment: Segment) -> None:
        if self.billing is not None and self.loop == "2010AA":
            self.billing.address.add(segment.elements[0])

    def ref(self, segment: Segment) -> None:
        qualifier, value = segment.get(1), segment.get(2).strip()
        if self.loop == "2010AA" and qualifier == "EI" and self.billing is not None:
            self.billing.eins += 1
            self.billing.tin = self.billing.tin or value
            if self.billing.eins > 1:
                self.error(segment, "5", "REF*EI (the billing provider TIN) appears twice")
        elif self.loop == "2300" and qualifier == "F8" and self.claim is not None:
            self.claim.original_ref = value

    def dmg(self, segment: Segment) -> None:
        person = self.patient or self.subscriber
        if person is not None and self.loop in ("2010BA", "2010CA") and segment.get(1) == "D8":
            person.birth = parse_d8(segment.get(2))

    def sbr(self, segment: Segment) -> None:
        if self.claim is not None:
            self.loop, self.claim.other_payer = "2320", True

    # Loop 2300: the claim
