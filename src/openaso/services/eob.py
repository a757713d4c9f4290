"""The member's explanation of benefits: a plain data model built from a stored adjudication.

HTML and PDF (adapters/render) are both rendered from `Eob`; nothing here formats for a medium.
Every amount comes from the stored decision, every "why" from its codes and trace.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openaso.core.accumulators import DEDUCTIBLE, OOP, AccumulatorKey, HolderKind
from openaso.core.claims import Claim, ClaimHeader, Fill
from openaso.core.members import Enrolment, Member, PlanInForce, plan_in_force
from openaso.core.money import Cents
from openaso.core.plan import FamilyMode, Limit, MedicalPlan, Network, Plan, RxPlan
from openaso.services.ports import ReceivedClaim, StoredLine, UnitOfWork

EXPLAINED = ("approved", "denied", "paid")
_SHARE = {"3": "copay", "1": "deductible", "2": "coinsurance"}  # other PR codes: not covered
_COST_SHARE_STEPS = ("copay", "deductible", "coinsurance")


class EobError(ValueError):
    """This claim has no explanation of benefits (yet); the message says why."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One code on a line in plain words; `amount` is None for a remark."""

    code: str
    amount: Cents | None
    text: str


@dataclass(frozen=True, slots=True)
class Amounts:
    """What happened to the charges: billed = adjusted + plan paid + member owes."""

    billed: Cents
    adjusted: Cents  # CO and OA adjustments: reduced or denied, not the member's share
    allowed: Cents
    plan_paid: Cents
    copay: Cents
    deductible: Cents
    coinsurance: Cents
    not_covered: Cents  # any other PR adjustment: not covered, limits, maximums

    @property
    def member_owes(self) -> Cents:
        return self.copay + self.deductible + self.coinsurance + self.not_covered


@dataclass(frozen=True, slots=True)
class EobLine:
    number: int
    service_date: date
    service: str  # procedure code with modifiers, or the NDC of a fill
    benefit: str | None
    status: str
    amounts: Amounts
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...]  # what the trace says about the line, in words


@dataclass(frozen=True, slots=True)
class Standing:
    """One accumulator after the claim: `met` of `limit`."""

    accumulator: str
    level: str
    limit: Cents
    met: Cents

    @property
    def remaining(self) -> Cents:
        return max(0, self.limit - self.met)


@dataclass(frozen=True, slots=True)
class PlanStanding:
    plan: str
    plan_year: str
    network: str
    rows: tuple[Standing, ...]


@dataclass(frozen=True, slots=True)
class Eob:
    claim_id: str
    kind: str
    status: str
    received: date
    produced: date
    patient: str
    member_id: str
    relationship: str | None
    subscriber: str | None
    family_id: str | None
    provider: str
    network: str
    lines: tuple[EobLine, ...]
    totals: Amounts
    standing: tuple[PlanStanding, ...]
    notices: tuple[str, ...]
    appeal_rights: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimRecords:
    """What is on file about one decided claim: everything an EOB is built from."""

    header: ClaimHeader
    claim: ReceivedClaim
    lines: Sequence[StoredLine]
    people: Sequence[Mapping[str, Any]]
    provider: Mapping[str, Any] | None
    member: Member | None
    enrolments: tuple[Enrolment, ...]
    plans: Mapping[str, Plan]
    balances: Mapping[AccumulatorKey, int]


def read_eob(uow: UnitOfWork, claim_id: str, actor: str, at: datetime, files: Sequence[str]) -> Eob:
    """The EOB of a decided claim; reading it is a read of PHI, so it is audited."""
    with uow:
        header = _decided(uow, claim_id)
        records = ClaimRecords(
            header,
            uow.claims.get(header.seq),
            uow.claims.lines(claim_id),
            uow.claims.family_of_claim(claim_id),
            uow.claims.provider_of_claim(claim_id),
            uow.members.get(header.member_id),
            uow.members.enrolments(header.member_id),
            uow.plans.all(),
            uow.claims.standing_after(claim_id),
        )
        eob = build_eob(records, at.date())
        uow.audit.record(at, actor, "eob read", "claim", claim_id, {"files": list(files)})
        uow.commit()
    return eob


_NO_EOB = {
    "received": "is not decided yet: an EOB is written once it is",
    "pended": "is pended for review: an EOB is written once it is decided",
    "voided": "was voided: its decision no longer stands, so it has no EOB",
}


