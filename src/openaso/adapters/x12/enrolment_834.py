"""The 834 reader (guide 005010X220A1): one enrolment batch per transaction set, and findings.

A bad member (loop 2000) is a finding and is skipped; every other member still comes through.
`docs/enrolment.md` states the rules for operations staff.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openaso.adapters.files.yaml_source import Finding
from openaso.adapters.x12.segments import (
    Segment,
    X12Error,
    parse_d8,
    parse_period,
    read_segments,
    wrong_set,
    wrong_trailer,
)
from openaso.core.enrolment import CoverageElection, EnrolmentBatch, Maintenance, MemberRecord
from openaso.core.members import Relationship, TierCode
from openaso.core.plan import Coverage

GUIDE = "005010X220A1"
RELATIONSHIPS: dict[str, Relationship] = {"18": "subscriber", "01": "spouse", "53": "spouse"}
RELATIONSHIPS |= dict.fromkeys(("19", "09", "10", "15", "17"), "child")
MEMBER_MAINTENANCE: dict[str, Maintenance] = {
    "001": "change",
    "021": "add",
    "024": "terminate",
    "025": "reinstate",
    "030": "audit",
}
LINE_MAINTENANCE: dict[str, Maintenance] = {**MEMBER_MAINTENANCE, "002": "terminate"}
LINES: dict[str, Coverage] = dict.fromkeys(("HLT", "PPO", "HMO", "EPO", "POS", "MM"), "medical")
LINES |= {"DEN": "dental", "PDG": "rx", "STD": "std"}
NOT_ADMINISTERED = {  # HD03 lines read with a finding and skipped
    "VIS": "vision",
    "LTD": "long-term disability",
    "AK": "mental health",
    "AG": "preventive care",
    "AH": "24-hour care",
    "AJ": "Medicare risk",
    "DCP": "dental capitation",
    "FAC": "facility",
    "HE": "hearing",
    "LTC": "long-term care",
    "MOD": "mail-order drug",
    "PRA": "practitioners",
    "UR": "utilization review",
}
TIERS: dict[str, TierCode] = {"EMP": "EE", "IND": "EE", "ESP": "ES"}
TIERS |= dict.fromkeys(("ECH", "E1D", "E2D", "E3D", "CHD"), "EC")
TIERS |= dict.fromkeys(("FAM", "SPC", "E5D", "E6D", "E7D", "E8D", "E9D"), "FAM")
BLANK = [""] * 10  # pads elements so that absent trailing ones read as ""


@dataclass(slots=True)
class _Line:
    """An HD loop (2300) being read."""

    maintenance: Maintenance
    coverage: Coverage
    tier: TierCode | None
    plan_code: str | None
    start: date | None = None
    end: date | None = None


@dataclass(slots=True)
class _Member:
    """An INS loop (2000) being read."""

    number: int
    subscriber: bool
    relationship: Relationship | None
    maintenance: Maintenance | None
    reason: str | None
    ok: bool = True
    ref: str = ""
    names: tuple[str, str, str] | None = None  # last, first, NM109
    in_name: bool = False  # the last NM1 was the member's own (IL, or 74 corrected)
    birth: date | None = None
    gender: str | None = None
    start: date | None = None
    end: date | None = None
    had_hd: bool = False
    line: _Line | None = None
    elections: list[CoverageElection] = field(default_factory=list)


@dataclass(slots=True)
class _Set:
    """An ST..SE transaction set being read."""

    st: Segment
    bgn: Segment | None = None
    sponsor: Segment | None = None  # N1*P5
    records: list[MemberRecord] = field(default_factory=list)
    subscriber: _Member | None = None  # the last subscriber loop: the family of what follows


def read_834(path: Path) -> tuple[list[EnrolmentBatch], list[Finding]]:
    """The 834 transaction sets of `path` as enrolment batches, and the findings."""
    reader = _Reader(str(path))
    handlers = reader.handlers()
    try:
        for segment in read_segments(path):
            handler = handlers.get(segment.elements[0])
            if handler is not None:
                handler(segment)
    except X12Error as exc:
        reader.findings.append(exc.finding)
    reader.close()
    return reader.batches, reader.findings


class _Reader:
    """Takes the segments in file order: one handler per segment ID it uses, the rest ignored."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.batches: list[EnrolmentBatch] = []
        self.findings: list[Finding] = []
        self.group: Segment | None = None
        self.set: _Set | None = None
        self.member: _Member | None = None
        self.sets_seen = 0
        self.elections: dict[tuple[object, ...], CoverageElection] = {}  # one of each, shared

    def handlers(self) -> dict[str, Callable[[Segment], None]]:
        tags = ("GS", "GE", "ST", "SE", "BGN", "N1", "INS", "REF", "NM1", "DMG", "DTP", "HD")
        return {tag: getattr(self, tag.lower()) for tag in tags}

    def note(self, number: int | None, key: str, message: str) -> None:
        self.findings.append(Finding(self.origin, number, key, message))

    def fault(self, member: _Member, number: int, key: str, message: str) -> None:
        self.note(number, key, message + "; member skipped")
        member.ok = False

    # The envelope and the header

    def gs(self, segment: Segment) -> None:
        self.ge(segment)
        self.group = segment

    def ge(self, segment: Segment) -> None:
        if self.set is not None:
            message = f"the set has no SE before the {segment.tag} at segment {segment.number}"
            self.note(self.set.st.number, "SE", f"{message}; its members are still read")
            self.end_set()

    def st(self, segment: Segment) -> None:
        self.sets_seen += 1
        self.ge(segment)
        problem = wrong_set(segment, self.group, "834", "BE", GUIDE)
        if problem is None:
            self.set = _Set(segment)
        else:
            self.note(segment.number, *problem)

    def bgn(self, segment: Segment) -> None:
        if self.set is not None and self.set.bgn is None:
            self.set.bgn = segment

    def n1(self, segment: Segment) -> None:
        if self.set is not None and self.set.sponsor is None and segment.get(1) == "P5":
            self.set.sponsor = segment

    def se(self, segment: Segment) -> None:
        current = self.set
        if current is None:
            return
        self.end_member()  # first, so that its findings come before the trailer's
        for key, message in wrong_trailer(current.st, segment):
            self.note(segment.number, key, message)
        self.end_set()

    def close(self) -> None:
        if self.set is not None:
            message = "the file ends inside this set (no SE); its members are still read"
            self.note(self.set.st.number, "SE", message)
            self.end_set()
        if not self.sets_seen and not self.findings:
            self.note(None, "ST", "the file holds no transaction set")

    def end_set(self) -> None:
        self.end_member()
        current, self.set = self.set, None
        if current is None:
            return
        bgn, n1 = current.bgn, current.sponsor
        skipped = "; transaction set skipped"
        if bgn is None or n1 is None:
            key = "BGN" if bgn is None else "N1*P5"
            what = "no BGN" if bgn is None else "no plan sponsor (N1*P5)"
            self.note(current.st.number, key, f"the transaction set has {what}{skipped}")
            return
        reference, text, action = bgn.get(2), bgn.get(3), bgn.get(8)
        file_date = parse_d8(text)
        sponsor = n1.get(4) or n1.get(2)
        for number, key, problem in (
            (bgn.number, "BGN02", "" if reference else "the set reference is missing"),
            (bgn.number, "BGN03", "" if file_date else f"{text!r} is not a date (CCYYMMDD)"),
            (bgn.number, "BGN08", "" if action else "the action (2, 4 or RX) is missing"),
            (n1.number, "N104", "" if sponsor else "the plan sponsor has no N104 or N102"),
        ):
            if problem:
                self.note(number, key, problem + skipped)
                return
        assert file_date is not None
        records = tuple(current.records)
        self.batches.append(
            EnrolmentBatch(self.origin, sponsor, file_date, reference, action, records)
        )

    # Loop 2000: one member

    def ins(self, segment: Segment) -> None:
        self.end_member()
        if self.set is None:
            return
        _, flag, code, maintenance, reason, *_ = segment.elements + BLANK
        member = _Member(
            segment.number,
            flag == "Y",
            RELATIONSHIPS.get(code),
            MEMBER_MAINTENANCE.get(maintenance),
            reason or None,
        )
        self.member = member
        n = segment.number
        if flag not in ("Y", "N"):
            self.fault(member, n, "INS01", f"{flag!r} is not Y (subscriber) or N (dependent)")
        if member.relationship is None:
            known = "18 self; 01, 53 spouse; 19, 09, 10, 15, 17 child"
            message = f"{code!r} is not a relationship OpenASO knows ({known})"
            self.fault(member, n, "INS02", message)
        elif flag in ("Y", "N") and member.subscriber != (code == "18"):
            message = f"{code!r} ({member.relationship}) does not agree with INS01 {flag!r}: "
            self.fault(
                member, n, "INS02", message + "a subscriber is 18 (self), a dependent is not"
            )
        if member.maintenance is None:
            known = "001 change, 021 add, 024 terminate, 025 reinstate, 030 audit"
            self.fault(member, n, "INS03", f"{maintenance!r} is not a maintenance type ({known})")

    def ref(self, segment: Segment) -> None:
        member = self.member
        if member is not None and not member.ref and segment.get(1) == "0F":
            member.ref = segment.get(2).strip()

    def nm1(self, segment: Segment) -> None:
        member = self.member
        if member is None:
            return
        member.in_name = segment.get(1) in ("IL", "74")  # 74: the corrected member name
        if not member.in_name or member.names is not None:
            return
        _, _, _, last, first, _, _, _, _, identifier, *_ = segment.elements + BLANK
        member.names = (last.strip(), first.strip(), identifier.strip())
        for key, value, what in zip(
            ("NM103", "NM104"), member.names[:2], ("last", "first"), strict=True
        ):
            if not value:
                self.fault(member, segment.number, key, f"the member's {what} name is missing")

    def dmg(self, segment: Segment) -> None:
        member = self.member
        if member is None or not member.in_name:
            return  # or the demographics of another name (NM1*70 incorrect member name, ...)
        _, form, text, gender, *_ = segment.elements + BLANK
        member.birth, member.gender = parse_d8(text), gender or None
        if text and form != "D8":
            self.fault(member, segment.number, "DMG01", f"{form!r} is not D8 (CCYYMMDD)")
        elif text and member.birth is None:
            self.fault(member, segment.number, "DMG02", f"{text!r} is not a date (CCYYMMDD)")

    def dtp(self, segment: Segment) -> None:
        member = self.member
        if member is None:
            return
        _, qualifier, form, text, *_ = segment.elements + BLANK
        target: _Line | _Member | None = member
        if qualifier in ("348", "349"):
            target = member.line  # None after a skipped coverage line
        elif qualifier not in ("356", "357"):
            return
        period = parse_period(form, text)
        if isinstance(period, str):
            key = "DTP03" if form in ("D8", "RD8") else "DTP02"
            self.fault(member, segment.number, key, period)
        elif target is not None and form == "RD8":
            target.start, target.end = period
        elif target is not None and qualifier in ("348", "356"):
            target.start = period[0]
        elif target is not None:
            target.end = period[1]

    # Loop 2300: one coverage line

    def hd(self, segment: Segment) -> None:
        member = self.member
        if member is None:
            return
        self.end_line(member)
        member.had_hd, member.in_name = True, False
        n = segment.number
        _, action, _, code, plan_code, level, *_ = segment.elements + BLANK
        maintenance, coverage = LINE_MAINTENANCE.get(action), LINES.get(code)
        tier = TIERS.get(level)
        if maintenance is None:
            known = "001 change, 002 delete, 021 add, 024 terminate, 025 reinstate, 030 audit"
            self.fault(member, n, "HD01", f"{action!r} is not a maintenance type ({known})")
        if code in NOT_ADMINISTERED:
            message = f"{code}: {NOT_ADMINISTERED[code]} is not administered by OpenASO"
            self.note(n, "HD03", f"{message}; coverage line skipped")
        elif coverage is None:
            self.fault(member, n, "HD03", f"{code!r} is not an insurance line code")
        if level and tier is None:
            known = "EMP, IND, ESP, ECH, E1D-E3D, CHD, FAM, SPC, E5D-E9D"
            message = f"{level!r} is not a coverage level OpenASO maps to a tier ({known})"
            self.fault(member, n, "HD05", message)
        if coverage is not None and maintenance is not None:
            member.line = _Line(maintenance, coverage, tier, plan_code or None)

    def end_line(self, member: _Member) -> None:
        line, member.line = member.line, None
        if line is not None:
            key = (line.coverage, line.start, line.end, line.tier, line.plan_code, line.maintenance)
            election = self.elections.get(key)
            if election is None:
                election = self.elections[key] = CoverageElection(*key)
            member.elections.append(election)

    def end_member(self) -> None:
        member, self.member = self.member, None
        current = self.set
        if member is None or current is None:
            return
        self.end_line(member)
        n = member.number
        if not member.ref:
            self.fault(member, n, "REF*0F", "the member has no REF*0F subscriber identifier")
        if member.names is None:
            self.fault(member, n, "NM1*IL", "the member has no NM1*IL member name")
        family = current.subscriber
        if member.subscriber:
            current.subscriber = member
            member_id = family_id = member.ref
        elif family is not None and not family.ref:
            message = f"the subscriber loop at segment {family.number} has no REF*0F"
            self.fault(member, n, "REF*0F", f"{message}, so the family is unknown")
            member_id = family_id = ""
        else:
            family_id = family.ref if family is not None else member.ref
            nm109 = member.names[2] if member.names else ""
            member_id = member.ref if member.ref != family_id else nm109
            if member.ok and not member_id:
                message = "the dependent's REF*0F is its family's and NM1*IL09 is empty"
                self.fault(member, n, "NM109", f"{message}: no member identifier")
            if not member.had_hd and family is not None and member.maintenance != "terminate":
                if not family.ok:
                    message = f"no HD loops to inherit: the subscriber at segment {family.number}"
                    self.fault(member, n, "HD", f"{message} was skipped")
                member.elections = family.elections  # shared: neither list changes again
        if member.ok and member.names and member.relationship and member.maintenance:
            last, first, _ = member.names
            current.records.append(
                MemberRecord(
                    origin=self.origin,
                    position=n,
                    maintenance=member.maintenance,
                    member_id=member_id,
                    family_id=family_id,
                    relationship=member.relationship,
                    last_name=last,
                    first_name=first,
                    birth_date=member.birth,
                    gender=member.gender,
                    reason=member.reason,
                    eligibility_start=member.start,
                    eligibility_end=member.end,
                    coverages=tuple(member.elections),
                )
            )
