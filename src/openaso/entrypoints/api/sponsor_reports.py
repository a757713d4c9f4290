"""/api/v1/sponsors/{id}/claims-by-month, /stop-loss, /invoices and /plan-year/{year}: the
sponsor dashboard's figures (aggregates; stop-loss claimants as keys). TPA admin, the sponsor
and its broker; the service refuses an examiner."""

import hashlib
import hmac
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from openaso.core.money import format_cents, format_percent
from openaso.entrypoints.api.claim_input import ID
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.api.sponsor_schemas import (
    AggregatePublic,
    ClaimantPublic,
    ClaimsByMonthPublic,
    InvoicesPublic,
    InvoiceSummaryPublic,
    LiabilityPublic,
    MonthClaimsPublic,
    PlanYearPublic,
    StopLossPublic,
    TierMonthsPublic,
)
from openaso.entrypoints.web.security import ApiPrincipal, NewUow
from openaso.services.dashboard import (
    SponsorPlanYear,
    claims_by_month,
    current_year,
    invoices_of_year,
    plan_year,
)
from openaso.services.stoploss_status import SponsorStopLoss, sponsor_stop_loss

router = APIRouter(tags=["sponsor dashboard"])
SponsorId = Annotated[str, Path(pattern=ID)]
Year = Annotated[int, Path(ge=2000, le=2100)]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="default: the current")]
AsOf = Annotated[date | None, Query(description="the day of the status; default: today")]


def claimant_secret(request: Request) -> bytes:
    """OPENASO_CLAIMANT_SECRET; without one, a key derived from the session secret (random per
    process in development), so a claimant key is never an unkeyed hash of a member id."""
    settings = request.app.state.settings
    if settings.claimant_secret:
        return str(settings.claimant_secret).encode()
    return hmac.new(settings.secret_key.encode(), b"claimant keys", hashlib.sha256).digest()


def _money(cents: int | None) -> str | None:
    return None if cents is None else format_cents(cents)


@router.get("/sponsors/{sponsor_id}/claims-by-month", response_model=ClaimsByMonthPublic)
def read_claims_by_month(
    *, sponsor_id: SponsorId, principal: ApiPrincipal, new_uow: NewUow, year: YearQuery = None
) -> ClaimsByMonthPublic:
    year = year or current_year(new_uow, principal, sponsor_id, now().date())
    found = claims_by_month(new_uow, principal, sponsor_id, year)
    data = [
        MonthClaimsPublic(month=m.month, members=m.members, employees=m.employees,
                          paid=_money(m.paid), budget=format_cents(m.budget))
        for m in found.months
    ]  # fmt: skip
    return ClaimsByMonthPublic(
        sponsor_id=sponsor_id, year=year, withheld=found.withheld, data=data, count=len(data)
    )


@router.get("/sponsors/{sponsor_id}/stop-loss", response_model=StopLossPublic)
def read_stop_loss(
    *, request: Request, sponsor_id: SponsorId, principal: ApiPrincipal, new_uow: NewUow,
    as_of: AsOf = None,
) -> StopLossPublic:  # fmt: skip
    on = as_of or now().date()
    return stop_loss_public(
        sponsor_stop_loss(new_uow, principal, sponsor_id, on, claimant_secret(request))
    )


def stop_loss_public(found: SponsorStopLoss) -> StopLossPublic:
    agg = found.aggregate
    return StopLossPublic(
        sponsor_id=found.sponsor_id, policy_id=found.policy_id, carrier=found.carrier,
        period_start=found.period[0], period_end=found.period[1], as_of=found.as_of,
        specific_deductible=_money(found.specific_deductible),
        notice_percent=None if found.notice_percent is None else format_percent(
            found.notice_percent),
        claimants=[
            ClaimantPublic(key=c.key, paid=format_cents(c.paid), deductible=_money(c.deductible),
                           excess=format_cents(c.excess), reimbursable=format_cents(c.reimbursable),
                           filed=format_cents(c.filed), received=format_cents(c.received),
                           noticed=c.noticed, over_deductible=c.over_deductible)
            for c in found.claimants
        ],
        aggregate=None if agg is None else AggregatePublic(
            attachment_to_date=format_cents(agg.attachment_to_date),
            attachment_point=format_cents(agg.attachment_point),
            claims=_money(agg.claims), percent=agg.percent,
        ),
    )  # fmt: skip


@router.get("/sponsors/{sponsor_id}/invoices", response_model=InvoicesPublic)
def list_invoices(
    *, sponsor_id: SponsorId, principal: ApiPrincipal, new_uow: NewUow, year: YearQuery = None
) -> InvoicesPublic:
    year = year or current_year(new_uow, principal, sponsor_id, now().date())
    data = [
        InvoiceSummaryPublic(
            number=i.number, month=i.month, fees=format_cents(i.fees),
            premiums=format_cents(i.premiums), total=format_cents(i.total),
            paid=format_cents(i.paid), outstanding=format_cents(i.outstanding),
        )
        for i in invoices_of_year(new_uow, principal, sponsor_id, year)
    ]  # fmt: skip
    return InvoicesPublic(data=data, count=len(data))


@router.get("/sponsors/{sponsor_id}/plan-year/{year}", response_model=PlanYearPublic)
def read_plan_year(
    *, sponsor_id: SponsorId, year: Year, principal: ApiPrincipal, new_uow: NewUow
) -> PlanYearPublic:
    return plan_year_public(plan_year(new_uow, principal, sponsor_id, year))


def plan_year_public(found: SponsorPlanYear) -> PlanYearPublic:
    s, books, hide = found.summary, found.summary.ledger, found.withheld
    owed = s.liability

    def claims(cents: int) -> str | None:
        return None if hide else format_cents(cents)

    return PlanYearPublic(
        sponsor_id=s.sponsor, first_month=s.first_month, last_month=s.last_month,
        members=found.members, withheld=hide,
        member_months=[TierMonthsPublic(tier=t, member_months=n) for t, n in s.member_months],
        budget=format_cents(s.budget), funded=claims(books.funded),
        paid_claims=claims(books.paid_claims), fees=format_cents(books.fees),
        premiums=format_cents(books.premiums),
        stop_loss_reimbursed=claims(books.stop_loss_reimbursed), net_cost=claims(s.net_cost),
        surplus=claims(s.surplus),
        maximum_liability=None if owed is None else LiabilityPublic(
            aggregate_attachment=format_cents(owed.aggregate_attachment),
            laser_retention=format_cents(owed.laser_retention),
            asd_retention=format_cents(owed.asd_retention),
            fixed_costs=format_cents(owed.fixed_costs), total=format_cents(owed.total),
            projected_months=owed.projected_months,
            excluded_claimants=len(owed.excluded_members),
        ),
    )  # fmt: skip
