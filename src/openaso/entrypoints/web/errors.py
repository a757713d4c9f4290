"""The one place domain errors become HTTP answers: JSON under /api, a page elsewhere.

AccessDeniedError → 403; NotFoundError → 404; a claim id already on file or more funding than
is outstanding → 409; an action or
input that does not apply → 422 with where (the route, the body or query field, or the form
field); too many simulations waiting → 429; no sign-in → 401 (API) or the login page.
"""

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from openaso.entrypoints.web.security import CsrfError, SignInRequiredError
from openaso.services.access import AccessDeniedError
from openaso.services.analysis import AnalysisError
from openaso.services.intake import DuplicateClaimIdError
from openaso.services.invoicing import InvoiceError
from openaso.services.lifecycle import ClaimActionError
from openaso.services.payment_work import OverReceivedError
from openaso.services.payments import PaymentError
from openaso.services.simulation_jobs import BusyError
from openaso.services.stoploss import StopLossError
from openaso.services.users import UserError
from openaso.services.workbench import NotFoundError

# Answered as data (JSON, 401 when not signed in), never redirected to the sign-in page.
API_PATHS = ("/api", "/fhir")

BAD_INPUT: tuple[type[Exception], ...] = (
    AnalysisError,
    ClaimActionError,
    PaymentError,
    UserError,
    InvoiceError,  # a fee contract that cannot give a figure (a tier without a working rate)
    StopLossError,
)


class FormError(ValueError):
    """A form field that could not be read: names the field and what was expected."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _where(request: Request) -> str:
    """The route answering, as declared (`/api/v1/members/{member_id}`): an error never
    repeats the ids in the request back (a refused caller learns nothing from its own URL)."""
    parts = request.url.path.split("/")
    for name, value in request.path_params.items():
        parts = [f"{{{name}}}" if part == str(value) else part for part in parts]
    return "/".join(parts)


def _answer(
    request: Request,
    status: int,
    message: str,
    where: str | None = None,
    errors: list[object] | None = None,
) -> Response:
    where = where or _where(request)
    if request.url.path.startswith(API_PATHS):
        body: dict[str, object] = {"detail": message, "where": where}
        if errors is not None:
            body["errors"] = errors
        return JSONResponse(body, status_code=status)
    page: Response = request.app.state.pages.error(request, status, message, where)
    return page


def install(app: FastAPI) -> None:
    async def denied(request: Request, exc: Exception) -> Response:
        return _answer(request, 403, str(exc))

    async def missing(request: Request, exc: Exception) -> Response:
        return _answer(request, 404, str(exc))

    async def bad_input(request: Request, exc: Exception) -> Response:
        where = f"{_where(request)}#{exc.field}" if isinstance(exc, FormError) else None
        return _answer(request, 422, str(exc), where)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        # what was wrong and where, never the value sent: an answer does not repeat input back
        problems = [{k: v for k, v in p.items() if k != "input"} for p in exc.errors()]
        first = problems[0] if problems else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg"))
        return _answer(request, 422, message, where, jsonable_encoder(problems))

    async def conflict(request: Request, exc: Exception) -> Response:
        return _answer(request, 409, str(exc))

    async def busy(request: Request, exc: Exception) -> Response:
        return _answer(request, 429, str(exc))

    async def csrf(request: Request, exc: Exception) -> Response:
        return _answer(request, 403, str(exc))

    async def sign_in(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(API_PATHS):
            return JSONResponse(
                {"detail": str(exc), "where": _where(request)},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    app.add_exception_handler(AccessDeniedError, denied)
    app.add_exception_handler(NotFoundError, missing)
    app.add_exception_handler(DuplicateClaimIdError, conflict)
    app.add_exception_handler(OverReceivedError, conflict)
    app.add_exception_handler(BusyError, busy)
    app.add_exception_handler(CsrfError, csrf)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(SignInRequiredError, sign_in)
    for kind in (*BAD_INPUT, FormError):
        app.add_exception_handler(kind, bad_input)
