"""Loops 2300 and 2400 of an 837 set: the claim (CLM, HI, HCP, DTP) and its service lines.

SV1 (837P), SV2 (837I, revenue code beside), SV3 (837D, TOO tooth numbers beside); a line's
DTP*472 date, else the claim's DTP*472 (or 837I statement DTP*434). A claim is kept only when
the whole set is free of errors: CLM02 must be the sum of the line charges. Every segment is
read once, in file order; these handlers run for most segments of a file, so they read the
elements in place rather than through helpers where it counts.
"""

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from openaso.adapters.x12.claims_837_values import (
    DIAGNOSES,
    ENVELOPE,
    FREQUENCIES,
    Claim837,
    ClaimState,
    LineDetail,
    LineState,
    PersonState,
    SetBase,
    fields,
    get,
)
from openaso.adapters.x12.records import builder
from openaso.adapters.x12.segments import parse_period
from openaso.core.claims import Claim, ServiceLine
from openaso.core.money import Cents

# The records of every claim kept, made without the frozen __init__ (see `records`).
make_line, make_claim, make_claim_837 = builder(ServiceLine), builder(Claim), builder(Claim837)

CHARGE = {"SV1": "SV102 (the charge)", "SV2": "SV203 (the charge)", "SV3": "SV302 (the charge)"}
# The service segments read in place: (qualifier of the composite at element 1, the charge at
# element 2, the units at this element). SV2 (revenue code first) always goes to its handler.
IN_PLACE_SERVICE = {"SV1": ("HC", 4), "SV3": ("AD", 6)}
END: tuple[int, list[str]] = (0, [""])  # what `read` draws when the segments run out
# A line number or units as usually sent (no sign, no leading zero, no decimals), and its value.
WHOLE = {str(value): value for value in range(1, 1000)}


