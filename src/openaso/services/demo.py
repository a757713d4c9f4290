"""The demo sponsor: a generated book pushed through the real pipeline, week by week.

`seed_demo` reads a folder written by `openaso.synthetic.book` and does what an administrator
would over the year: load the plans, fee schedule and providers, check the stop-loss policy,
enrol from the 834, then for each receipt week take in that week's 837s (999s stored) and PBM
fills, adjudicate, run payments on the Friday and record the sponsor's funding of the run. A
few paid claims are voided along the way (their recoveries net in the next run), and pended
claims are left in the queue for the examiner. With a fee contract in the folder, the first
run of each month invoices that month's fees and stop-loss premium, records the sponsor's
payment of the month before and remits its premium to the carrier, so the latest invoice is
left outstanding as it would be. A database that already holds the sponsor's
plans is left alone.
"""

import csv
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openaso.adapters.files.claims_file import read_claims_file
from openaso.adapters.files.fee_contract import load_contract_file
from openaso.adapters.files.fee_schedule import read_fee_schedule_csv
from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.stoploss_document import load_stoploss
from openaso.adapters.files.yaml_source import read_yaml
from openaso.adapters.x12.ack_999 import Party
from openaso.adapters.x12.enrolment_834 import read_834
from openaso.core.npi import npi_problem
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.claims_837 import intake_837
from openaso.services.enrolment import import_enrolment
from openaso.services.intake import receive_claims
from openaso.services.invoicing import load_contract, record_payment, run_invoice, show_invoice
from openaso.services.lifecycle import void_claim
from openaso.services.payments import pay_run, receive_funding
from openaso.services.ports import UnitOfWorkFactory
from openaso.services.premium_remittance import remit_premium
from openaso.services.setup import load_fee_schedule, load_plans
from openaso.services.stoploss import load_policy, record_notices
from openaso.services.stoploss_filings import file_specific

CARRIER = "summit-re"  # the generated stop-loss policy's (synthetic.documents)
VOID_EVERY = 13  # weeks: one paid claim voided a quarter, as a provider's billing error would be


class SeedError(ValueError):
    """A generated file the pipeline did not take whole; the message says which and why."""


@dataclass
class SeedReport:
    sponsor: str
    already_seeded: bool = False
    members: int = 0
    files: int = 0
    claims: int = 0
    fills: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    runs: int = 0
    paid: int = 0  # cents funded and paid over the year
    voided: list[str] = field(default_factory=list)
    fee_contract: str = ""
    stop_loss: str = ""
    notices: int = 0
    filed: int = 0  # cents filed with the stop-loss carrier (specific)
    invoices: int = 0
    invoiced: int = 0  # cents of fees and premium invoiced over the year
    remitted: int = 0  # cents of stop-loss premium remitted to the carrier
    stored: list[str] = field(default_factory=list, repr=False)  # 837 claims, oldest first


