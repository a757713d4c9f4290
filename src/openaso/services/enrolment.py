"""Apply an enrolment file (834 or CSV census) to the members and coverage spans on file.

One transaction per file: records the reader could not understand were already skipped (and
are reported); every other record is applied. Applying the same facts again changes nothing,
and a file already imported (same bytes) is not applied twice.
"""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from openaso.core.enrolment import CoverageElection, EnrolmentBatch, MemberRecord
from openaso.core.members import Enrolment, Member, TierCode
from openaso.services.ports import UnitOfWork

ONE_DAY = timedelta(days=1)


@dataclass
class EnrolmentReport:
    origin: str
    already_imported: str | None = None  # when and by whom, if this file was imported before
    added: int = 0
    changed: int = 0
    terminated: int = 0
    reinstated: int = 0
    unchanged: int = 0
    skipped: int = 0
    reprocess: list[str] = field(default_factory=list)  # claims flagged by retroactive changes
    findings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def import_enrolment(
    uow: UnitOfWork,
    batches: Sequence[EnrolmentBatch],
    findings: Sequence[object],
    origin: str,
    sha256: str,
    sponsor: str,
    full_file: bool,
    actor: str,
    at: datetime,
) -> EnrolmentReport:
    report = EnrolmentReport(origin, findings=[str(f) for f in findings])
    report.skipped = len({f.split(": ")[0] for f in report.findings})
    with uow:
        earlier = uow.imports.find(sha256)
        if earlier is not None:
            report.already_imported = (
                f"{earlier['imported_at']:%Y-%m-%d %H:%M} by {earlier['imported_by']}"
            )
            return report
        uow.members.ensure_sponsor(sponsor, sponsor)
        records = [(record, batch.file_date) for batch in batches for record in batch.records]
        file_date = max((b.file_date for b in batches), default=None)
        seen = {record.member_id for record, _ in records}
        absent = (
            [m for m in uow.members.sponsor_members(sponsor) if m not in seen]
            if full_file and file_date is not None
            else []
        )
        book = _Membership(uow, [*seen, *absent], report, actor, at)
        for record, day in records:
            book.apply(record, sponsor, day)
        for member_id in absent:
            assert file_date is not None
            book.terminate_all(member_id, file_date, "absent from a full file")
        book.write()
        uow.imports.add(origin, sha256, sponsor, file_date, full_file, at, actor, report.as_json())
        uow.commit()
    return report


class _Membership:
    """The file's members as on file, changed in memory and written back in bulk."""

    def __init__(
        self,
        uow: UnitOfWork,
        member_ids: Sequence[str],
        report: EnrolmentReport,
        actor: str,
        at: datetime,
    ) -> None:
        self.uow, self.report, self.actor, self.at = uow, report, actor, at
        self.on_file = uow.members.details_of(member_ids)
        self.spans = {m: list(s) for m, s in uow.members.enrolments_of(member_ids).items()}
        self.added: dict[str, tuple[Member, dict[str, Any]]] = {}
        self.changed: dict[str, tuple[Member, dict[str, Any]]] = {}
        self.new_spans: dict[str, list[Enrolment]] = {}
        self.audit: list[dict[str, Any]] = []

    def member(self, member_id: str) -> Member | None:
        for store in (self.changed, self.added, self.on_file):
            if member_id in store:
                return store[member_id][0]
        return None

    def apply(self, record: MemberRecord, sponsor: str, file_date: date) -> None:
        existing = self.member(record.member_id)
        elected = [e.tier for e in record.coverages if e.tier]
        family_head = self.member(record.family_id)
        tier: TierCode = (
            (elected[0] if elected else None)
            or (existing.tier if existing else family_head.tier if family_head else None)
            or "EE"
        )
        member = Member(record.member_id, record.family_id, record.relationship, tier, sponsor)
        names = {
            "last_name": record.last_name,
            "first_name": record.first_name,
            "birth_date": record.birth_date,
            "gender": record.gender,
        }
        member_changed = False
        if existing is None:
            self.added[member.id] = (member, names)
        elif (existing, self._names(member.id)) != (member, names):
            (self.added if member.id in self.added else self.changed)[member.id] = (member, names)
            member_changed = True
        before = self.new_spans.get(record.member_id, self.spans.get(record.member_id, []))
        spans = list(before)
        if record.maintenance == "terminate":
            default_end = record.eligibility_end or file_date
            ends = {e.coverage: e.end or default_end for e in record.coverages}
            spans = [
                _closed(s, ends.get(s.coverage, default_end))
                if not ends or s.coverage in ends
                else s
                for s in spans
            ]
        else:
            for election in record.coverages:
                spans = _elect(spans, record, election, file_date)
        if spans != before:
            self.new_spans[record.member_id] = spans
            _flag_retroactive(self.uow, record.member_id, before, spans, self.report)
        if existing is None:
            self.report.added += 1
            action = "enrol"
        elif record.maintenance == "terminate" and spans != before:
            self.report.terminated += 1
            action = "terminate"
        elif record.maintenance == "reinstate" and spans != before:
            self.report.reinstated += 1
            action = "reinstate"
        elif member_changed or spans != before:
            self.report.changed += 1
            action = "change"
        else:
            self.report.unchanged += 1
            return
        self._audit(
            action, record.member_id, {"origin": record.where, "spans": [_show(s) for s in spans]}
        )

    def terminate_all(self, member_id: str, end: date, why: str) -> None:
        before = self.new_spans.get(member_id, self.spans.get(member_id, []))
        spans = [_closed(s, end) for s in before]
        if spans != before:
            self.new_spans[member_id] = spans
            _flag_retroactive(self.uow, member_id, before, spans, self.report)
            self.report.terminated += 1
            self._audit("terminate", member_id, {"reason": why, "end": end.isoformat()})

    def write(self) -> None:
        families = {
            m.family_id: m.sponsor for m, _ in (*self.added.values(), *self.changed.values())
        }
        self.uow.members.ensure_families(families)
        self.uow.members.write_many(
            list(self.added.values()), list(self.changed.values()), self.new_spans
        )
        self.uow.audit.record_many(self.audit)

    def _names(self, member_id: str) -> dict[str, Any]:
        for store in (self.changed, self.added, self.on_file):
            if member_id in store:
                return store[member_id][1]
        return {}

    def _audit(self, action: str, member_id: str, detail: dict[str, Any]) -> None:
        self.audit.append(
            {
                "at": self.at,
                "actor": self.actor,
                "action": action,
                "entity": "member",
                "entity_id": member_id,
                "detail": detail,
            }
        )