def _decided(uow: UnitOfWork, claim_id: str) -> ClaimHeader:
    """The claim's header if it has an EOB; otherwise EobError saying why not."""
    header = uow.claims.header(claim_id)
    if header is None:
        raise EobError(f"no claim {claim_id} on file")
    if header.kind == "std":
        raise EobError(
            f"claim {claim_id} is a short-term disability claim: its decision letter explains"
            " it; EOBs are written for medical, dental and pharmacy claims"
        )
    if header.status == "replaced":
        by = uow.claims.replacement_of(claim_id)
        raise EobError(f"claim {claim_id} was replaced by {by}: see the EOB of {by}")
    if header.status not in EXPLAINED:
        why = _NO_EOB.get(header.status, f"is {header.status}: no EOB")
        raise EobError(f"claim {claim_id} {why}")
    return header


def build_eob(records: ClaimRecords, produced: date) -> Eob:
    """The EOB from what is on file (pure: no storage, no clock)."""
    header, claim = records.header, records.claim
    network: Network = claim.network if isinstance(claim, Claim) else "in"
    lines = tuple(_line(claim, stored, network) for stored in records.lines)
    people = {p["id"]: p for p in records.people}
    patient = people.get(header.member_id)
    subscriber = next((p for p in records.people if p["relationship"] == "subscriber"), None)
    notices = []
    if header.replaces:
        notices.append(f"This claim replaces claim {header.replaces}, which was corrected.")
    if network == "out" and any(r.code == "CO-45" for line in lines for r in line.reasons):
        notices.append(_BALANCE_BILLING)
    return Eob(
        claim_id=header.id,
        kind=header.kind,
        status=header.status,
        received=header.received,
        produced=produced,
        patient=_name(patient) if patient else header.member_id,
        member_id=header.member_id,
        relationship=patient["relationship"] if patient else None,
        subscriber=_name(subscriber) if subscriber else None,
        family_id=header.family_id if patient else None,
        provider=_provider(claim, records.provider),
        network="in-network" if network == "in" else "out-of-network",
        lines=lines,
        totals=_sum([line.amounts for line in lines]),
        standing=_standing(records, network),
        notices=tuple(notices),
        appeal_rights=APPEAL_RIGHTS,
    )


def _line(claim: ReceivedClaim, stored: StoredLine, network: Network) -> EobLine:
    adjustments = [(g, c, a) for g, c, a in stored.adjustments]
    split = {"copay": 0, "deductible": 0, "coinsurance": 0, "not_covered": 0}
    for group, carc, amount in adjustments:
        if group == "PR":
            split[_SHARE.get(carc, "not_covered")] += amount
    adjusted = sum(a for g, _, a in adjustments if g != "PR")
    if isinstance(claim, Claim):
        service = next(s for s in claim.lines if s.number == stored.number)
        day, what, billed = (
            service.service_date,
            ":".join((service.code, *service.modifiers)),
            service.billed,
        )
    else:  # a fill is billed what it is allowed; the decision balances against that
        assert isinstance(claim, Fill)
        day, what = claim.fill_date, f"NDC {claim.ndc}"
        billed = stored.plan_paid + sum(a for _, _, a in adjustments)
    reasons = [Reason(f"{g}-{c}", a, explain(g, c, network)) for g, c, a in adjustments]
    reasons += [Reason(remark, None, explain_remark(remark)) for remark in stored.remarks]
    amounts = Amounts(billed, adjusted, stored.allowed, stored.plan_paid, **split)
    benefit = getattr(stored, "benefit", None)  # plan documents name benefits like office_visit
    return EobLine(
        stored.number,
        day,
        what,
        benefit.replace("_", " ") if benefit else None,
        stored.status,
        amounts,
        tuple(reasons),
        _notes(stored, amounts),
    )


