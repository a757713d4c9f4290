"""Money out in the workbench: run payments and record funding from the funding page
(`tpa_admin`), and a payment run's payments with each released payment's 835 (TPA staff)."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from openaso.bootstrap import remitter
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.web.errors import FormError
from openaso.entrypoints.web.pages import Csrf, Pages, _cents, _date
from openaso.entrypoints.web.security import AdminPage, NewUow, PagePrincipal, check_csrf
from openaso.services.funding import payment_run
from openaso.services.payment_work import record_funding, remittance_of, run_payments
from openaso.services.payments import Method

router = APIRouter(include_in_schema=False)


def _done(message: str) -> Response:
    return RedirectResponse(f"/funding?done={quote(message)}", status_code=303)


@router.post("/funding/runs")
def run_form(
    request: Request,
    principal: AdminPage,
    new_uow: NewUow,
    csrf: Csrf,
    sponsor: Annotated[str, Form()],
    run_date: Annotated[str, Form()],
    method: Annotated[str, Form()] = "cheque",
) -> Response:
    check_csrf(request, csrf)
    on = _date("run_date", run_date)
    if on is None:
        raise FormError("run_date", "expected the run's date like 2026-03-31")
    methods: dict[str, Method] = {"cheque": "cheque", "eft": "eft"}
    if method not in methods:
        raise FormError("method", f"expected cheque or eft, got {method!r}")
    run = run_payments(new_uow(), principal, sponsor, on, methods[method], now())
    if run["run_id"] is None:
        return _done(f"{sponsor}: nothing to pay")
    return RedirectResponse(f"/runs/{run['run_id']}", status_code=303)


@router.post("/funding/receipts")
def receipt_form(
    request: Request,
    principal: AdminPage,
    new_uow: NewUow,
    csrf: Csrf,
    request_id: Annotated[str, Form()],
    amount: Annotated[str, Form()],
    received_on: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    cents = _cents("amount", amount)
    if cents == 0:
        raise FormError("amount", "expected the amount received, more than zero")
    on = _date("received_on", received_on)
    if on is None:
        raise FormError("received_on", "expected the day the money arrived like 2026-03-31")
    released = record_funding(new_uow(), principal, request_id.strip(), cents, on, now())
    return _done(f"{request_id}: received; released {len(released)} payments")


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: int, principal: PagePrincipal, new_uow: NewUow) -> Response:
    run = payment_run(new_uow(), principal, run_id, now())
    pages: Pages = request.app.state.pages
    return pages.render(request, "run.html", principal, run=run)


@router.get("/runs/{run_id}/{number}.835")
def run_835(
    request: Request, run_id: int, number: str, principal: PagePrincipal, new_uow: NewUow
) -> Response:
    payer, ours = remitter(request.app.state.settings)
    text = remittance_of(new_uow(), principal, run_id, number, payer, ours, now())
    disposition = f'attachment; filename="run{run_id}-{number}.835"'
    return PlainTextResponse(
        text, media_type="application/edi-x12", headers={"Content-Disposition": disposition}
    )