class ClaimReader(SetBase):
    """The handlers of the claim and service-line segments, and the loop that gives each segment
    of a set to its handler (`read`)."""

    # False: every segment goes to its handler (the tests read files both ways and compare).
    in_place = True

    def read(self, segments: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]] | None:
        """Reads numbered segments of the set until one that is the envelope's (ISA, IEA, GS, GE,
        ST or SE), returned, or until they run out (None).

        LX, SV1, SV3, DTP and HCP are most of a file: within a claim, one that is as the guide
        wants it (whole line number; HC/AD procedure, dollars-and-cents charge and whole units;
        DTP*472*D8 of a date already read in the set; an amount) is read here, in place, as its
        handler would read it. An LX read in place draws the next two segments itself, its
        service segment and its DTP*472 as a rule: no dispatch, nor a check of the loop, for
        them. Anything else, and every other segment, goes to its handler, which reads it from
        scratch and says what is wrong: an in-place read changes nothing until it has checked
        all it reads.
        """
        handlers, periods, procedures = self.handlers, self.periods, self.procedures
        service = self.service_tag
        qualifier, units_at = IN_PLACE_SERVICE.get(service, ("", 0))
        in_place = self.in_place and units_at > 0
        for number, elements in segments:
            tag = elements[0]
            if in_place and (claim := self.claim) is not None:
                if (
                    tag == "LX"
                    and len(elements) > 1
                    and (line_number := WHOLE.get(elements[1])) is not None
                ):
                    self.rank, self.loop = -1, "2400"
                    claim.other_payer = False
                    claim.lines.append(line := LineState(line_number, number))
                    # Its service segment and DTP*472 come next, as a rule: read on for them.
                    number, elements = next(segments, END)
                    if (
                        elements[0] == service
                        and len(elements) > units_at
                        and (units := WHOLE.get(count := elements[units_at])) is not None
                        and (charge := elements[2])[-3:-2] == "."  # as usual_cents, inlined
                        and (cents := charge.replace(".", "", 1)).isdigit()
                        and cents.isascii()
                        and (
                            (procedure := procedures.get(composite := elements[1])) is not None
                            or (procedure := self.procedure(composite, qualifier)) is not None
                        )
                    ):
                        line.priced = True
                        line.code, line.modifiers = procedure
                        line.billed, line.units, line.units_text = int(cents), units, count
                        number, elements = next(segments, END)
                        if (
                            elements[0] == "DTP"
                            and len(elements) > 3
                            and elements[1] == "472"
                            and elements[2] == "D8"
                            and (period := periods.get(elements[3])) is not None
                        ):
                            line.period = period
                            continue
                    if elements is END[1]:
                        return None
                    tag = elements[0]  # not what was expected: read as any other segment
                if tag == "DTP":
                    if (
                        not claim.other_payer
                        and len(elements) > 3
                        and elements[1] == "472"
                        and elements[2] == "D8"
                        and (period := periods.get(elements[3])) is not None
                    ):
                        if claim.lines and self.loop.startswith("24"):
                            claim.lines[-1].period = period
                        else:
                            claim.period = period
                        continue
                elif tag == "HCP" and (
                    not claim.other_payer
                    and len(elements) > 2
                    and (amount := elements[2])[-3:-2] == "."  # as usual_cents, inlined
                    and (cents := amount.replace(".", "", 1)).isdigit()
                    and cents.isascii()
                ):
                    if claim.lines:
                        claim.lines[-1].repriced = int(cents)
                    else:
                        claim.repriced = int(cents)
                    continue
            handler = handlers.get(tag)
            if handler is not None:
                handler(number, elements)
            elif tag in ENVELOPE:
                return number, elements
            else:
                self.unknown(number, elements)
        return None

    def procedure(self, composite: str, qualifier: str) -> tuple[str, tuple[str, ...]] | None:
        """(code, modifiers) of a service segment's procedure composite in the usual form
        (`qualifier`:code[:modifiers]), kept for the set's next line that sends it; None for
        any other (the segment's handler says what is wrong)."""
        parts = composite.split(self.component)
        if len(parts) < 2 or parts[0] != qualifier or not parts[1]:
            return None
        procedure = self.procedures[composite] = (parts[1], tuple(filter(None, parts[2:6])))
        return procedure

    def clm(self, number: int, elements: list[str]) -> None:
        self.end_claim(number)
        self.rank, self.loop = -1, "2300"
        subscriber, patient, separator = self.subscriber, self.patient, self.component
        claim_id = self.claim_id = get(elements, 1).strip()
        if not claim_id:
            self.error(number, elements, "1", "CLM01 (the patient control number) is missing", 1)
        charge = elements[2] if len(elements) > 2 else ""
        if (
            charge[-3:-2] == "."
            and (cents := charge.replace(".", "", 1)).isdigit()
            and cents.isascii()
        ):  # the usual dollars and cents, as usual_cents reads it; any other form is amount's
            billed: Cents | None = int(cents)
        else:
            billed = self.amount(number, elements, 2, "CLM02 (the total charge)")
        facility = get(elements, 5)
        parts = facility.split(separator)
        frequency = parts[2] if len(parts) > 2 else ""
        if not facility:
            message = "CLM05 (facility code, qualifier, frequency) is missing"
            self.error(number, elements, "1", message, 5)
        elif not frequency:
            message = f"CLM05 {facility!r} has no frequency code (CLM05-3); components are "
            message += f"separated by {separator!r} (ISA16)"
            self.error(number, elements, "1", message, 5, 3)
        elif frequency not in FREQUENCIES:
            message = f"CLM05-3 {frequency!r} is not a frequency OpenASO takes (1 original, "
            self.error(number, elements, "7", message + "7 replacement, 8 void)", 5, 3)
        if subscriber is None:
            message = "a claim with no subscriber (loop 2000B) before it"
            self.error(number, elements, "2", message)
            subscriber = PersonState("")
        person = patient or subscriber
        member = subscriber.id
        if patient is not None:
            member = patient.id or f"{subscriber.id}-{patient.hl_id}"
        self.claim = ClaimState(
            number, elements, claim_id, billed, frequency, member, subscriber.id,
            patient is not None, person.name, person.birth,
        )  # fmt: skip

    def hi(self, number: int, elements: list[str]) -> None:
        claim = self.claim
        if claim is None or claim.lines or claim.other_payer:
            return
        claim.has_hi = True
        diagnoses, known = claim.diagnoses, self.diagnoses
        for index, value in enumerate(elements[1:], start=1):
            code = known.get(value)
            if code is None:  # not read before in this set
                parts = value.split(self.component)
                code = ""
                if parts[0] in DIAGNOSES:
                    code = parts[1].replace(".", "").strip() if len(parts) > 1 else ""
                    if not code:
                        message = f"HI{index:02d} {value!r} has a qualifier and no diagnosis code"
                        self.error(number, elements, "1", message, index, 2)
                        continue
                known[value] = code  # "": a composite of another qualifier, not a diagnosis
            if code:
                diagnoses.append(code)

    def hcp(self, number: int, elements: list[str]) -> None:
        claim = self.claim
        if claim is None or claim.other_payer:
            return
        allowed = self.amount(number, elements, 2, "HCP02 (the repriced allowed amount)")
        if claim.lines:
            claim.lines[-1].repriced = allowed
        else:
            claim.repriced = allowed

    def dtp(self, number: int, elements: list[str]) -> None:
        claim = self.claim
        if claim is None or claim.other_payer:
            return
        qualifier, form, text = elements[1:4] if len(elements) >= 4 else fields(elements, 3)
        at_line = bool(claim.lines) and self.loop.startswith("24")
        if qualifier != "472" and (at_line or qualifier != "434"):
            return
        period = parse_period(form, text)
        if form == "D8" and not isinstance(period, str):
            self.periods[text] = period  # for `read` to find in place
        if isinstance(period, str):
            if form in ("D8", "RD8"):
                self.error(number, elements, "8", f"DTP03 {period}", 3)
            else:
                self.error(number, elements, "7", f"DTP02 {form!r} is not D8 or RD8", 2)
        elif at_line:
            claim.lines[-1].period = period
        elif claim.period is None or qualifier == "472":
            claim.period = period

    def end_claim(self, following: int | None) -> None:
        """At the segment numbered `following` (an HL, a CLM) or at the SE: the claim checked,
        and kept (made into its records) when the set has no error so far."""
        claim = self.claim  # still current, so that its errors carry its CLM01
        if claim is None:
            return
        at = following if following is not None else claim.at
        billed, lines, period = claim.billed, claim.lines, claim.period
        if not lines:
            self.missing(at, "LX", "the claim has no service line (LX, loop 2400)", "2400")
        if not claim.has_hi and self.kind != "D":
            self.missing(at, "HI", "the claim has no diagnosis (HI)", "2300")
        if claim.frequency in ("7", "8") and not claim.original_ref:
            self.missing(at, "REF", "a replacement or void (CLM05-3 7 or 8) needs REF*F8 "
                         "(the original claim)", "2300")  # fmt: skip
        billing, received, shared = self.billing, self.received, self.details
        # The records are made as the lines are checked, while nothing rejects the set yet.
        keeping = not self.errors and billed is not None and received is not None
        made, details, total = [], [], 0
        for line in lines:
            total += line.billed
            when = line.period or period
            if when is None:
                self.missing(line.at, "DTP", f"line {line.number} has no service date "
                             "(DTP*472) and the claim has none", "2400")  # fmt: skip
                keeping = False
            elif keeping:
                made.append(make_line(line.number, line.code, when[0], line.billed,
                                      line.modifiers, line.units, line.repriced))  # fmt: skip
                # Equal details are one value (frozen): most lines of a set say the same.
                key = (line.revenue, line.teeth, line.units_text, when[1])
                detail = shared.get(key)
                if detail is None:
                    detail = shared[key] = LineDetail(*key)
                details.append(detail)
        if billed is not None and lines and billed != total:
            message = f"CLM02 {get(claim.elements, 2)} is not the sum of the line charges "
            self.error(claim.at, claim.elements, "I12", message + f"({Decimal(total) / 100:.2f})",
                       2, loop="2300")  # fmt: skip
        self.claim, self.claim_id = None, ""
        if not keeping or self.errors or received is None or billing is None:
            return
        core = make_claim(
            claim.id, claim.member_id, received, "in", claim.rendering or billing.npi,
            tuple(made), "dental" if self.kind == "D" else "medical", (),
        )  # fmt: skip
        self.claims.append(
            make_claim_837(
                core, self.kind, claim.frequency, claim.original_ref, billing.npi, billing.tin,
                claim.rendering, claim.subscriber_id,
                "dependent" if claim.dependent else "subscriber", claim.name, claim.birth,
                tuple(claim.diagnoses), claim.repriced, tuple(details),
                claim.at - self.st.number + 1, claim.at,
            )
        )  # fmt: skip

    # Loop 2400: service lines

    def lx(self, number: int, elements: list[str]) -> None:
        claim = self.claim
        self.rank, self.loop = -1, "2400"
        if claim is None:
            self.error(number, elements, "2", "a service line (LX) outside any claim")
            return
        claim.other_payer = False
        text = elements[1].strip() if len(elements) > 1 else ""
        if text.isdigit() and text.isascii():
            line_number = int(text)
        else:
            if not text:
                self.error(number, elements, "1", "LX01 (the line number) is missing", 1)
            else:
                self.error(number, elements, "6", f"LX01 {text!r} is not a line number", 1)
            line_number = len(claim.lines) + 1
        claim.lines.append(LineState(line_number, number))

    def service(
        self, number: int, elements: list[str], qualifier: str, element: int, units: int = 0
    ) -> LineState | None:
        """The line a service segment prices: the last LX's, or a new one if the LX is missing;
        its units read from element `units` unless 0."""
        claim, tag = self.claim, elements[0]
        if claim is None or tag != self.service_tag:
            self.misplaced(number, elements)
            return None
        lines = claim.lines
        if not lines or lines[-1].priced or self.loop != "2400":
            self.missing(number, "LX", f"the {tag} has no LX (line number) before it", "2400")
            self.loop = "2400"
            lines.append(LineState(len(lines) + 1, number))
        line = lines[-1]
        line.priced = True
        composite = elements[element] if element < len(elements) else ""
        parts = composite.split(self.component)
        if len(parts) > 1 and parts[0] == qualifier and parts[1]:  # qualifier:code[:modifiers]
            line.code = parts[1]
            if len(parts) > 2:
                line.modifiers = tuple(filter(None, parts[2:6]))
        else:
            self.no_procedure(number, elements, qualifier, element)
        line.billed = self.amount(number, elements, element + 1, CHARGE[tag]) or 0
        if units:
            self.units(number, elements, line, units)
        return line

    def misplaced(self, number: int, elements: list[str]) -> None:
        """A service segment outside a claim, or of another kind of 837."""
        tag = elements[0]
        if self.claim is None:
            self.error(number, elements, "2", f"a service line ({tag}) outside any claim")
        else:
            message = f"{tag} in an 837{self.kind} (its lines are {self.service_tag})"
            self.error(number, elements, "2", message)

    def no_procedure(self, number: int, elements: list[str], qualifier: str, element: int) -> None:
        """Why the composite `element` of a service segment gives no procedure code."""
        composite, key = get(elements, element), f"{elements[0]}{element:02d}"
        parts = composite.split(self.component)
        if not composite:
            self.error(number, elements, "1", f"{key} (the procedure) is missing", element)
        elif parts[0] != qualifier:
            message = f"{key} {composite!r}: the product/service qualifier is not {qualifier}"
            hint = f" (components are separated by {self.component!r}, ISA16)"
            self.error(number, elements, "7", message + (hint if len(parts) == 1 else ""),
                       element, 1)  # fmt: skip
        else:
            message = f"{key} {composite!r} has no procedure code"
            self.error(number, elements, "1", message, element, 2)

    def units(self, number: int, elements: list[str], line: LineState, element: int) -> None:
        text = (elements[element].strip() if element < len(elements) else "") or "1"
        if text.isdigit() and text.isascii():  # the usual whole number
            line.units = int(text)
        else:  # decimal units are rounded half up
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = Decimal("NaN")
            if not value.is_finite():
                self.error(number, elements, "6", f"units {text!r} are not a number", element)
                return
            line.units = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        line.units_text = text
        if line.units < 1:
            self.error(number, elements, "I12", f"units {text!r} round to {line.units}", element)

    def sv1(self, number: int, elements: list[str]) -> None:
        self.service(number, elements, "HC", 1, units=4)

    def sv2(self, number: int, elements: list[str]) -> None:
        revenue = get(elements, 1).strip()
        if not get(elements, 2) and self.claim is not None and revenue:  # no HCPCS: the revenue
            elements = [*elements[:2], f"HC{self.component}{revenue}", *elements[3:]]
        line = self.service(number, elements, "HC", 2)
        if line is None:
            return
        line.revenue = revenue or None
        if not revenue:
            self.error(number, elements, "1", "SV201 (the revenue code) is missing", 1)
        self.units(number, elements, line, 5)

    def sv3(self, number: int, elements: list[str]) -> None:
        self.service(number, elements, "AD", 1, units=6)

    def too(self, number: int, elements: list[str]) -> None:
        claim = self.claim
        if claim is not None and claim.lines and self.loop == "2400":
            tooth = self.required(number, elements, 2, "TOO02 (the tooth number)")
            if tooth:
                claim.lines[-1].teeth += (tooth,)