def _notes(stored: StoredLine, amounts: Amounts) -> tuple[str, ...]:
    """The trace in words: the denial's particulars, a waived deductible, the OOP maximum.

    A stored trace step is [step, note, plan keys, amounts, postings] (core TraceStep).
    """
    steps = [(s[0], s[1], dict(s[3])) for s in stored.trace]
    notes = []
    # An examiner's note is internal (it names the examiner): their code speaks instead.
    if stored.status == "denied" and steps and steps[-1][0] != "review":
        notes.append(f"Details: {steps[-1][1]}.")
    if any(step == "deductible" and note.startswith("waived") for step, note, _ in steps):
        notes.append("The deductible does not apply to this benefit.")
    for step, _, moved in steps:
        room = moved.get("out-of-pocket room")
        charged = next((v for k, v in moved.items() if k.startswith("PR-")), None)
        if step in _COST_SHARE_STEPS and room is not None and charged == room:
            notes.append("You have reached your out-of-pocket maximum: see where you stand.")
            break
    if stored.status != "denied" and amounts.plan_paid and not amounts.member_owes:
        notes.append("The plan paid the full allowed amount.")
    return tuple(notes)


def _sum(rows: Sequence[Amounts]) -> Amounts:
    fields = Amounts.__dataclass_fields__
    return Amounts(**{f: sum(getattr(r, f) for r in rows) for f in fields})


def _name(person: Mapping[str, Any]) -> str:
    name = " ".join(p for p in (person.get("first_name"), person.get("last_name")) if p)
    return name or str(person["id"])


def _provider(claim: ReceivedClaim, on_file: Mapping[str, Any] | None) -> str:
    if on_file is not None:
        return f"{on_file['name']} (NPI {on_file['npi']})"
    if isinstance(claim, Claim):
        return f"NPI {claim.provider}"
    return "pharmacy"


def _standing(records: ClaimRecords, network: Network) -> tuple[PlanStanding, ...]:
    """Deductible and out-of-pocket maximum of each plan the claim was decided under,
    met and remaining after it; the limits that bind are the engine's (cost_share.room)."""
    found = []
    for plan, family_tier in _plans_applied(records):
        share = plan.cost_share(network)
        rows: list[Standing] = []
        for label, names, limit in (
            ("Deductible", DEDUCTIBLE, share.deductible),
            ("Out-of-pocket maximum", OOP, share.oop_max),
        ):
            rows += _rows(records, plan, label, names, network, limit, family_tier)
        if rows:
            year = f"{plan.plan_year.start} to {plan.plan_year.end}"
            where = "in-network" if network == "in" else "out-of-network"
            found.append(PlanStanding(plan.name, year, where, tuple(rows)))
    return tuple(found)


def _rows(
    records: ClaimRecords,
    plan: MedicalPlan,
    label: str,
    names: Mapping[str, str],
    network: Network,
    limit: Limit | None,
    family_tier: bool,
) -> list[Standing]:
    member = records.member
    if limit is None or member is None:
        return []
    counted = list(names.values()) if plan.cross_accumulate else [names[network]]

    def met(kind: HolderKind, holder: str) -> Cents:
        return sum(records.balances.get((kind, holder, plan.id, n), 0) for n in counted)

    embedded = plan.family_mode is FamilyMode.EMBEDDED
    rows = []
    if embedded or not family_tier:
        rows.append(Standing(label, "Individual", limit.individual, met("member", member.id)))
    if limit.family is not None and (embedded or family_tier):
        rows.append(Standing(label, "Family", limit.family, met("family", member.family_id)))
    return rows


def _plans_applied(records: ClaimRecords) -> list[tuple[MedicalPlan, bool]]:
    """The medical or dental plan in force on each date of service (a pharmacy fill: the
    plan its out-of-pocket maximum is integrated with), and whether on a family tier."""
    member, claim = records.member, records.claim
    if member is None:
        return []
    if isinstance(claim, Fill):
        found = plan_in_force(member, records.enrolments, records.plans, "rx", claim.fill_date)
        if not isinstance(found, PlanInForce) or not isinstance(found.plan, RxPlan):
            return []
        target = records.plans.get(found.plan.integrated_oop_with or "")
        return [(target, found.on_family_tier)] if isinstance(target, MedicalPlan) else []
    assert isinstance(claim, Claim)
    applied: dict[str, tuple[MedicalPlan, bool]] = {}
    for day in sorted({line.service_date for line in claim.lines}):
        found = plan_in_force(member, records.enrolments, records.plans, claim.coverage, day)
        if isinstance(found, PlanInForce) and isinstance(found.plan, MedicalPlan):
            applied.setdefault(found.plan.id, (found.plan, found.on_family_tier))
    return list(applied.values())


