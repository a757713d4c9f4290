"""Stop-loss on file: policy versions, the paid claims and enrolment it reads, notices, filings."""

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from openaso.adapters.db.documents import store_version
from openaso.adapters.db.tables import (
    claim_diagnoses,
    claim_lines,
    claim_payments,
    claims,
    coverage_spans,
    members,
    payment_runs,
    payments,
    stoploss_filings,
    stoploss_notices,
    stoploss_policies,
    stoploss_policy_versions,
    stoploss_receipts,
)
from openaso.adapters.files.stoploss_document import to_policy
from openaso.adapters.files.stoploss_schema import StopLossPolicyDoc
from openaso.core.members import TierCode
from openaso.core.money import Cents
from openaso.core.stoploss import Filing, Notice, PaidClaim, StopLossPolicy


class SqlStopLoss:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # Policies

    def add_policy(
        self,
        policy: StopLossPolicy,
        document: Mapping[str, object],
        origin: str,
        at: datetime,
        by: str,
    ) -> int:
        """Store a load of the document; returns its version (the current one if unchanged)."""
        header = {
            "sponsor_id": policy.sponsor,
            "carrier": policy.carrier,
            "period_start": policy.period.start,
            "period_end": policy.period.end,
        }
        return store_version(
            self.conn, stoploss_policies, stoploss_policy_versions, "policy_id", policy.id,
            header, document, origin, at, by,
        )  # fmt: skip

    def policies_of(self, sponsor_id: str) -> list[tuple[StopLossPolicy, int]]:
        """The sponsor's policies in force (with their version), earliest period first."""
        p, v = stoploss_policies, stoploss_policy_versions
        query = (
            select(p.c.version, v.c.document)
            .join(v, (v.c.policy_id == p.c.id) & (v.c.version == p.c.version))
            .where(p.c.sponsor_id == sponsor_id)
            .order_by(p.c.period_start, p.c.id)
        )
        return [
            (to_policy(StopLossPolicyDoc.model_validate(row.document)), int(row.version))
            for row in self.conn.execute(query)
        ]

    # What stop-loss reads

    def paid_claims(self, sponsor_id: str, kinds: Collection[str]) -> list[PaidClaim]:
        """What payment runs paid on the sponsor's claims of these kinds, one fact per claim
        and paid date, in paid order. A payment counts when released (held money is not yet
        paid); a take-back (a void or an adjustment) counts on its run's date."""
        first = (
            select(claim_lines.c.claim_seq, func.min(claim_lines.c.service_date).label("first"))
            .group_by(claim_lines.c.claim_seq)
            .subquery()
        )
        query = (
            select(
                claims.c.seq,
                claims.c.id,
                claims.c.member_id,
                claims.c.kind,
                claims.c.received,
                first.c.first,
                claim_payments.c.amount,
                payments.c.status,
                payments.c.released_on,
                payment_runs.c.run_date,
            )
            .select_from(claim_payments)
            .join(payments, payments.c.id == claim_payments.c.payment_id)
            .join(payment_runs, payment_runs.c.id == payments.c.run_id)
            .join(claims, claims.c.seq == claim_payments.c.claim_seq)
            .outerjoin(first, first.c.claim_seq == claims.c.seq)
            .where(
                payment_runs.c.sponsor_id == sponsor_id,
                claims.c.kind.in_(list(kinds)),
                claim_payments.c.amount != 0,
            )
            .order_by(claim_payments.c.id)
        )
        facts: dict[tuple[int, date], list[Any]] = {}
        for row in self.conn.execute(query):
            if row.amount > 0 and row.status != "released":
                continue
            paid = row.run_date if row.amount < 0 else row.released_on
            fact = facts.setdefault((row.seq, paid), [row, 0])
            fact[1] += int(row.amount)
        diagnoses = self._diagnoses(sponsor_id)
        result = [
            PaidClaim(
                row.id,
                row.member_id,
                row.first or row.received,
                paid,
                amount,
                row.kind,
                diagnoses.get(seq, ()),
            )
            for (seq, paid), (row, amount) in facts.items()
            if amount
        ]
        return sorted(result, key=lambda claim: claim.paid)

    def _diagnoses(self, sponsor_id: str) -> dict[int, tuple[str, ...]]:
        paid = (
            select(claim_payments.c.claim_seq)
            .join(payments, payments.c.id == claim_payments.c.payment_id)
            .join(payment_runs, payment_runs.c.id == payments.c.run_id)
            .where(payment_runs.c.sponsor_id == sponsor_id)
        )
        query = (
            select(claim_diagnoses.c.claim_seq, claim_diagnoses.c.code)
            .where(claim_diagnoses.c.claim_seq.in_(paid))
            .order_by(claim_diagnoses.c.claim_seq, claim_diagnoses.c.position)
        )
        found: dict[int, list[str]] = {}
        for seq, code in self.conn.execute(query):
            found.setdefault(seq, []).append(code)
        return {seq: tuple(codes) for seq, codes in found.items()}

    def enrolled(
        self, sponsor_id: str, months: Iterable[date], kinds: Collection[str]
    ) -> dict[date, dict[TierCode, int]]:
        """Employees (subscribers) covered on the first day of each month, by tier: the span's
        tier, else the member's. An employee with several spans counts once."""
        s = coverage_spans
        query = (
            select(s.c.member_id, s.c.start, s.c.end, s.c.tier, members.c.tier.label("own"))
            .join(members, members.c.id == s.c.member_id)
            .where(
                members.c.sponsor_id == sponsor_id,
                members.c.relationship == "subscriber",
                s.c.coverage.in_(list(kinds)),
            )
            .order_by(s.c.member_id, s.c.start)
        )
        spans = list(self.conn.execute(query))
        result: dict[date, dict[TierCode, int]] = {}
        for month in months:
            tier_of: dict[str, TierCode] = {}
            for span in spans:
                if span.start <= month and (span.end is None or month <= span.end):
                    tier_of.setdefault(span.member_id, span.tier or span.own)
            counts: dict[TierCode, int] = {}
            for tier in tier_of.values():
                counts[tier] = counts.get(tier, 0) + 1
            result[month] = counts
        return result

    # Notices

    def notified(self, policy_id: str) -> list[Any]:
        n = stoploss_notices
        query = select(n).where(n.c.policy_id == policy_id).order_by(n.c.on, n.c.member_id)
        return list(self.conn.execute(query))

    def add_notices(self, policy_id: str, found: Iterable[Notice], at: datetime) -> None:
        rows = [
            {
                "policy_id": policy_id,
                "member_id": n.member_id,
                "reason": n.reason,
                "on": n.on,
                "claim_id": n.claim_id,
                "detail": n.detail,
                "recorded_at": at,
            }
            for n in found
        ]
        if rows:
            self.conn.execute(insert(stoploss_notices), rows)

    # Filings and receipts

    def filings(self, policy_id: str, kind: str | None = None) -> list[Filing]:
        f = stoploss_filings
        query = select(f).where(f.c.policy_id == policy_id).order_by(f.c.filed_at, f.c.id)
        if kind is not None:
            query = query.where(f.c.kind == kind)
        return [_filing(row) for row in self.conn.execute(query)]

    def filing(self, filing_id: str) -> Filing | None:
        row = self.conn.execute(
            select(stoploss_filings).where(stoploss_filings.c.id == filing_id)
        ).first()
        return None if row is None else _filing(row)

    def next_filing_number(self, policy_id: str) -> int:
        query = select(func.count()).where(stoploss_filings.c.policy_id == policy_id)
        return int(self.conn.execute(query).scalar_one()) + 1

    def add_filing(self, filing: Filing, at: datetime, by: str) -> None:
        values = {
            "id": filing.id,
            "policy_id": filing.policy_id,
            "kind": filing.kind,
            "member_id": filing.member_id,
            "through": filing.through,
            "filed_on": filing.filed_on,
            "amount": filing.amount,
            "received": filing.received,
            "detail": json.loads(json.dumps(filing.detail, default=str)),
            "filed_at": at,
            "filed_by": by,
        }
        self.conn.execute(insert(stoploss_filings).values(values))

    def receive(self, filing_id: str, amount: Cents, on: date, by: str) -> None:
        """Record money on a filing (signed like the filing)."""
        f = stoploss_filings
        self.conn.execute(
            update(f).where(f.c.id == filing_id).values(received=f.c.received + amount)
        )
        values = {"filing_id": filing_id, "on": on, "amount": amount, "recorded_by": by}
        self.conn.execute(insert(stoploss_receipts).values(values))

    def receipts(self, filing_id: str) -> list[tuple[date, Cents]]:
        r = stoploss_receipts
        query = select(r.c.on, r.c.amount).where(r.c.filing_id == filing_id).order_by(r.c.id)
        return [(row.on, int(row.amount)) for row in self.conn.execute(query)]


def _filing(row: Any) -> Filing:
    return Filing(
        row.id,
        row.policy_id,
        row.kind,
        row.member_id,
        row.through,
        row.filed_on,
        int(row.amount),
        int(row.received),
        row.detail,
    )
