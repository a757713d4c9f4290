"""The 835 (005010X221A1): one payee's remittance advice for a payment run.

`write_835` turns a `Remittance` into an interchange with one transaction set: BPR (the
payment, or H when nothing is paid), TRN (the cheque or EFT trace), the payer (N1*PR with its
technical contact) and payee (N1*PE with NPI and TIN), a CLP per claim with its SVC lines (CAS
adjustments, AMT*B6 allowed, LQ remarks), and PLB for recoveries netted from the payment. It
refuses a remittance that does not balance (`RemittanceError`), so what is sent always does:
per line and per claim, charge − paid = adjustments; BPR02 = Σ CLP04 − Σ PLB.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from openaso.adapters.x12.ack_999 import Party, Usage
from openaso.core.money import Cents, format_cents

GUIDE_835 = "005010X221A1"
Adjustment = tuple[str, str, Cents]  # group (CO, PR, OA, PI), CARC, amount


class RemittanceError(ValueError):
    """A remittance that cannot be sent as it is; the message says which amount and why."""


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    city: str
    state: str
    postal_code: str


@dataclass(frozen=True, slots=True)
class RemitLine:
    code: str
    modifiers: tuple[str, ...]
    charge: Cents
    paid: Cents
    allowed: Cents
    units: int
    service_date: date
    adjustments: tuple[Adjustment, ...]
    remarks: tuple[str, ...] = ()
    dental: bool = False


@dataclass(frozen=True, slots=True)
class RemitClaim:
    patient_control: str  # CLM01 as the provider sent it
    status: Literal["1", "2", "4", "22"]  # processed as primary, secondary, denied, reversal
    payer_claim_id: str
    patient: tuple[str, str]  # last, first
    member_id: str
    received: date
    lines: tuple[RemitLine, ...]

    @property
    def charge(self) -> Cents:
        return sum(line.charge for line in self.lines)

    @property
    def paid(self) -> Cents:
        return sum(line.paid for line in self.lines)

    @property
    def patient_responsibility(self) -> Cents:
        return sum(a[2] for line in self.lines for a in line.adjustments if a[0] == "PR")


@dataclass(frozen=True, slots=True)
class Recovery:
    """A PLB adjustment: an overpayment taken back (WO) from this payment."""

    reference: str  # the claim it recovers
    amount: Cents  # positive: reduces the payment


@dataclass(frozen=True, slots=True)
class Remittance:
    payer_name: str
    payer_id: str  # TRN03 and N1*PR*XV: "1" + the payer's TIN, or its ID
    payer_address: Address
    payer_contact: tuple[str, str]  # name, phone: PER*BL, the payer's technical contact
    payee_name: str
    payee_npi: str
    payee_tin: str | None
    payee_address: Address | None
    method: Literal["CHK", "ACH"]
    number: str  # the cheque number or EFT trace (TRN02)
    paid_on: date
    claims: tuple[RemitClaim, ...]
    recoveries: tuple[Recovery, ...] = ()
    # EFT: payer routing (ABA) and account, payee routing and account (BPR06-09, BPR12-15)
    bank: tuple[str, str, str, str] | None = None

    @property
    def total(self) -> Cents:
        return sum(c.paid for c in self.claims) - sum(r.amount for r in self.recoveries)


def write_835(
    remit: Remittance, *, ours: Party, theirs: Party, control: int, when: datetime,
    usage: Usage = "P",
) -> str:  # fmt: skip
    """The 835 for `remit`, from `ours` (the payer's administrator) to `theirs` (the payee)."""
    _check(remit)
    total = remit.total
    if total < 0:
        raise RemittanceError(f"payment {remit.number}: recoveries exceed the claims paid")
    paid_on = f"{remit.paid_on:%Y%m%d}"
    if not total:
        bpr = f"BPR*H*0*C*NON************{paid_on}"
    elif remit.method == "CHK":
        bpr = f"BPR*C*{format_cents(total)}*C*CHK************{paid_on}"
    else:
        if remit.bank is None:
            raise RemittanceError(f"payment {remit.number}: an EFT needs both bank accounts")
        payer_routing, payer_account, payee_routing, payee_account = remit.bank
        bpr = (
            f"BPR*I*{format_cents(total)}*C*ACH*CCP*01*{payer_routing}*DA*{payer_account}*"
            f"{remit.payer_id}**01*{payee_routing}*DA*{payee_account}*{paid_on}"
        )
    body = [
        bpr,
        f"TRN*1*{remit.number}*{remit.payer_id}",
        f"DTM*405*{when:%Y%m%d}",
        f"N1*PR*{_text(remit.payer_name)}",
        *_address(remit.payer_address),
        f"PER*BL*{_text(remit.payer_contact[0])}*TE*{remit.payer_contact[1]}",
        f"N1*PE*{_text(remit.payee_name)}*XX*{remit.payee_npi}",
        *(_address(remit.payee_address) if remit.payee_address else []),
    ]
    if remit.payee_tin:
        body.append(f"REF*TJ*{remit.payee_tin}")
    if remit.claims:
        body.append("LX*1")
    for claim in remit.claims:
        body += _claim(claim)
    body += _plb(remit)
    segments = ["ST*835*0001", *body]  # ST03 is not used in the 835 (pyx12's map agrees)
    segments.append(f"SE*{len(segments) + 1}*0001")
    gs = f"GS*HP*{ours.id}*{theirs.id}*{when:%Y%m%d}*{when:%H%M}*{control}*X*{GUIDE_835}"
    blank = " " * 10
    isa = (
        f"ISA*00*{blank}*00*{blank}*{ours.qualifier:<2.2}*{ours.id:<15.15}*"
        f"{theirs.qualifier:<2.2}*{theirs.id:<15.15}*{when:%y%m%d}*{when:%H%M}*^*00501*"
        f"{control:09d}*0*{usage}*:"
    )
    envelope = [isa, gs, *segments, f"GE*1*{control}", f"IEA*1*{control:09d}"]
    return "".join(segment + "~\n" for segment in envelope)


def _claim(claim: RemitClaim) -> list[str]:
    out = [
        f"CLP*{_text(claim.patient_control)}*{claim.status}*{format_cents(claim.charge)}*"
        f"{format_cents(claim.paid)}*{_amount(claim.patient_responsibility)}*12*"
        f"{_text(claim.payer_claim_id)}",
        f"NM1*QC*1*{_text(claim.patient[0])}*{_text(claim.patient[1])}****MI*{claim.member_id}",
        f"DTM*050*{claim.received:%Y%m%d}",
    ]
    for line in claim.lines:
        qualifier = "AD" if line.dental else "HC"
        procedure = ":".join([qualifier, line.code, *line.modifiers])
        out.append(
            f"SVC*{procedure}*{format_cents(line.charge)}*{format_cents(line.paid)}**{line.units}"
        )
        out.append(f"DTM*472*{line.service_date:%Y%m%d}")
        out += _cas(line.adjustments)
        out.append(f"AMT*B6*{format_cents(line.allowed)}")
        out += [f"LQ*HE*{remark}" for remark in line.remarks]
    return out


def _cas(adjustments: Sequence[Adjustment]) -> list[str]:
    """One CAS per group, at most six reason/amount pairs each, groups in a fixed order."""
    by_group: dict[str, list[tuple[str, Cents]]] = {}
    for group, carc, amount in adjustments:
        if amount:
            by_group.setdefault(group, []).append((carc, amount))
    out = []
    for group in sorted(by_group, key=lambda g: ("CO", "PR", "OA", "PI").index(g)):
        pairs = by_group[group]
        for start in range(0, len(pairs), 6):
            chunk = pairs[start : start + 6]
            out.append("*".join(["CAS", group, *(f"{c}*{format_cents(a)}" for c, a in chunk)]))
    return out


def _plb(remit: Remittance) -> list[str]:
    """PLB*NPI*fiscal period end*WO:claim*amount, at most six adjustments a segment."""
    if not remit.recoveries:
        return []
    period = f"{remit.paid_on.year}1231"
    pairs = [f"WO:{_text(r.reference)}*{format_cents(r.amount)}" for r in remit.recoveries]
    return [
        "*".join(["PLB", remit.payee_npi, period, *pairs[start : start + 6]])
        for start in range(0, len(pairs), 6)
    ]


def _check(remit: Remittance) -> None:
    for claim in remit.claims:
        for number, line in enumerate(claim.lines, start=1):
            adjusted = sum(a[2] for a in line.adjustments)
            if line.charge - line.paid != adjusted:
                charge, paid = format_cents(line.charge), format_cents(line.paid)
                raise RemittanceError(
                    f"claim {claim.payer_claim_id} line {number}: charge {charge} − paid {paid}"
                    f" ≠ adjustments {format_cents(adjusted)}"
                )
        if claim.status == "4" and claim.paid:
            raise RemittanceError(f"claim {claim.payer_claim_id} is denied but pays")
    for recovery in remit.recoveries:
        if recovery.amount <= 0:
            raise RemittanceError(f"recovery of {recovery.reference} must be positive")


def _address(address: Address) -> list[str]:
    return [
        f"N3*{_text(address.street)}",
        f"N4*{_text(address.city)}*{address.state}*{address.postal_code}",
    ]


def _amount(cents: Cents) -> str:
    return format_cents(cents) if cents else "0"


def _text(value: str) -> str:
    """Free text without the separators this 835 uses."""
    return "".join(char for char in value if char not in "*~:^").strip() or "UNKNOWN"