def seed_demo(
    new_uow: UnitOfWorkFactory, folder: Path, *, actor: str, ours: Party,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:  # fmt: skip
    """Seed the book in `folder` (see the module's docstring)."""
    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    sponsor, year = manifest["sponsor"], int(manifest["year"])
    report = SeedReport(sponsor)
    with new_uow() as uow:
        if any(plan.sponsor == sponsor for plan in uow.plans.all().values()):
            report.already_seeded = True
            return report
    start = datetime.combine(date(year, 1, 1), time(8))
    _reference(new_uow, folder, manifest, actor, start, report)
    enrolment = folder / manifest["enrolment"]
    batches, findings = read_834(enrolment)
    if findings:
        raise SeedError(f"{enrolment}: {findings[0]}")
    sha = hashlib.sha256(enrolment.read_bytes()).hexdigest()
    enrolled = import_enrolment(
        new_uow(), batches, findings, str(enrolment), sha, sponsor, False, actor, start
    )
    report.members = enrolled.added
    invoiced: list[int] = []
    for index, week in enumerate(manifest["weeks"]):
        friday = date.fromisoformat(week["week"]) + timedelta(days=4)
        at = datetime.combine(friday, time(17))
        if report.fee_contract and (not invoiced or friday.day <= 7) and friday.year == year:
            _invoice(new_uow, sponsor, friday, actor, at, report, invoiced)
        for name in week["files"]:
            _take(new_uow, folder / name, actor, at, ours, report)
        settled = adjudicate_waiting(new_uow)
        for status, count in settled.by_status.items():
            report.by_status[status] = report.by_status.get(status, 0) + count
        if index % VOID_EVERY == VOID_EVERY - 1:
            _void_one(new_uow, actor, at, report)
        _pay(new_uow, sponsor, friday, actor, at, report)
        if (friday + timedelta(days=7)).month != friday.month:
            _stop_loss(new_uow, sponsor, friday, actor, at, report)
        if progress is not None:
            progress(f"week of {week['week']}: {report.claims} claims, {report.runs} runs")
    return report


def _reference(
    new_uow: UnitOfWorkFactory, folder: Path, manifest: dict[str, Any], actor: str,
    at: datetime, report: SeedReport,
) -> None:  # fmt: skip
    """Plans, fee schedule, providers; the stop-loss policy checked."""
    documents: dict[str, list[str]] = manifest["documents"]
    plans = []
    for name in documents["plans"]:
        document = read_yaml(folder / name)
        plan, problems = load_plan(document)
        if plan is None:
            raise SeedError(str(problems[0]))
        plans.append((plan, document.data, str(folder / name)))
    load_plans(new_uow(), plans, actor, at)
    (fees_file,) = documents["fees"]
    fees, problems = read_fee_schedule_csv(folder / fees_file)
    if problems:
        raise SeedError(str(problems[0]))
    load_fee_schedule(new_uow(), fees, date(int(manifest["year"]), 1, 1), actor, at)
    for name in documents["providers"]:
        _providers(new_uow, folder / name)
    for name in documents["stop_loss"]:
        document = read_yaml(folder / name)
        policy, problems = load_stoploss(document)
        if policy is None:
            raise SeedError(str(problems[0]))
        version = load_policy(new_uow(), policy, document.data, str(folder / name),
                              sponsor=manifest["sponsor"], actor=actor, at=at)  # fmt: skip
        report.stop_loss = f"{policy.id} version {version}"
    for name in documents.get("fee_contract", []):
        loaded, problems = load_contract_file(folder / name, manifest["sponsor"])
        if loaded is None:
            raise SeedError(str(problems[0]))
        load_contract(new_uow(), loaded, str(folder / name), actor=actor, at=at)
        report.fee_contract = name


def _invoice(
    new_uow: UnitOfWorkFactory, sponsor: str, on: date, actor: str, at: datetime,
    report: SeedReport, invoiced: list[int],
) -> None:  # fmt: skip
    """The month's invoice; the sponsor pays last month's, whose premium goes to the carrier."""
    invoice_id, made = run_invoice(new_uow(), sponsor, on, actor=actor, at=at)
    if not made:
        return
    report.invoices += 1
    report.invoiced += show_invoice(new_uow(), invoice_id).total
    if invoiced:
        last = show_invoice(new_uow(), invoiced[-1])
        if last.outstanding > 0:
            record_payment(new_uow(), last.id, last.outstanding, on, actor=actor, at=at)
        report.remitted += remit_premium(
            new_uow(), sponsor, CARRIER, on, f"WIRE-{last.number}", actor=actor, at=at
        )
    invoiced.append(invoice_id)


def _providers(new_uow: UnitOfWorkFactory, path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as handle, new_uow() as uow:
        reader = csv.DictReader(handle)
        for row in reader:
            problem = npi_problem(row["npi"])
            if problem:
                raise SeedError(f"{path}:{reader.line_num}: {problem}")
            uow.providers.upsert(row["npi"], row["tin"] or None, row["name"], row["network"])
        uow.commit()


def _take(
    new_uow: UnitOfWorkFactory, path: Path, actor: str, at: datetime, ours: Party,
    report: SeedReport,
) -> None:  # fmt: skip
    """One week's file in: an 837 through intake, the PBM's fills as received."""
    report.files += 1
    if path.suffix == ".yaml":
        fills, problems = read_claims_file(path)
        if problems:
            raise SeedError(str(problems[0]))
        receive_claims(new_uow(), fills)
        report.fills += len(fills)
        return
    result = intake_837(new_uow(), path, ours=ours, actor=actor, at=at)
    if result.outcome != "accepted" or result.unmatched:
        found = result.problems[0] if result.problems else f"{len(result.unmatched)} unmatched"
        raise SeedError(f"{path}: {result.outcome}: {found}")
    report.claims += len(result.stored)
    report.stored += result.stored[:5]  # enough to void one from


def _void_one(new_uow: UnitOfWorkFactory, actor: str, at: datetime, report: SeedReport) -> None:
    """Void the oldest approved claim not voided yet (paid in an earlier week's run), as a
    provider's billing error would be; the next run recovers what was paid on it."""
    with new_uow() as uow:
        claim_id = next((i for i in report.stored if uow.claims.status_of(i) == "approved"), None)
    if claim_id is None:
        return
    report.stored.remove(claim_id)
    void_claim(new_uow(), claim_id, "billed in error (the provider's void)", actor, at)
    report.voided.append(claim_id)
    adjudicate_waiting(new_uow)


def _stop_loss(
    new_uow: UnitOfWorkFactory, sponsor: str, on: date, actor: str, at: datetime,
    report: SeedReport,
) -> None:  # fmt: skip
    """At the last run of a month, as the administrator would: notices to the carrier for the
    claimants past the notice point, and specific filings for what is above the deductible."""
    if not report.stop_loss:
        return
    found, _ = record_notices(new_uow(), sponsor, on, at=at, actor=actor)
    report.notices += len(found)
    filed = file_specific(new_uow(), sponsor, on, filed_on=on, actor=actor, at=at)
    report.filed += sum(filing.amount for filing in filed)


def _pay(
    new_uow: UnitOfWorkFactory, sponsor: str, on: date, actor: str, at: datetime,
    report: SeedReport,
) -> None:  # fmt: skip
    run = pay_run(new_uow(), sponsor, on, actor=actor, at=at, method="eft")
    if run.run_id is None:
        return
    report.runs += 1
    if run.funding_request is not None and run.total > 0:
        receive_funding(new_uow(), run.funding_request, run.total, on, actor=actor, at=at)
        report.paid += run.total
