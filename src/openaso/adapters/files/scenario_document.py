"""Read a scenario file into the core's Scenario, or say every problem with file:line: key."""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from openaso.adapters.files.claims_file import to_claims
from openaso.adapters.files.fee_schedule import read_fee_schedule_csv
from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.scenario_schema import (
    DisabilityExpectDoc,
    FillExpectDoc,
    LineExpectDoc,
    ScenarioDoc,
)
from openaso.adapters.files.validation import findings_from
from openaso.adapters.files.yaml_source import Finding, Path_, YamlDocument, YamlError, read_yaml
from openaso.core.accumulators import AccumulatorKey, HolderKind, is_accumulator_name
from openaso.core.claims import Claim, DisabilityClaim, Fill
from openaso.core.members import Enrolment, Member
from openaso.core.money import parse_amount
from openaso.core.plan import MedicalPlan, Plan
from openaso.core.scenario import (
    DisabilityExpectation,
    FillExpectation,
    LineExpectation,
    Scenario,
)

_LINES = TypeAdapter(list[LineExpectDoc])


def load_scenario_file(path: Path) -> tuple[Scenario | None, list[Finding]]:
    try:
        document = read_yaml(path)
    except YamlError as exc:
        return None, [exc.finding]
    try:
        doc = ScenarioDoc.model_validate(document.data)
    except ValidationError as exc:
        return None, findings_from(exc, document)
    return _Reader(path, document, doc).read()