def _elect(
    spans: list[Enrolment], record: MemberRecord, election: CoverageElection, file_date: date
) -> list[Enrolment]:
    """One coverage line: add, change, end or reopen the member's span of that kind."""
    same_kind = [s for s in spans if s.coverage == election.coverage]
    others = [s for s in spans if s.coverage != election.coverage]
    start = election.start or record.eligibility_start or file_date
    if election.maintenance == "terminate":
        end = _end_of(record, election, file_date)
        return others + [_closed(s, end) for s in same_kind]
    reinstating = "reinstate" in (record.maintenance, election.maintenance)
    if reinstating and same_kind:
        latest = max(same_kind, key=lambda s: s.start)
        reopened = replace(latest, end=election.end)
        return others + [s for s in same_kind if s is not latest] + [reopened]
    tier = election.tier or next((s.tier for s in reversed(same_kind) if s.tier), None)
    wanted = Enrolment(
        record.member_id, election.coverage, start, election.end, tier, plan_code=election.plan_code
    )
    kept: list[Enrolment] = []
    placed = False
    for span in sorted(same_kind, key=lambda s: s.start):
        if span.start == start:
            kept.append(wanted)
            placed = True
        elif span.covers(start) and not placed:
            if (span.tier, span.plan_code) == (wanted.tier, wanted.plan_code):
                kept.append(replace(span, end=election.end) if election.end else span)
                placed = True
            else:  # a change of tier or plan from `start`: the old span ends the day before
                kept.append(replace(span, end=start - ONE_DAY))
        else:
            kept.append(span)
    if not placed:
        kept.append(wanted)
    return others + sorted(kept, key=lambda s: s.start)


def _end_of(record: MemberRecord, election: CoverageElection, default: date) -> date:
    return election.end or record.eligibility_end or default


def _closed(span: Enrolment, end: date) -> Enrolment:
    if span.end is not None and span.end <= end:
        return span
    return replace(span, end=max(end, span.start - ONE_DAY))


def _flag_retroactive(
    uow: UnitOfWork,
    member_id: str,
    before: list[Enrolment],
    after: list[Enrolment],
    report: EnrolmentReport,
) -> None:
    """Claims decided for service the member is no longer covered for are decided again."""
    ended = [
        a.end
        for a in after
        if a.end is not None
        and all(
            b.end is None or b.end > a.end
            for b in before
            if b.coverage == a.coverage and b.start == a.start
        )
    ]
    if ended:
        report.reprocess += uow.claims.flag_for_reprocessing(member_id, min(ended))


def _show(span: Enrolment) -> str:
    end = span.end.isoformat() if span.end else "open"
    return f"{span.coverage} {span.tier or ''} {span.start.isoformat()}..{end}".replace("  ", " ")
