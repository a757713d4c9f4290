"""The sponsor dashboard page, /dashboard: claims fund and funding requests, claims vs budget
by month (an inline SVG chart over a table), stop-loss status, fees and the plan-year summary.

A sponsor lands here after signing in; TPA admin and brokers choose one of the sponsors they
may see with ?sponsor=ID. Every figure comes from a use case that checks the principal.
"""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response

from openaso.analytics.charts import Series, bar_chart
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.api.sponsor_reports import claimant_secret
from openaso.entrypoints.web.security import NewUow, PagePrincipal
from openaso.services.access import require_role
from openaso.services.dashboard import (
    READERS,
    ClaimsByMonth,
    claims_by_month,
    current_year,
    invoices_of_year,
    plan_year,
    require_reader,
)
from openaso.services.funding import funding_of, sponsors_visible
from openaso.services.stoploss_status import sponsor_stop_loss
from openaso.services.workbench import NotFoundError

router = APIRouter(include_in_schema=False)
T = TypeVar("T")


def claims_chart(found: ClaimsByMonth) -> str:
    """Paid claims beside the expected-claims budget, month by month (withheld months blank)."""
    labels = [f"{m.month:%b}" for m in found.months]
    paid: list[float | None] = [None if m.paid is None else m.paid / 100 for m in found.months]
    budget: list[float | None] = [m.budget / 100 for m in found.months]
    series: list[Series] = [("paid claims", paid), ("expected claims budget", budget)]
    title = f"{found.sponsor_id} {found.year}: claims vs budget by month"
    return bar_chart(title, labels, series, stacked=False)


def _section(read: Callable[[], T]) -> tuple[T | None, str | None]:
    """A section's figures, or why there are none (no fee contract, no stop-loss policy)."""
    try:
        return read(), None
    except NotFoundError as exc:
        return None, str(exc)


@router.get("/dashboard")
def dashboard(
    request: Request,
    principal: PagePrincipal,
    new_uow: NewUow,
    sponsor: str = "",
    year: int | None = None,
) -> Response:
    require_role(principal, *READERS)
    sponsors = sponsors_visible(new_uow(), principal)
    chosen = sponsor or (sponsors[0]["id"] if sponsors else "")
    context: dict[str, Any] = {"sponsors": sponsors, "chosen": chosen, "nav": "dashboard"}
    if chosen:
        require_reader(principal, chosen)
        today = now().date()
        year = year if year and 2000 <= year <= 2100 else current_year(
            new_uow, principal, chosen, today)  # fmt: skip
        context |= _figures(request, new_uow, principal, chosen, year, today)
    page: Response = request.app.state.pages.render(request, "dashboard.html", principal, **context)
    return page


def _figures(
    request: Request, new_uow: NewUow, principal: Any, sponsor: str, year: int, today: date
) -> dict[str, Any]:
    claims, claims_missing = _section(lambda: claims_by_month(new_uow, principal, sponsor, year))
    stoploss, stoploss_missing = _section(
        lambda: sponsor_stop_loss(new_uow, principal, sponsor, today, claimant_secret(request))
    )
    invoices, invoices_missing = _section(
        lambda: invoices_of_year(new_uow, principal, sponsor, year)
    )
    summary, summary_missing = _section(lambda: plan_year(new_uow, principal, sponsor, year))
    return {
        "year": year,
        "books": funding_of(new_uow(), principal, sponsor),
        "claims": claims,
        "chart": claims_chart(claims) if claims else None,
        "stoploss": stoploss,
        "invoices": invoices,
        "summary": summary,
        "missing": {
            "claims": claims_missing,
            "stoploss": stoploss_missing,
            "invoices": invoices_missing,
            "summary": summary_missing,
        },
    }
