"""Run a worked scenario through the production services and say where the amounts differ."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from openaso.core.money import format_cents
from openaso.core.scenario import LineExpectation, Scenario
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.ports import StoredLine, UnitOfWorkFactory
from openaso.services.setup import enrol, load_fee_schedule, load_plans, open_balances


@dataclass(frozen=True, slots=True)
class ScenarioOutcome:
    name: str
    origin: str
    mismatches: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches


def run_scenario(scenario: Scenario, new_uow: UnitOfWorkFactory) -> ScenarioOutcome:
    """Load, receive (claims, then fills, then disability claims), adjudicate, compare."""
    at = datetime(2026, 1, 1, tzinfo=UTC)  # scenarios are reproducible: a fixed clock
    load_plans(
        new_uow(),
        ((p, scenario.plan_sources[p.id], scenario.origin) for p in scenario.plans),
        "scenario",
        at,
    )
    load_fee_schedule(new_uow(), scenario.fees, date.min, "scenario", at)
    enrol(new_uow(), scenario.members, scenario.enrolments)
    open_balances(new_uow(), scenario.opening_balances)
    receive_claims(new_uow(), (*scenario.claims, *scenario.fills, *scenario.disability_claims))
    adjudicate_waiting(new_uow)
    mismatches: list[str] = []
    with new_uow() as uow:
        for claim_id, expected_lines in scenario.line_expectations.items():
            stored = uow.claims.lines(claim_id)
            for number, (got, want) in enumerate(
                zip(stored, expected_lines, strict=False), start=1
            ):
                mismatches += _line_diff(f"{claim_id} line {number}", got, want)
        for claim_id, fill in scenario.fill_expectations.items():
            (got,) = uow.claims.lines(claim_id)
            member_paid = sum(amount for group, _, amount in got.adjustments if group == "PR")
            mismatches += _amount(claim_id, "plan_paid", got.plan_paid, fill.plan_paid)
            mismatches += _amount(claim_id, "member_paid", member_paid, fill.member_paid)
            if fill.adjustments is not None:
                mismatches += _codes(claim_id, got, fill.adjustments)
        for claim_id, disability in scenario.disability_expectations.items():
            (got,) = uow.claims.lines(claim_id)
            mismatches += _amount(claim_id, "amount", got.plan_paid, disability.amount)
        for key, expected in scenario.accumulator_expectations.items():
            value = uow.accumulators.value(key)
            if value != expected:
                _, holder, plan_id, name = key
                show = str if name.startswith("count:") else format_cents
                mismatches.append(
                    f"accumulator {holder} {plan_id} {name}:"
                    f" got {show(value)}, expected {show(expected)}"
                )
    return ScenarioOutcome(scenario.name, scenario.origin, tuple(mismatches))


def _amount(where: str, name: str, got: int, want: int | None) -> list[str]:
    if want is None or got == want:
        return []
    return [f"{where}: {name} got {format_cents(got)}, expected {format_cents(want)}"]


def _codes(where: str, got: StoredLine, want: Mapping[str, int]) -> list[str]:
    have = {f"{group}-{reason}": amount for group, reason, amount in got.adjustments}
    diffs = []
    for code in sorted(set(have) | set(want)):
        if have.get(code, 0) != want.get(code, 0):
            diffs.append(
                f"{where}: {code} got {format_cents(have.get(code, 0))},"
                f" expected {format_cents(want.get(code, 0))}"
            )
    return diffs


def _line_diff(where: str, got: StoredLine, want: LineExpectation) -> list[str]:
    diffs = []
    if want.status is not None and got.status != want.status:
        diffs.append(f"{where}: status got {got.status}, expected {want.status}")
    diffs += _amount(where, "allowed", got.allowed, want.allowed)
    diffs += _amount(where, "plan_paid", got.plan_paid, want.plan_paid)
    if want.adjustments is not None:
        diffs += _codes(where, got, want.adjustments)
    if want.remarks is not None and tuple(got.remarks) != tuple(want.remarks):
        diffs.append(f"{where}: remarks got {list(got.remarks)}, expected {list(want.remarks)}")
    return diffs
