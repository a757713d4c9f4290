"""The TPA workbench pages: sign-in, claim search, pend queue, claim detail with its trace and
the examiner's forms, member and family, intake history; and the sponsor's funding page."""

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from openaso.core.money import parse_amount
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.web.errors import FormError
from openaso.entrypoints.web.present import amount, decided_line
from openaso.entrypoints.web.security import (
    LoginRateLimiter,
    NewUow,
    PagePrincipal,
    StaffPage,
    check_csrf,
    csrf_token,
    principal_or_none,
)
from openaso.services.access import Principal
from openaso.services.claim_work import adjust, approve_line, deny_line, void
from openaso.services.funding import funding_of, sponsors_visible
from openaso.services.users import sign_in
from openaso.services.workbench import (
    ClaimSearch,
    claim_view,
    intake_history,
    member_view,
    pend_queue,
    search_claims,
)

TEMPLATES = Path(__file__).parent / "templates"
STATUSES = ("received", "pended", "approved", "denied", "paid", "voided", "replaced")
Csrf = Annotated[str, Form()]


def dollars(cents: int) -> str:
    """Cents as the page shows them: $1,250.00 (−$12.05 for a negative)."""
    whole, part = divmod(abs(cents), 100)
    return f"{'−' if cents < 0 else ''}${whole:,}.{part:02d}"


class Pages:
    def __init__(self) -> None:
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self.templates.env.filters["dollars"] = dollars
        self.templates.env.globals["amount"] = amount

    def render(
        self,
        request: Request,
        name: str,
        principal: Principal | None,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        context.update(user=principal, csrf=csrf_token(request), today=now().date())
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)

    def error(self, request: Request, status: int, message: str, where: str) -> HTMLResponse:
        principal = principal_or_none(request)
        return self.render(
            request, "error.html", principal, status, status=status, message=message, where=where
        )


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def _limiter(request: Request) -> LoginRateLimiter:
    limiter: LoginRateLimiter = request.app.state.login_limiter
    return limiter


def _cents(field: str, text: str) -> int:
    try:
        cents = parse_amount(Decimal(text.strip().replace(",", "").lstrip("$")))
    except (ValueError, InvalidOperation):
        raise FormError(field, f"expected an amount in dollars like 95.00, got {text!r}") from None
    if cents < 0:
        raise FormError(field, "expected an amount of zero or more")
    return cents