# Why, per claim adjustment reason code (CARC), in the member's words. Every code the engine
# emits must be here (tests/unit/test_eob_reasons.py scans the engine); an examiner may deny
# with any code, and the common ones are here too.
CARC_REASONS = {
    "1": "This amount is applied to your deductible, which you pay for covered services"
    " before the plan pays its share.",
    "2": "This is your coinsurance: your percentage share of the allowed amount after any"
    " copay and deductible.",
    "3": "This is your copay: the fixed amount the plan sets for this kind of service.",
    "16": "The claim lacks information the plan needs to process it; the provider may send a"
    " corrected claim.",
    "18": "This service was already processed on an earlier claim, so it is not paid again.",
    "22": "Another plan may pay first for this service (coordination of benefits).",
    "23": "What another plan already paid for this service is taken into account.",
    "26": "The service was provided before your coverage under the plan began.",
    "27": "The service was provided after your coverage under the plan ended.",
    "29": "The claim reached the plan after the time the plan allows for filing claims.",
    "31": "The patient could not be found as a member enrolled in this coverage.",
    "45": "The charge is more than the plan's allowed amount for this service.",
    "50": "The plan found this service not medically necessary under its terms.",
    "96": "This charge is not covered by the plan.",
    "97": "This service is included in the payment for another service.",
    "119": "The plan's maximum benefit for this service or for the plan year has been reached.",
    "197": "This service needed the plan's approval in advance (prior authorization), which"
    " was not obtained.",
    "204": "This service is not covered under your plan.",
}
# Remittance advice remark codes (RARC) the engine adds to a line.
REMARKS = {
    "N130": "Your Summary Plan Description explains the restrictions on this service, such as"
    " a waiting period.",
    "N362": "The number of days or units of service is more than the plan allows.",
}
# Who bears an adjustment (its group code) decides what it means for the member.
_GROUP_MEANS = {
    "PR": "This is part of what you may owe the provider.",
    "CO": "Under this decision, this amount is not part of what you owe.",
    "OA": "This adjustment is neither the plan's payment nor your share.",
}
_IN_NETWORK_45 = (
    "You do not owe it: the provider's network agreement accepts the allowed amount as"
    " payment in full."
)


def explain(group: str, carc: str, network: Network) -> str:
    """An adjustment in plain words: why, then what it means for the member."""
    why = CARC_REASONS.get(carc, f"Adjustment reason code {carc}: ask the plan what it means.")
    if group == "CO" and carc == "45":
        means = _IN_NETWORK_45 if network == "in" else "See the note on balance billing."
    else:
        means = _GROUP_MEANS.get(group, "")
    return f"{why} {means}".strip()


def explain_remark(code: str) -> str:
    return REMARKS.get(code, f"Remark code {code}: ask the plan what it means.")


_BALANCE_BILLING = (
    "This provider is not in the plan's network. An out-of-network provider may bill you for"
    " the difference between the charge and the allowed amount (balance billing) unless the"
    " law protects you, for example the No Surprises Act for emergency care. That difference"
    " does not count toward your deductible or out-of-pocket maximum."
)

# Generic and factual (docs/eob.md cites the rules: 29 CFR 2560.503-1, 29 CFR 2590.715-2719).
APPEAL_RIGHTS = (
    "If you disagree with this decision, you or someone you authorize may appeal. You have 180"
    " days from the day you receive this notice to appeal a denial, a reduction or a payment"
    " of less than the full benefit (an adverse benefit determination).",
    "To appeal, write to the plan administrator at the address in your Summary Plan"
    " Description. Give the claim number and say why you disagree. You may send written"
    " comments, documents, records and other information about the claim.",
    "On request and free of charge, you may see and get copies of all documents, records and"
    " other information relevant to your claim, including the diagnosis and treatment codes"
    " and their meanings. If your claim involves urgent care, you may ask for an expedited"
    " appeal.",
    "Your appeal will be decided by someone who did not make this decision and is not that"
    " person's subordinate, without deference to this decision.",
    "If your appeal is denied, you may have the right to an independent external review. You"
    " also have the right to bring a civil action under section 502(a) of the Employee"
    " Retirement Income Security Act (ERISA) after your appeal is decided.",
    "For help with your rights you may contact the Employee Benefits Security Administration"
    " of the U.S. Department of Labor at 1-866-444-3272 or www.dol.gov/ebsa.",
)
