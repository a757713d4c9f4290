"""837P, 837I and 837D files written from claims: the synthetic book's and the benchmarks'.

`write_bills` writes the book's claims as a provider's clearinghouse would: one billing
provider loop (HL 20) per provider, one subscriber loop (HL 22, NM1*IL with the member id on
the card) per family, and a dependent's claims in a patient loop (HL 23, PAT, NM1*QC, DMG) found
by name and birth date, as on a real 837. `write_837` writes bare core Claim values, each member
its own subscriber, so that `read_837(path).claims()` gives the same claims back (round-trip
tests and the 837 benchmark). Both write one interchange and one functional group, one
transaction set per received date (BHT04) and 5,000 claims at most (the guides' limit).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Literal

from openaso.core.claims import Claim, ServiceLine
from openaso.core.money import format_cents
from openaso.synthetic.claims import Bill

Kind = Literal["P", "I", "D"]
GUIDES: dict[Kind, str] = {"P": "005010X222A1", "I": "005010X223A2", "D": "005010X224A2"}
CLAIMS_PER_SET = 5_000  # the 837 guides ask senders to keep a set to 5,000 CLM segments
DEFAULT_CREATED = date(2026, 1, 1)
ZIP = "171111234"  # the generated providers' ZIP+4
ADDRESS = ("N3*10 ELM ST", "N4*ANYTOWN*PA*171112345")  # the generated members' address


@dataclass(frozen=True, slots=True)
class Patient:
    """Who a claim is for, as the 837 names them."""

    subscriber_id: str
    subscriber: tuple[str, str]  # last, first
    subscriber_born: tuple[date, str] | None  # birth date and gender (DMG)
    dependent: tuple[str, str, date, str, str] | None = None  # last first birth gender PAT01


@dataclass(frozen=True, slots=True)
class Sent:
    """One claim with what the 837 says beside the core claim."""

    claim: Claim
    patient: Patient
    diagnoses: tuple[str, ...]
    place: str
    provider_name: str
    tin: str
    zip_code: str  # the billing provider's (837I wants ZIP+4)

    @property
    def order(self) -> tuple[str, str, str]:
        dependent = self.patient.dependent
        return (
            self.claim.provider,
            self.patient.subscriber_id,
            self.claim.member_id * bool(dependent),
        )


def write_837(
    path: Path, claims: list[Claim], kind: Literal["P", "D"], *, sender: str = "OPENASOGEN",
    receiver: str = "OPENASO", control: int = 1,
) -> Path:  # fmt: skip
    """Write bare `claims` as one 837P or 837D interchange, each member a subscriber."""
    sent = [
        Sent(
            claim, Patient(claim.member_id, ("MEMBER", claim.member_id), None), ("R69",), "11",
            f"PROVIDER {claim.provider}", "123456789", "17111",
        )
        for claim in claims
    ]  # fmt: skip
    return _write(path, sent, kind, sender, receiver, control, DEFAULT_CREATED)


def write_bills(
    path: Path, bills: Sequence[Bill], kind: Kind, *, created: date, control: int,
    sender: str = "OPENASOGEN", receiver: str = "OPENASO",
) -> Path:  # fmt: skip
    """Write the book's `bills` of one kind as one 837 interchange created on `created`."""
    sent = []
    for bill in bills:
        subscriber, patient = bill.family.subscriber, bill.patient
        dependent = None
        if patient.relationship != "18":
            relationship = "01" if patient.relationship == "01" else "19"
            dependent = (patient.last, patient.first, patient.birth, patient.gender, relationship)
        who = Patient(
            subscriber.member_id, (subscriber.last, subscriber.first),
            (subscriber.birth, subscriber.gender), dependent,
        )  # fmt: skip
        provider = bill.billing
        sent.append(
            Sent(bill.claim, who, bill.diagnoses, bill.place, provider.name, provider.tin, ZIP)
        )
    return _write(path, sent, kind, sender, receiver, control, created)


def _write(
    path: Path, sent: list[Sent], kind: Kind, sender: str, receiver: str, control: int,
    created: date,
) -> Path:  # fmt: skip
    guide = GUIDES[kind]
    segments = [f"GS*HC*{sender}*{receiver}*{created:%Y%m%d}*1200*{control}*X*{guide}"]
    by_date = sorted(sent, key=lambda one: one.claim.received)
    sets = 0
    for received, on_date in groupby(by_date, key=lambda one: one.claim.received):
        in_date = list(on_date)
        for start in range(0, len(in_date), CLAIMS_PER_SET):
            sets += 1
            in_set = in_date[start : start + CLAIMS_PER_SET]
            segments += _set(f"{sets:04d}", received, in_set, kind, guide)
    segments.append(f"GE*{sets}*{control}")
    isa = (
        f"ISA*00*{' ' * 10}*00*{' ' * 10}*ZZ*{sender:<15.15}*ZZ*{receiver:<15.15}*"
        f"{created:%y%m%d}*1200*^*00501*{control:09d}*0*P*:"
    )
    text = "".join(f"{segment}~\n" for segment in [isa, *segments, f"IEA*1*{control:09d}"])
    path.write_text(text, encoding="utf-8")
    return path


