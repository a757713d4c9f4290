"""Bulk reads for the FHIR API: a page of members, coverage spans or claims in a few queries.

Every page costs a fixed number of queries whatever its size (one for the keys, one count, one
per related table), never one per resource. Rows map to core values with the same functions the
claim repository uses (claims_rows.row_to_claim, LineRow; membership._span).
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    func,
    select,
    tuple_,
)

from openaso.adapters.db.claims_rows import LineRow, row_to_claim
from openaso.adapters.db.membership import _chunks, _span
from openaso.adapters.db.tables import (
    claim_diagnoses,
    claim_lines,
    claim_payments,
    claims,
    coverage_spans,
    line_decisions,
    members,
    payments,
    plan_versions,
    plans,
    providers,
    sponsors,
)
from openaso.core.claims import ServiceLine
from openaso.core.members import Enrolment
from openaso.services.fhir_records import (
    ClaimRecord,
    CoverageRecord,
    Page,
    PageRequest,
    PaymentRecord,
    Person,
    PlanRef,
)

EXPLAINED = ("approved", "denied", "paid", "pended", "voided", "replaced")
DateBound = tuple[str, date]  # (ge | gt | le | lt | eq, date)


def _person(row: Any) -> Person:
    return Person(
        row.id,
        row.family_id,
        row.sponsor_id,
        row.relationship,
        row.last_name,
        row.first_name,
        row.birth_date,
        row.gender,
    )


class SqlFhirReads:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _page(
        self, query: Select[Any], key: Sequence[ColumnElement[Any]], request: PageRequest
    ) -> tuple[list[Any], int, bool, bool]:
        """Rows of one page in key order, the count of all matches, and whether more come
        before and after the page."""
        total = self.conn.execute(
            select(func.count()).select_from(query.order_by(None).subquery())
        ).scalar_one()
        row_key = tuple_(*key) if len(key) > 1 else key[0]
        if request.before is not None:
            bound = tuple_(*request.before) if len(key) > 1 else request.before[0]
            rows = list(
                self.conn.execute(
                    query.where(row_key < bound)
                    .order_by(*(k.desc() for k in key))
                    .limit(request.count + 1)
                )
            )
            more_before = len(rows) > request.count
            return list(reversed(rows[: request.count])), int(total), more_before, True
        if request.after is not None:
            bound = tuple_(*request.after) if len(key) > 1 else request.after[0]
            query = query.where(row_key > bound)
        rows = list(self.conn.execute(query.order_by(*key).limit(request.count + 1)))
        more_after = len(rows) > request.count
        return rows[: request.count], int(total), request.after is not None, more_after

    # Patients

    def patients(self, member_ids: Sequence[str] | None, request: PageRequest) -> Page[Person]:
        query = select(members)
        if member_ids is not None:
            query = query.where(members.c.id.in_(member_ids))
        rows, total, before, after = self._page(query, [members.c.id], request)
        return Page(
            tuple(_person(r) for r in rows), tuple((r.id,) for r in rows), total, before, after
        )

    # Coverage

    def coverages(
        self,
        member_ids: Sequence[str] | None,
        span: tuple[str, str, date] | None,
        request: PageRequest,
    ) -> Page[CoverageRecord]:
        """Coverage spans of the members (all when None), or the one span (member, kind,
        start) an id names."""
        span_table = coverage_spans
        query = select(span_table, members.c.sponsor_id).join(
            members, members.c.id == span_table.c.member_id
        )
        if member_ids is not None:
            query = query.where(span_table.c.member_id.in_(member_ids))
        if span is not None:
            query = query.where(
                span_table.c.member_id == span[0],
                span_table.c.coverage == span[1],
                span_table.c.start == span[2],
            )
        key = [span_table.c.member_id, span_table.c.coverage, span_table.c.start]
        rows, total, before, after = self._page(query, key, request)
        people = self._people({r.member_id for r in rows})
        subscribers = self._subscribers({p.family_id for p in people.values()})
        sponsor_names = self._sponsor_names({p.sponsor_id for p in people.values()})
        plan_refs = self._plans({p.sponsor_id for p in people.values()})
        records = []
        for row in rows:
            person, enrolment = people[row.member_id], _span(row)
            records.append(
                CoverageRecord(
                    person,
                    person.id
                    if person.relationship == "subscriber"
                    else subscribers.get(person.family_id, person.id),
                    enrolment,
                    sponsor_names.get(person.sponsor_id, person.sponsor_id),
                    _plans_of(enrolment, person.sponsor_id, plan_refs),
                )
            )
        keys = tuple((r.member_id, r.coverage, r.start) for r in rows)
        return Page(tuple(records), keys, total, before, after)

    # Explanations of benefit

    def claims(
        self,
        member_ids: Sequence[str] | None,
        claim_ids: Sequence[str] | None,
        service_dates: Sequence[DateBound],
        request: PageRequest,
    ) -> Page[ClaimRecord]:
        query = select(claims.c.seq).where(claims.c.status.in_(EXPLAINED), claims.c.kind != "std")
        if member_ids is not None:
            query = query.where(claims.c.member_id.in_(member_ids))
        if claim_ids is not None:
            query = query.where(claims.c.id.in_(claim_ids))
        if service_dates:
            query = query.where(*_service_date_filter(service_dates))
        rows, total, before, after = self._page(query, [claims.c.seq], request)
        seqs = [r.seq for r in rows]
        found = self._claim_records(seqs)
        return Page(tuple(found[s] for s in seqs), tuple((s,) for s in seqs), total, before, after)

    def _claim_records(self, seqs: Sequence[int]) -> dict[int, ClaimRecord]:
        if not seqs:
            return {}
        heads = {r.seq: r for r in self._rows(select(claims), claims.c.seq, seqs)}
        services: dict[int, list[ServiceLine]] = {}
        for r in self._rows(
            select(claim_lines).order_by(claim_lines.c.number), claim_lines.c.claim_seq, seqs
        ):
            modifiers = tuple(m for m in r.modifiers.split(":") if m)
            services.setdefault(r.claim_seq, []).append(
                ServiceLine(
                    r.number, r.code, r.service_date, r.billed, modifiers, r.units, r.repriced
                )
            )
        # Everything but the trace: the resources do not show it, and it is most of the bytes.
        decision = line_decisions.c
        decided = select(
            decision.claim_seq,
            decision.number,
            decision.status,
            decision.allowed,
            decision.plan_paid,
            decision.adjustments,
            decision.remarks,
            decision.benefit,
        ).join(
            claims,
            and_(
                claims.c.seq == line_decisions.c.claim_seq,
                claims.c.decision_no == line_decisions.c.decision_no,
            ),
        )
        lines: dict[int, list[LineRow]] = {}
        for r in self._rows(
            decided.order_by(line_decisions.c.number), line_decisions.c.claim_seq, seqs
        ):
            lines.setdefault(r.claim_seq, []).append(
                LineRow(
                    r.number,
                    r.status,
                    r.allowed,
                    r.plan_paid,
                    [(g, c, a) for g, c, a in r.adjustments],
                    list(r.remarks),
                    r.benefit,
                    [],
                )
            )
        diagnoses: dict[int, list[str]] = {}
        for r in self._rows(
            select(claim_diagnoses).order_by(claim_diagnoses.c.position),
            claim_diagnoses.c.claim_seq,
            seqs,
        ):
            diagnoses.setdefault(r.claim_seq, []).append(r.code)
        paid: dict[int, list[PaymentRecord]] = {}
        released = (
            select(
                claim_payments.c.claim_seq,
                payments.c.number,
                payments.c.method,
                payments.c.released_on,
                claim_payments.c.amount,
            )
            .join(payments, payments.c.id == claim_payments.c.payment_id)
            .where(payments.c.status == "released")
        )
        for r in self._rows(released, claim_payments.c.claim_seq, seqs):
            paid.setdefault(r.claim_seq, []).append(
                PaymentRecord(r.number, r.method, r.released_on, r.amount)
            )
        npis = {h.provider for h in heads.values() if h.provider}
        names = dict(
            self._rows(select(providers.c.npi, providers.c.name), providers.c.npi, list(npis))
        )
        member_ids = {h.member_id for h in heads.values()}
        people = self._people(member_ids)
        sponsor_names = self._sponsor_names({p.sponsor_id for p in people.values()})
        spans = self._spans(member_ids)
        found = {}
        for seq, head in heads.items():
            claim = row_to_claim(head, services.get(seq, []), [])
            person = people.get(head.member_id)
            sponsor = person.sponsor_id if person else ""
            first_day = min((s.service_date for s in services.get(seq, [])), default=head.received)
            billing = (head.detail or {}).get("billing", {}) if head.source_file else {}
            found[seq] = ClaimRecord(
                seq,
                head.id,
                head.kind,
                head.status,
                head.received,
                claim,
                tuple(lines.get(seq, [])),
                billing.get("kind"),
                head.patient_control,
                tuple(diagnoses.get(seq, [])),
                names.get(head.provider),
                sponsor,
                sponsor_names.get(sponsor, sponsor),
                _coverage_on(spans.get(head.member_id, ()), head.kind, first_day),
                tuple(paid.get(seq, [])),
            )
        return found

    # Shared look-ups, each one query per 500 keys

    def _rows(
        self, query: Select[Any], column: ColumnElement[Any], keys: Sequence[Any]
    ) -> Iterable[Any]:
        for chunk in _chunks(list(keys)):
            yield from self.conn.execute(query.where(column.in_(chunk)))

    def _people(self, member_ids: Iterable[str]) -> dict[str, Person]:
        return {
            r.id: _person(r) for r in self._rows(select(members), members.c.id, list(member_ids))
        }

    def _subscribers(self, family_ids: Iterable[str]) -> dict[str, str]:
        query = select(members.c.family_id, members.c.id).where(
            members.c.relationship == "subscriber"
        )
        return {r.family_id: r.id for r in self._rows(query, members.c.family_id, list(family_ids))}

    def _sponsor_names(self, sponsor_ids: Iterable[str]) -> dict[str, str]:
        query = select(sponsors.c.id, sponsors.c.name)
        return dict(self._rows(query, sponsors.c.id, list(sponsor_ids)))

    def _spans(self, member_ids: Iterable[str]) -> dict[str, list[tuple[str, Enrolment]]]:
        found: dict[str, list[tuple[str, Enrolment]]] = {}
        query = select(coverage_spans).order_by(coverage_spans.c.start)
        for r in self._rows(query, coverage_spans.c.member_id, list(member_ids)):
            span = _span(r)
            found.setdefault(r.member_id, []).append((_fhir_coverage_id(span), span))
        return found

    def _plans(self, sponsor_ids: Iterable[str]) -> list[PlanRef]:
        query = select(
            plans.c.id,
            plans.c.sponsor_id,
            plans.c.coverage,
            plans.c.plan_year_start,
            plans.c.plan_year_end,
            plan_versions.c.document,
        ).join(
            plan_versions,
            and_(plan_versions.c.plan_id == plans.c.id, plan_versions.c.version == plans.c.version),
        )
        return [
            PlanRef(
                r.id,
                str(r.document.get("name", r.id)),
                r.sponsor_id,
                r.coverage,
                r.plan_year_start,
                r.plan_year_end,
            )
            for r in self._rows(query, plans.c.sponsor_id, list(sponsor_ids))
        ]


def _fhir_coverage_id(span: Enrolment) -> str:
    from openaso.adapters.fhir.people import coverage_id

    return coverage_id(span.member_id, span)


def _coverage_on(spans: Sequence[tuple[str, Enrolment]], kind: str, day: date) -> str | None:
    return next((i for i, s in spans if s.coverage == kind and s.covers(day)), None)


def _plans_of(span: Enrolment, sponsor_id: str, refs: Sequence[PlanRef]) -> tuple[PlanRef, ...]:
    """The plans that cover a span: the one it pins, else the sponsor's plans of its kind whose
    year overlaps it (the one its plan code names, when several are in force at once)."""
    end = span.end or date.max
    found = [
        p
        for p in refs
        if (
            p.id == span.plan_id
            if span.plan_id
            else p.sponsor_id == sponsor_id and p.coverage == span.coverage
        )
        and p.start <= end
        and span.start <= p.end
    ]
    if span.plan_code and any(p.id == span.plan_code for p in found):
        found = [p for p in found if p.id == span.plan_code]
    return tuple(sorted(found, key=lambda p: p.start))


def _service_date_filter(bounds: Sequence[DateBound]) -> list[ColumnElement[bool]]:
    """A claim's service dates run from its first line's to its last's (a fill: its fill date,
    stored as the received date); each bound compares that period as FHIR's prefixes do."""
    first = (
        select(func.min(claim_lines.c.service_date))
        .where(claim_lines.c.claim_seq == claims.c.seq)
        .scalar_subquery()
    )
    last = (
        select(func.max(claim_lines.c.service_date))
        .where(claim_lines.c.claim_seq == claims.c.seq)
        .scalar_subquery()
    )
    start, end = func.coalesce(first, claims.c.received), func.coalesce(last, claims.c.received)
    found: list[ColumnElement[bool]] = []
    for op, day in bounds:
        if op == "ge":
            found.append(end >= day)
        elif op == "gt":
            found.append(end > day)
        elif op == "le":
            found.append(start <= day)
        elif op == "lt":
            found.append(start < day)
        else:  # eq: the day falls within the period
            found.append(and_(start <= day, end >= day))
    return found