class _Reader:
    def __init__(self, path: Path, document: YamlDocument, doc: ScenarioDoc) -> None:
        self.path, self.document, self.doc = path, document, doc
        self.findings: list[Finding] = []

    def problem(self, path: Path_, message: str) -> None:
        self.findings.append(self.document.finding(path, message))

    def read(self) -> tuple[Scenario | None, list[Finding]]:
        plans, sources = self._plans()
        fees = self._fees()
        members, enrolments = self._members(plans)
        everything = to_claims(
            self.doc.claims, self.doc.pharmacy_claims, self.doc.disability_claims
        )
        claims = tuple(c for c in everything if isinstance(c, Claim))
        fills = tuple(c for c in everything if isinstance(c, Fill))
        disability = tuple(c for c in everything if isinstance(c, DisabilityClaim))
        self._unique_ids(claims, fills, disability)
        resolver = _Holders(members, enrolments, plans)
        opening = self._accumulators(self.doc.accumulators, ("accumulators",), resolver)
        lines, fill_expect, dis_expect, acc_expect = self._expectations(
            claims, fills, disability, resolver
        )
        if self.findings:
            return None, self.findings
        return Scenario(
            self.doc.name,
            str(self.path),
            tuple(plans.values()),
            sources,
            fees,
            members,
            enrolments,
            opening,
            claims,
            fills,
            disability,
            lines,
            fill_expect,
            dis_expect,
            acc_expect,
        ), []

    def _plans(self) -> tuple[dict[str, Plan], dict[str, Mapping[str, object]]]:
        plans: dict[str, Plan] = {}
        sources: dict[str, Mapping[str, object]] = {}
        for index, entry in enumerate(self.doc.plans):
            if isinstance(entry, str):
                target = (self.path.parent / entry).resolve()
                try:
                    document = read_yaml(target)
                except YamlError as exc:
                    self.problem(("plans", index), f"cannot load {entry}: {exc.finding}")
                    continue
                plan, problems = load_plan(document)
                raw = document.data
            else:
                plan, problems = load_plan(self.document, ("plans", index))
                raw = entry
            self.findings += problems
            if plan is not None:
                if plan.id in plans:
                    self.problem(("plans", index), f"plan id {plan.id} is given twice")
                plans[plan.id] = plan
                sources[plan.id] = raw
        for index, plan in enumerate(plans.values()):
            target_id = getattr(plan, "integrated_oop_with", None)
            if target_id and not isinstance(plans.get(target_id), MedicalPlan):
                self.problem(
                    ("plans", index),
                    f"{plan.id} integrates its OOP with {target_id},"
                    " which is not a medical plan of this scenario",
                )
        return plans, sources

    def _fees(self) -> dict[str, int]:
        schedule = self.doc.fee_schedule
        if isinstance(schedule, str):
            fees, problems = read_fee_schedule_csv(self.path.parent / schedule)
            self.findings += problems
            return fees
        return dict(schedule)

    def _members(
        self, plans: Mapping[str, Plan]
    ) -> tuple[tuple[Member, ...], tuple[Enrolment, ...]]:
        members: dict[str, Member] = {}
        enrolments: list[Enrolment] = []
        for index, m in enumerate(self.doc.members):
            if m.id in members:
                self.problem(("members", index, "id"), f"member {m.id} is listed twice")
            plan_ids = [m.plan] if isinstance(m.plan, str) else m.plan
            sponsor = next((plans[p].sponsor for p in plan_ids if p in plans), "")
            members[m.id] = Member(m.id, m.family, m.relationship, m.tier, sponsor)
            for plan_id in plan_ids:
                plan = plans.get(plan_id)
                if plan is None:
                    self.problem(
                        ("members", index, "plan"),
                        f"plan {plan_id} is not one of the scenario's plans ({', '.join(plans)})",
                    )
                    continue
                enrolments.append(
                    Enrolment(m.id, plan.coverage, m.start, m.end, m.tier, plan_id=plan.id)
                )
            if m.end is not None and m.end < m.start:
                self.problem(("members", index, "end"), "coverage ends before it starts")
        return tuple(members.values()), tuple(enrolments)

    def _unique_ids(self, *groups: Sequence[Claim | Fill | DisabilityClaim]) -> None:
        seen: set[str] = set()
        for key, group in zip(
            ("claims", "pharmacy_claims", "disability_claims"), groups, strict=True
        ):
            for index, claim in enumerate(group):
                if claim.id in seen or claim.id == "accumulators":
                    self.problem((key, index, "id"), f"claim id {claim.id} is used twice")
                seen.add(claim.id)

    def _accumulators(
        self, values: Mapping[str, Any], where: Path_, holders: "_Holders"
    ) -> dict[AccumulatorKey, int]:
        result: dict[AccumulatorKey, int] = {}
        for holder, names in values.items():
            kind = holders.kind(holder)
            if kind is None:
                self.problem(
                    (*where, holder), f"{holder} is neither a member nor a family of the scenario"
                )
                continue
            if not isinstance(names, dict):
                self.problem((*where, holder), "expected a mapping of accumulator names to amounts")
                continue
            for name, value in names.items():
                if isinstance(value, dict):  # plan-qualified: {plan id: {name: amount}}
                    for inner, amount in value.items():
                        self._accumulator(
                            result,
                            (*where, holder, name, inner),
                            kind,
                            holder,
                            name,
                            inner,
                            amount,
                            holders,
                        )
                else:
                    self._accumulator(
                        result, (*where, holder, name), kind, holder, None, name, value, holders
                    )
        return result

    def _accumulator(
        self,
        result: dict[AccumulatorKey, int],
        path: Path_,
        kind: HolderKind,
        holder: str,
        plan_id: str | None,
        name: str,
        value: object,
        holders: "_Holders",
    ) -> None:
        if not is_accumulator_name(name, kind):
            self.problem(
                path,
                f"{name} is not a {kind} accumulator (deductible_in, deductible_out,"
                " oop_in, oop_out" + (", plan_paid, count:<benefit>)" if kind == "member" else ")"),
            )
            return
        plans = holders.plans_keeping(kind, holder, name)
        if plan_id is None:
            if len(plans) != 1:
                self.problem(
                    path,
                    f"{name} could belong to {', '.join(plans) or 'no plan'} of {holder};"
                    f" name the plan: {holder}: {{<plan id>: {{{name}: ...}}}}",
                )
                return
            plan_id = plans[0]
        elif plan_id not in plans:
            self.problem(path, f"{holder} has no plan {plan_id} that keeps {name}")
            return
        try:
            amount = int(str(value)) if name.startswith("count:") else parse_amount(str(value))
        except ValueError as exc:
            self.problem(path, str(exc))
            return
        result[(kind, holder, plan_id, name)] = amount

    def _expectations(
        self,
        claims: tuple[Claim, ...],
        fills: tuple[Fill, ...],
        disability: tuple[DisabilityClaim, ...],
        holders: "_Holders",
    ) -> tuple[
        dict[str, tuple[LineExpectation, ...]],
        dict[str, FillExpectation],
        dict[str, DisabilityExpectation],
        dict[AccumulatorKey, int],
    ]:
        lines: dict[str, tuple[LineExpectation, ...]] = {}
        fill_expect: dict[str, FillExpectation] = {}
        dis_expect: dict[str, DisabilityExpectation] = {}
        accumulators: dict[AccumulatorKey, int] = {}
        everything: list[Claim | Fill | DisabilityClaim] = [*claims, *fills, *disability]
        by_id = {c.id: c for c in everything}
        for key, value in self.doc.expect.items():
            path: Path_ = ("expect", key)
            if key == "accumulators":
                if isinstance(value, dict):
                    accumulators = self._accumulators(value, path, holders)
                else:
                    self.problem(path, "expected a mapping of members and families")
                continue
            claim = by_id.get(key)
            try:
                if isinstance(claim, Claim):
                    docs = _LINES.validate_python(value)
                    if len(docs) != len(claim.lines):
                        self.problem(
                            path, f"claim {key} has {len(claim.lines)} lines; {len(docs)} expected"
                        )
                    lines[key] = tuple(
                        LineExpectation(
                            d.allowed,
                            d.plan_paid,
                            self._codes(d.adjustments, (*path, i)),
                            d.status,
                            tuple(d.remarks) if d.remarks is not None else None,
                        )
                        for i, d in enumerate(docs)
                    )
                elif isinstance(claim, Fill):
                    f = FillExpectDoc.model_validate(value)
                    fill_expect[key] = FillExpectation(
                        f.plan_paid, f.member_paid, self._codes(f.adjustments, path)
                    )
                elif isinstance(claim, DisabilityClaim):
                    dis_expect[key] = DisabilityExpectation(
                        DisabilityExpectDoc.model_validate(value).amount
                    )
                else:
                    self.problem(path, f"{key} is not a claim of this scenario")
            except ValidationError as exc:
                self.findings += findings_from(exc, self.document, path)
        return lines, fill_expect, dis_expect, accumulators

    def _codes(self, adjustments: dict[str, int] | None, path: Path_) -> dict[str, int] | None:
        if adjustments is None:
            return None
        for code in adjustments:
            group, _, reason = code.partition("-")
            if group not in {"CO", "PR", "OA", "PI"} or not reason:
                self.problem(
                    (*path, "adjustments", code), "expected GROUP-CARC such as CO-45 or PR-1"
                )
        return adjustments


