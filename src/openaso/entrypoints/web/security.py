"""Who is asking, for pages and the API: bearer tokens for systems, signed session cookies for
people, CSRF tokens for what a browser posts, and the login rate limit."""

import hashlib
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from openaso.services.access import Principal, Role, require_role
from openaso.services.ports import UnitOfWorkFactory
from openaso.services.users import principal_of, principal_of_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequiredError(Exception):
    """No valid session or token: a page answers with the login form, the API with 401."""


class CsrfError(Exception):
    """A browser's form or call came without this session's CSRF token."""


class LoginRateLimiter:
    """At most `attempts` failed sign-ins per login and client address in `window` seconds.

    Kept in the process's memory: each API process counts on its own, and a restart forgets.
    """

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}

    def blocked(self, login: str, address: str) -> bool:
        recent = self._recent((login.lower(), address))
        return len(recent) >= self.attempts

    def failed(self, login: str, address: str) -> None:
        self._recent((login.lower(), address)).append(time.monotonic())

    def succeeded(self, login: str, address: str) -> None:
        self._failures.pop((login.lower(), address), None)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        cutoff = time.monotonic() - self.window
        while stamps and stamps[0] < cutoff:
            stamps.popleft()
        return stamps


class PrincipalCache:
    """Principals of recent tokens and sessions, for `ttl` seconds: the API answers a status
    lookup without reading the login again on every call. A changed or removed login takes
    effect within `ttl` seconds in each process."""

    def __init__(self, ttl: float = 10.0) -> None:
        self.ttl = ttl
        self._seen: dict[str, tuple[float, Principal | None]] = {}

    def get(self, key: str, load: Callable[[], Principal | None]) -> Principal | None:
        found = self.cached(key)
        if found is not None:
            return found[0]
        principal = load()
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[key] = (time.monotonic() + self.ttl, principal)
        return principal

    def cached(self, key: str) -> tuple[Principal | None] | None:
        """The principal remembered for `key` (in a 1-tuple, as it may be None) while fresh."""
        found = self._seen.get(key)
        if found is not None and found[0] > time.monotonic():
            return (found[1],)
        return None


async def new_uow_dependency(request: Request) -> UnitOfWorkFactory:
    return new_uow_of(request)


def new_uow_of(request: Request) -> UnitOfWorkFactory:
    factory: UnitOfWorkFactory = request.app.state.new_uow
    return factory


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use), for forms and X-CSRF-Token headers."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get("csrf")
    if not isinstance(expected, str) or not sent or not secrets.compare_digest(expected, sent):
        raise CsrfError("the form is out of date or was not sent from this site; reload it")


def principal_or_none(request: Request) -> Principal | None:
    """The token's principal when an Authorization: Bearer header is sent, else the session's."""
    token = _bearer_token(request)
    cache: PrincipalCache = request.app.state.principals
    new_uow = new_uow_of(request)
    if token:
        return cache.get(_token_key(token), lambda: principal_of_token(new_uow(), token))
    login = request.session.get("login")
    if not isinstance(login, str):
        return None
    principal = cache.get("login:" + login, lambda: principal_of(new_uow(), login))
    if principal is None:
        request.session.clear()
    return principal


async def _principal_or_none(request: Request) -> Principal | None:
    """principal_or_none for dependencies: a remembered token answers on the event loop; a
    login that must be read from the database is read on a worker thread. (A sync dependency
    would cost every API call a round trip through the thread pool.)"""
    token = _bearer_token(request)
    if token:
        cache: PrincipalCache = request.app.state.principals
        found = cache.cached(_token_key(token))
        if found is not None:
            return found[0]
    return await run_in_threadpool(principal_or_none, request)


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _token_key(token: str) -> str:
    return "token:" + hashlib.sha256(token.encode()).hexdigest()


async def api_principal(request: Request) -> Principal:
    """Token or session; a session's changing call must carry its CSRF token in X-CSRF-Token."""
    principal = await _principal_or_none(request)
    if principal is None:
        raise SignInRequiredError("sign in, or send Authorization: Bearer TOKEN")
    by_token = request.headers.get("authorization", "").lower().startswith("bearer ")
    if not by_token and request.method not in SAFE_METHODS:
        check_csrf(request, request.headers.get("x-csrf-token"))
    return principal


async def page_principal(request: Request) -> Principal:
    principal = await _principal_or_none(request)
    if principal is None:
        raise SignInRequiredError("sign in to see this page")
    return principal


ApiPrincipal = Annotated[Principal, Depends(api_principal)]
PagePrincipal = Annotated[Principal, Depends(page_principal)]
NewUow = Annotated[UnitOfWorkFactory, Depends(new_uow_dependency)]


async def staff_page_principal(request: Request) -> Principal:
    """A form that changes claims: refused before its fields are read to a non-staff login
    (the use case checks the role again)."""
    principal = await page_principal(request)
    require_role(principal, Role.TPA_ADMIN, Role.EXAMINER)
    return principal


async def staff_api_principal(request: Request) -> Principal:
    principal = await api_principal(request)
    require_role(principal, Role.TPA_ADMIN, Role.EXAMINER)
    return principal


async def admin_api_principal(request: Request) -> Principal:
    """Money-moving calls: refused to all but tpa_admin before the body is read."""
    principal = await api_principal(request)
    require_role(principal, Role.TPA_ADMIN)
    return principal


async def admin_page_principal(request: Request) -> Principal:
    principal = await page_principal(request)
    require_role(principal, Role.TPA_ADMIN)
    return principal


StaffPage = Annotated[Principal, Depends(staff_page_principal)]
StaffApi = Annotated[Principal, Depends(staff_api_principal)]
AdminApi = Annotated[Principal, Depends(admin_api_principal)]
AdminPage = Annotated[Principal, Depends(admin_page_principal)]
