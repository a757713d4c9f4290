"""Loops 2300 and 2400 of an 837 set: the claim (CLM, HI, HCP, DTP) and its service lines.

SV1 (837P), SV2 (837I, revenue code beside), SV3 (837D, TOO tooth numbers beside); a line's
DTP*472 date, else the claim's DTP*472 (or 837I statement DTP*434). A claim is kept only when
the whole set is free of errors: CLM02 must be the sum of the line charges.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from openaso.adapters.x12.claims_837_values import (
    DIAGNOSES,
    FREQUENCIES,
    SERVICE,
    Claim837,
    ClaimState,
    LineDetail,
    LineState,
    PersonState,
    SetBase,
)
from openaso.adapters.x12.segments import Segment, parse_period
from openaso.core.claims import Claim, ServiceLine


class ClaimReader(SetBase):
    """The handlers of the claim and service-line segments."""

    def clm(self, segment: Segment) -> None:
        self.end_claim(segment)
        self.rank, self.loop = -1, "2300"
        subscriber, patient = self.subscriber, self.patient
        claim_id = self.claim_id = segment.get(1).strip()
        self.required(segment, 1, "CLM01 (the patient control number)")
        billed = self.amount(segment, 2, "CLM02 (the total charge)")
        parts = segment.get(5).split(segment.component)
        frequency = parts[2] if len(parts) > 2 else ""
        if not segment.get(5):
            self.error(segment, "1", "CLM05 (facility code, qualifier, frequency) is missing", 5)
        elif not frequency:
            message = f"CLM05 {segment.get(5)!r} has no frequency code (CLM05-3); components "
            self.error(segment, "1", message + f"are separated by {segment.component!r} "
                       "(ISA16)", 5, 3)  # fmt: skip
        elif frequency not in FREQUENCIES:
            message = f"CLM05-3 {frequency!r} is not a frequency OpenASO takes (1 original, "
            self.error(segment, "7", message + "7 replacement, 8 void)", 5, 3)
        if subscriber is None:
            self.error(segment, "2", "a claim with no subscriber (loop 2000B) before it")
            subscriber = PersonState(segment)
        person = patient or subscriber
        member = subscriber.id
        if patient is not None:
            member = patient.id or f"{subscriber.id}-{patient.hl.get(1)}"
        self.claim = ClaimState(
            segment, claim_id, billed, frequency, member, subscriber.id, patient is not None,
            person.name, person.birth,
        )  # fmt: skip

    def hi(self, segment: Segment) -> None:
        claim = self.claim
        if claim is None or claim.lines or claim.other_payer:
            return
        claim.has_hi = True
        for index, value in enumerate(segment.elements[1:], start=1):
            parts = value.split(segment.component)
            if parts[0] not in DIAGNOSES:
                continue
            code = parts[1].replace(".", "").strip() if len(parts) > 1 else ""
            if code:
                claim.diagnoses.append(code)
            else:
                message = f"HI{index:02d} {value!r} has a qualifier and no diagnosis code"
                self.error(segment, "1", message, index, 2)

    def hcp(self, segment: Segment) -> None:
        claim = self.claim
        if claim is None or claim.other_payer:
            return
        allowed = self.amount(segment, 2, "HCP02 (the repriced allowed amount)")
        if claim.lines:
            claim.lines[-1].repriced = allowed
        else:
            claim.repriced = allowed

    def dtp(self, segment: Segment) -> None:
        claim = self.claim
        qualifier = segment.get(1)
        if claim is None or claim.other_payer:
            return
        at_line = bool(claim.lines) and self.loop.startswith("24")
        if qualifier != "472" and (at_line or qualifier != "434"):
            return
        form, text = segment.get(2), segment.get(3)
        period = parse_period(form, text)
        if isinstance(period, str):
            if form in ("D8", "RD8"):
                self.error(segment, "8", f"DTP03 {period}", 3)
            else:
                self.error(segment, "7", f"DTP02 {form!r} is not D8 or RD8", 2)
        elif at_line:
            claim.lines[-1].period = period
        elif claim.period is None or qualifier == "472":
            claim.period = period

    def end_claim(self, following: Segment | None) -> None:
        claim, self.claim = self.claim, None
        if claim is None:
            return
        self.claim = claim  # so that its errors carry its CLM01
        at = following if following is not None else claim.segment
        billed = claim.billed
        if not claim.lines:
            self.missing(at, "LX", "the claim has no service line (LX, loop 2400)", "2400")
        if not claim.has_hi and self.kind != "D":
            self.missing(at, "HI", "the claim has no diagnosis (HI)", "2300")
        if claim.frequency in ("7", "8") and not claim.original_ref:
            self.missing(at, "REF", "a replacement or void (CLM05-3 7 or 8) needs REF*F8 "
                         "(the original claim)", "2300")  # fmt: skip
        for line in claim.lines:
            if line.period is None and claim.period is None:
                self.missing(line.segment, "DTP", f"line {line.number} has no service date "
                             "(DTP*472) and the claim has none", "2400")  # fmt: skip
        total = sum(line.billed for line in claim.lines)
        if billed is not None and claim.lines and billed != total:
            message = f"CLM02 {claim.segment.get(2)} is not the sum of the line charges "
            self.error(claim.segment, "I12", message + f"({Decimal(total) / 100:.2f})", 2,
                       loop="2300")  # fmt: skip
        self.claim, self.claim_id = None, ""
        if self.errors or billed is None or self.received is None or self.billing is None:
            return
        self.keep(claim)

    def keep(self, claim: ClaimState) -> None:
        billing, received = self.billing, self.received
        assert billing is not None
        assert received is not None
        lines, details = [], []
        for line in claim.lines:
            start, end = line.period or claim.period or (received, received)
            lines.append(ServiceLine(line.number, line.code, start, line.billed, line.modifiers,
                                     line.units, line.repriced))  # fmt: skip
            details.append(LineDetail(line.revenue, tuple(line.teeth), line.units_text, end))
        core = Claim(
            claim.id, claim.member_id, received, "in", claim.rendering or billing.npi,
            tuple(lines), "dental" if self.kind == "D" else "medical",
        )  # fmt: skip
        self.claims.append(
            Claim837(
                core, self.kind, claim.frequency, claim.original_ref, billing.npi, billing.tin,
                claim.rendering, claim.subscriber_id,
                "dependent" if claim.dependent else "subscriber", claim.name, claim.birth,
                tuple(claim.diagnoses), claim.repriced, tuple(details),
                self.position(claim.segment), claim.segment.number,
            )
        )  # fmt: skip

    # Loop 2400: service lines

    def lx(self, segment: Segment) -> None:
        claim = self.claim
        self.rank, self.loop = -1, "2400"
        if claim is None:
            self.error(segment, "2", "a service line (LX) outside any claim")
            return
        claim.other_payer = False
        text = self.required(segment, 1, "LX01 (the line number)")
        if text and not (text.isascii() and text.isdigit()):
            self.error(segment, "6", f"LX01 {text!r} is not a line number", 1)
        number = int(text) if text.isascii() and text.isdigit() else len(claim.lines) + 1
        claim.lines.append(LineState(number, segment))

    def service(self, segment: Segment, qualifier: str, element: int) -> LineState | None:
        """The line a service segment prices: the last LX's, or a new one if the LX is missing."""
        claim, tag = self.claim, segment.elements[0]
        if claim is None:
            self.error(segment, "2", f"a service line ({tag}) outside any claim")
            return None
        if tag != SERVICE[self.kind]:
            expected = SERVICE[self.kind]
            self.error(segment, "2", f"{tag} in an 837{self.kind} (its lines are {expected})")
            return None
        if not claim.lines or claim.lines[-1].priced or self.loop != "2400":
            self.missing(segment, "LX", f"the {tag} has no LX (line number) before it", "2400")
            self.loop = "2400"
            claim.lines.append(LineState(len(claim.lines) + 1, segment))
        line = claim.lines[-1]
        line.priced = True
        composite = segment.get(element)
        parts = composite.split(segment.component)
        key = f"{tag}{element:02d}"
        if not composite:
            self.error(segment, "1", f"{key} (the procedure) is missing", element)
        elif parts[0] != qualifier:
            message = f"{key} {composite!r}: the product/service qualifier is not {qualifier}"
            hint = f" (components are separated by {segment.component!r}, ISA16)"
            self.error(segment, "7", message + (hint if len(parts) == 1 else ""), element, 1)
        elif len(parts) < 2 or not parts[1]:
            self.error(segment, "1", f"{key} {composite!r} has no procedure code", element, 2)
        else:
            line.code = parts[1]
            line.modifiers = tuple(part for part in parts[2:6] if part)
        line.billed = self.amount(segment, element + 1, f"{tag}{element + 1:02d} (the charge)") or 0
        return line

    def units(self, segment: Segment, line: LineState, element: int) -> None:
        text = segment.get(element).strip() or "1"
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self.error(segment, "6", f"units {text!r} are not a number", element)
            return
        line.units = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        line.units_text = text
        if line.units < 1:
            self.error(segment, "I12", f"units {text!r} round to {line.units}", element)

    def sv1(self, segment: Segment) -> None:
        line = self.service(segment, "HC", 1)
        if line is not None:
            self.units(segment, line, 4)

    def sv2(self, segment: Segment) -> None:
        revenue = segment.get(1).strip()
        if not segment.get(2) and self.claim is not None and revenue:  # no HCPCS: the revenue code
            segment = Segment(segment.number, [*segment.elements[:2], f"HC{segment.component}"
                              f"{revenue}", *segment.elements[3:]], segment.component)  # fmt: skip
        line = self.service(segment, "HC", 2)
        if line is None:
            return
        line.revenue = revenue or None
        if not revenue:
            self.error(segment, "1", "SV201 (the revenue code) is missing", 1)
        self.units(segment, line, 5)

    def sv3(self, segment: Segment) -> None:
        line = self.service(segment, "AD", 1)
        if line is not None:
            self.units(segment, line, 6)

    def too(self, segment: Segment) -> None:
        claim = self.claim
        if claim is not None and claim.lines and self.loop == "2400":
            tooth = self.required(segment, 2, "TOO02 (the tooth number)")
            if tooth:
                claim.lines[-1].teeth.append(tooth)