def _date(field: str, text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormError(field, f"expected a date like 2026-03-31, got {text!r}") from None


router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if principal_or_none(request) is not None:
        return RedirectResponse(_safe(next), status_code=303)
    return _pages(request).render(request, "login.html", None, next=_safe(next), failed=None)


@router.post("/login")
def login(
    request: Request,
    new_uow: NewUow,
    login: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Csrf,
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf)
    limiter = _limiter(request)
    address = request.client.host if request.client else "unknown"
    if limiter.blocked(login, address):
        message = "too many failed sign-ins; wait five minutes and try again"
        return _pages(request).render(
            request, "login.html", None, 429, next=_safe(next), failed=message
        )
    principal = sign_in(new_uow(), login, password)
    if principal is None:
        limiter.failed(login, address)
        return _pages(request).render(
            request, "login.html", None, 401, next=_safe(next), failed="wrong login or password"
        )
    limiter.succeeded(login, address)
    request.session.clear()  # a new session on sign-in: nothing carried over from before
    request.session["login"] = principal.login
    return RedirectResponse(_safe(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Csrf) -> Response:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home(principal: PagePrincipal) -> Response:
    return RedirectResponse("/queue" if principal.sees_phi else "/dashboard", status_code=303)


@router.get("/queue")
def queue(request: Request, principal: PagePrincipal, new_uow: NewUow) -> Response:
    rows = pend_queue(new_uow(), principal, now())
    return _pages(request).render(request, "queue.html", principal, rows=rows)


@router.get("/claims")
def claims(
    request: Request,
    principal: PagePrincipal,
    new_uow: NewUow,
    claim_id: str = "",
    member_id: str = "",
    status: str = "",
    received_from: str = "",
    received_to: str = "",
    page: int = 1,
) -> Response:
    page = max(page, 1)
    search = ClaimSearch(
        claim_id.strip() or None,
        member_id.strip() or None,
        status if status in STATUSES else None,
        _date("received_from", received_from),
        _date("received_to", received_to),
        limit=50,
        offset=(page - 1) * 50,
    )
    rows, count = search_claims(new_uow(), principal, search, now())
    return _pages(request).render(
        request,
        "claims.html",
        principal,
        rows=rows,
        count=count,
        page=page,
        statuses=STATUSES,
        form={
            "claim_id": claim_id,
            "member_id": member_id,
            "status": status,
            "received_from": received_from,
            "received_to": received_to,
        },
    )


@router.get("/claims/{claim_id}")
def claim(
    request: Request, claim_id: str, principal: PagePrincipal, new_uow: NewUow, done: str = ""
) -> Response:
    view = claim_view(new_uow(), principal, claim_id, now())
    decided = {line.number: decided_line(line) for line in view.decided}
    return _pages(request).render(
        request, "claim.html", principal, view=view, decided=decided, done=done
    )


@router.post("/claims/{claim_id}/approve")
def approve(
    request: Request,
    claim_id: str,
    principal: StaffPage,
    new_uow: NewUow,
    csrf: Csrf,
    line: Annotated[int, Form()],
    allowed: Annotated[str, Form()],
    reason: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    cents = _cents("allowed", allowed)
    approve_line(new_uow, principal, claim_id, line, cents, _said("reason", reason), now())
    return _back(claim_id, f"line {line} approved")


@router.post("/claims/{claim_id}/deny")
def deny(
    request: Request,
    claim_id: str,
    principal: StaffPage,
    new_uow: NewUow,
    csrf: Csrf,
    line: Annotated[int, Form()],
    carc: Annotated[str, Form()],
    reason: Annotated[str, Form()],
    group: Annotated[str, Form()] = "CO",
) -> Response:
    check_csrf(request, csrf)
    deny_line(
        new_uow, principal, claim_id, line, group, carc.strip(), _said("reason", reason), now()
    )
    return _back(claim_id, f"line {line} denied")


@router.post("/claims/{claim_id}/void")
def void_form(
    request: Request,
    claim_id: str,
    principal: StaffPage,
    new_uow: NewUow,
    csrf: Csrf,
    reason: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    void(new_uow, principal, claim_id, _said("reason", reason), now())
    return _back(claim_id, "claim voided")


@router.post("/claims/{claim_id}/adjust")
def adjust_form(
    request: Request,
    claim_id: str,
    principal: StaffPage,
    new_uow: NewUow,
    csrf: Csrf,
    line: Annotated[int, Form()],
    reason: Annotated[str, Form()],
    billed: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    units: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    changes: dict[str, object] = {}
    if billed.strip():
        changes["billed"] = _cents("billed", billed)
    if code.strip():
        changes["code"] = code.strip()
    if units.strip():
        if not units.strip().isdigit() or int(units) < 1:
            raise FormError("units", f"expected a whole number of units, got {units!r}")
        changes["units"] = int(units)
    if not changes:
        raise FormError("billed", "nothing to change: give a billed amount, a code or units")
    new_id = adjust(new_uow, principal, claim_id, {line: changes}, _said("reason", reason), now())
    return _back(new_id, f"replaces {claim_id}")


@router.get("/members/{member_id}")
def member(request: Request, member_id: str, principal: PagePrincipal, new_uow: NewUow) -> Response:
    view = member_view(new_uow(), principal, member_id, now())
    return _pages(request).render(request, "member.html", principal, view=view)


@router.get("/files")
def files(request: Request, principal: PagePrincipal, new_uow: NewUow) -> Response:
    rows = intake_history(new_uow(), principal, now())
    return _pages(request).render(request, "files.html", principal, rows=rows)


@router.get("/funding")
def funding(request: Request, principal: PagePrincipal, new_uow: NewUow) -> Response:
    books = [
        funding_of(new_uow(), principal, s["id"]) | {"name": s["name"]}
        for s in sponsors_visible(new_uow(), principal)
    ]
    return _pages(request).render(request, "funding.html", principal, books=books)


def _said(field: str, text: str) -> str:
    if not text.strip():
        raise FormError(field, "say why, in words (kept in the audit log)")
    return text.strip()


def _back(claim_id: str, done: str) -> Response:
    return RedirectResponse(f"/claims/{quote(claim_id)}?done={quote(done)}", status_code=303)


def _safe(target: str) -> str:
    """Only a path on this site is a place to go after signing in."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