def _set(control: str, received: date, sent: list[Sent], kind: Kind, guide: str) -> list[str]:
    body = [
        f"ST*837*{control}*{guide}",
        f"BHT*0019*00*{control}*{received:%Y%m%d}*1200*CH",
        "NM1*41*2*OPENASO GENERATOR*****46*GEN01",
        "PER*IC*BENCH*TE*5555550100",
        "NM1*40*2*OPENASO*****46*OPENASO",
    ]
    hl = 0
    ordered = sorted(sent, key=lambda one: one.order)
    for provider, of_provider in groupby(ordered, key=lambda one: one.claim.provider):
        hl += 1
        billing = hl
        rest = list(of_provider)
        first = rest[0]
        body += [
            f"HL*{hl}**20*1",
            f"NM1*85*2*{first.provider_name}*****XX*{provider}",
            "N3*1 MAIN ST",
            f"N4*ANYTOWN*PA*{first.zip_code}",
            f"REF*EI*{first.tin}",
        ]
        for subscriber_id, of_family in groupby(rest, key=lambda o: o.patient.subscriber_id):
            family = list(of_family)
            hl += 1
            parent = hl
            who = family[0].patient
            has_dependents = any(one.patient.dependent for one in family)
            body += [
                f"HL*{hl}*{billing}*22*{int(has_dependents)}",
                f"SBR*P*{'' if family[0].patient.dependent else '18'}*GROUP1******CI",
                f"NM1*IL*1*{who.subscriber[0]}*{who.subscriber[1]}****MI*{subscriber_id}",
            ]
            if who.subscriber_born is not None:  # the book's: a person with an address
                born, gender = who.subscriber_born
                body += [*ADDRESS, f"DMG*D8*{born:%Y%m%d}*{gender}"]
            body.append("NM1*PR*2*OPENASO PLAN*****PI*OPENASO")
            for patient_key, of_patient in groupby(family, key=lambda one: one.order[2]):
                claims = list(of_patient)
                dependent = claims[0].patient.dependent
                if patient_key and dependent is not None:
                    hl += 1
                    last, first_name, born, gender, relationship = dependent
                    body += [
                        f"HL*{hl}*{parent}*23*0",
                        f"PAT*{relationship}",
                        f"NM1*QC*1*{last}*{first_name}",
                        *ADDRESS,
                        f"DMG*D8*{born:%Y%m%d}*{gender}",
                    ]
                for one in claims:
                    body += _claim(one, kind)
    body.append(f"SE*{len(body) + 1}*{control}")
    return body


def _claim(one: Sent, kind: Kind) -> list[str]:
    claim = one.claim
    if kind == "I":
        start = min(line.service_date for line in claim.lines)
        out = [
            f"CLM*{claim.id}*{format_cents(claim.billed)}***{one.place}:A:1**A*Y*Y",
            f"DTP*434*RD8*{start:%Y%m%d}-{claim.last_service_date:%Y%m%d}",
        ]
        # CL1: admission type (1 emergency, 3 elective), source (1 referral), status (01 home)
        out.append("CL1*1*1*01" if one.place == "11" else "CL1*3*1*01")
    else:
        out = [f"CLM*{claim.id}*{format_cents(claim.billed)}***{one.place}:B:1*Y*A*Y*Y"]
    if kind != "D":
        out.append("HI*" + "*".join(f"{'ABK' if n == 0 else 'ABF'}:{code}"
                                    for n, code in enumerate(one.diagnoses)))  # fmt: skip
    for line in claim.lines:
        out += _line(line, kind)
    return out


def _line(line: ServiceLine, kind: Kind) -> Iterable[str]:
    charge = format_cents(line.billed)
    yield f"LX*{line.number}"
    if kind == "P":
        code = ":".join(["HC", line.code, *line.modifiers])
        yield f"SV1*{code}*{charge}*UN*{line.units}***1"
    elif kind == "I":
        yield f"SV2*{line.code}**{charge}*UN*{line.units}"
    else:
        code = ":".join(["AD", line.code, *line.modifiers])
        yield f"SV3*{code}*{charge}****{line.units}"
    yield f"DTP*472*D8*{line.service_date:%Y%m%d}"
    if line.repriced is not None:
        yield f"HCP*02*{format_cents(line.repriced)}"