class _Holders:
    """Which ids are members or families, and which of their plans keep an accumulator."""

    def __init__(
        self,
        members: tuple[Member, ...],
        enrolments: tuple[Enrolment, ...],
        plans: Mapping[str, Plan],
    ) -> None:
        self.members = {m.id: m for m in members}
        self.families = {m.family_id for m in members}
        self.plans = plans
        self.enrolled: dict[str, list[str]] = {}
        for e in enrolments:
            if e.plan_id is not None:
                self.enrolled.setdefault(e.member_id, []).append(e.plan_id)

    def kind(self, holder: str) -> HolderKind | None:
        if holder in self.members:
            return "member"
        return "family" if holder in self.families else None

    def plans_keeping(self, kind: HolderKind, holder: str, name: str) -> list[str]:
        ids = (
            self.enrolled.get(holder, [])
            if kind == "member"
            else [
                p
                for m in self.members.values()
                if m.family_id == holder
                for p in self.enrolled.get(m.id, [])
            ]
        )
        keeping = []
        for plan_id in dict.fromkeys(ids):
            plan = self.plans.get(plan_id)
            if not isinstance(plan, MedicalPlan):
                continue
            if name.startswith("count:") and not any(b.name == name[6:] for b in plan.benefits):
                continue
            keeping.append(plan_id)
        return keeping
