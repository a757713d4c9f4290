"""Members, families, coverage spans, and the log of enrolment files imported."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from openaso.adapters.db.tables import (
    coverage_spans,
    enrolment_imports,
    families,
    members,
    sponsors,
)
from openaso.core.members import Enrolment, Member

T = TypeVar("T")
NAMES = ("last_name", "first_name", "birth_date", "gender")


def _member(row: Any) -> Member:
    return Member(row.id, row.family_id, row.relationship, row.tier, row.sponsor_id)


def _span(row: Any) -> Enrolment:
    return Enrolment(
        row.member_id, row.coverage, row.start, row.end, row.tier, row.plan_id, row.plan_code
    )


class SqlMembers:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def ensure_sponsor(self, sponsor_id: str, name: str) -> None:
        if (
            self.conn.execute(select(sponsors.c.id).where(sponsors.c.id == sponsor_id)).first()
            is None
        ):
            self.conn.execute(insert(sponsors).values(id=sponsor_id, name=name))

    def ensure_family(self, family_id: str, sponsor_id: str | None) -> None:
        if (
            self.conn.execute(select(families.c.id).where(families.c.id == family_id)).first()
            is None
        ):
            self.conn.execute(insert(families).values(id=family_id, sponsor_id=sponsor_id))

    def add(
        self,
        member: Member,
        enrolments: Iterable[Enrolment],
        names: Mapping[str, object] | None = None,
    ) -> None:
        self.ensure_sponsor(member.sponsor, member.sponsor)
        self.ensure_family(member.family_id, member.sponsor)
        self.conn.execute(
            insert(members).values(
                id=member.id,
                family_id=member.family_id,
                sponsor_id=member.sponsor,
                relationship=member.relationship,
                tier=member.tier,
                **dict(names or {}),
            )
        )
        self.replace_enrolments(member.id, enrolments)

    def save(self, member: Member, names: Mapping[str, object]) -> bool:
        """Add or update a member's record; returns whether anything changed."""
        row = self.conn.execute(select(members).where(members.c.id == member.id)).first()
        if row is None:
            self.add(member, (), names)
            return True
        values = {
            "family_id": member.family_id,
            "sponsor_id": member.sponsor,
            "relationship": member.relationship,
            "tier": member.tier,
            **names,
        }
        if all(getattr(row, key) == value for key, value in values.items()):
            return False
        self.ensure_family(member.family_id, member.sponsor)
        self.conn.execute(update(members).where(members.c.id == member.id).values(**values))
        return True

    def get(self, member_id: str) -> Member | None:
        row = self.conn.execute(select(members).where(members.c.id == member_id)).first()
        return None if row is None else _member(row)

    def get_many(self, member_ids: Iterable[str]) -> dict[str, Member]:
        ids = list(set(member_ids))
        found: dict[str, Member] = {}
        for chunk in _chunks(ids):
            for row in self.conn.execute(select(members).where(members.c.id.in_(chunk))):
                found[row.id] = _member(row)
        return found

    def family_of(self, member_id: str) -> str | None:
        return self.conn.execute(
            select(members.c.family_id).where(members.c.id == member_id)
        ).scalar()

    def enrolments(self, member_id: str) -> tuple[Enrolment, ...]:
        return self.enrolments_of([member_id]).get(member_id, ())

    def enrolments_of(self, member_ids: Iterable[str]) -> dict[str, tuple[Enrolment, ...]]:
        found: dict[str, list[Enrolment]] = {}
        for chunk in _chunks(list(set(member_ids))):
            query = select(coverage_spans).where(coverage_spans.c.member_id.in_(chunk))
            for row in self.conn.execute(
                query.order_by(coverage_spans.c.start, coverage_spans.c.id)
            ):
                found.setdefault(row.member_id, []).append(_span(row))
        return {member_id: tuple(spans) for member_id, spans in found.items()}

    def replace_enrolments(self, member_id: str, spans: Iterable[Enrolment]) -> None:
        self._replace_spans({member_id: list(spans)})

    def details_of(self, member_ids: Iterable[str]) -> dict[str, tuple[Member, dict[str, Any]]]:
        """Members with their names, for comparing what a file says with what is on file."""
        found: dict[str, tuple[Member, dict[str, Any]]] = {}
        for chunk in _chunks(list(set(member_ids))):
            for row in self.conn.execute(select(members).where(members.c.id.in_(chunk))):
                names = {key: getattr(row, key) for key in NAMES}
                found[row.id] = (_member(row), names)
        return found

    def people_of_families(
        self, family_ids: Iterable[str]
    ) -> dict[str, list[tuple[str, str | None, str | None, date | None]]]:
        """Family → its members as (id, last name, first name, birth date): how a dependent
        named on a claim, with only the subscriber's identifier, is found."""
        found: dict[str, list[tuple[str, str | None, str | None, date | None]]] = {}
        columns = (members.c.family_id, members.c.id, members.c.last_name, members.c.first_name)
        for chunk in _chunks(list(set(family_ids))):
            query = select(*columns, members.c.birth_date).where(members.c.family_id.in_(chunk))
            for row in self.conn.execute(query):
                found.setdefault(row.family_id, []).append(
                    (row.id, row.last_name, row.first_name, row.birth_date)
                )
        return found

    def ensure_families(self, families_of: Mapping[str, str | None]) -> None:
        """Create the families (id → sponsor) not yet on file, in bulk."""
        ids = list(families_of)
        known: set[str] = set()
        for chunk in _chunks(ids):
            known.update(
                self.conn.execute(select(families.c.id).where(families.c.id.in_(chunk))).scalars()
            )
        rows = [{"id": f, "sponsor_id": families_of[f]} for f in ids if f not in known]
        if rows:
            self.conn.execute(insert(families), rows)

    def write_many(
        self,
        added: Sequence[tuple[Member, Mapping[str, Any]]],
        changed: Sequence[tuple[Member, Mapping[str, Any]]],
        spans: Mapping[str, Sequence[Enrolment]],
    ) -> None:
        """Insert new members, update changed ones, and replace the given members' spans."""

        def values(member: Member, names: Mapping[str, Any]) -> dict[str, Any]:
            return {
                "id": member.id,
                "family_id": member.family_id,
                "sponsor_id": member.sponsor,
                "relationship": member.relationship,
                "tier": member.tier,
                **names,
            }

        if added:
            self.conn.execute(insert(members), [values(m, n) for m, n in added])
        if changed:
            rows = [{**values(m, n), "member_id": m.id} for m, n in changed]
            self.conn.execute(
                update(members)
                .where(members.c.id == bindparam("member_id"))
                .values(
                    {
                        key: bindparam(key)
                        for key in ("family_id", "sponsor_id", "relationship", "tier", *NAMES)
                    }
                ),
                [{key: row[key] for key in row if key != "id"} for row in rows],
            )
        self._replace_spans(spans)

    def _replace_spans(self, spans: Mapping[str, Sequence[Enrolment]]) -> None:
        ids = list(spans)
        for chunk in _chunks(ids):
            self.conn.execute(delete(coverage_spans).where(coverage_spans.c.member_id.in_(chunk)))
        rows = [
            {
                "member_id": member_id,
                "coverage": e.coverage,
                "start": e.start,
                "end": e.end,
                "tier": e.tier,
                "plan_id": e.plan_id,
                "plan_code": e.plan_code,
            }
            for member_id in ids
            for e in spans[member_id]
        ]
        if rows:
            self.conn.execute(insert(coverage_spans), rows)

    def sponsor_members(self, sponsor_id: str) -> list[str]:
        query = (
            select(members.c.id).where(members.c.sponsor_id == sponsor_id).order_by(members.c.id)
        )
        return list(self.conn.execute(query).scalars())

    def detail(self, member_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(select(members).where(members.c.id == member_id)).first()
        return None if row is None else dict(row._mapping)


class SqlImports:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, sha256: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            select(enrolment_imports).where(enrolment_imports.c.sha256 == sha256)
        ).first()
        return None if row is None else dict(row._mapping)

    def add(
        self,
        origin: str,
        sha256: str,
        sponsor_id: str,
        file_date: date | None,
        full_file: bool,
        at: datetime,
        by: str,
        report: Mapping[str, Any],
    ) -> None:
        self.conn.execute(
            insert(enrolment_imports).values(
                origin=origin,
                sha256=sha256,
                sponsor_id=sponsor_id,
                file_date=file_date,
                full_file=full_file,
                imported_at=at,
                imported_by=by,
                report=dict(report),
            )
        )


def _chunks(items: Sequence[T], size: int = 500) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
