"""Logins: add a person or a system, sign in with a password, issue and check bearer tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults). Bearer tokens are 32 random bytes,
so a plain SHA-256 of one cannot be searched back; only that hash is stored, and a token is
checked with one indexed lookup instead of a slow password hash on every API request.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from openaso.services.access import Principal, Role
from openaso.services.ports import UnitOfWork

_HASHER = PasswordHasher()
# Checked against when the login is unknown, so a wrong login takes as long as a wrong password.
_NOBODY = _HASHER.hash(secrets.token_urlsafe(16))
MIN_PASSWORD = 12


class UserError(ValueError):
    """A login that cannot be added as asked; the message says why."""


def add_user(
    uow: UnitOfWork,
    login: str,
    role: Role,
    password: str | None,
    sponsors: Iterable[str],
    at: datetime,
    actor: str,
) -> bool:
    """Add a login or replace its role, password and sponsors; True when it is new.

    A sponsor login sees exactly one sponsor, a broker at least one; TPA staff see all and are
    given none. A login without a password signs in with tokens only.
    """
    chosen = sorted(set(sponsors))
    if not login or len(login) > 100 or not login.replace("-", "").replace(".", "").isalnum():
        raise UserError(f"a login is letters, digits, '.' and '-', got {login!r}")
    if role == Role.SPONSOR and len(chosen) != 1:
        raise UserError(f"a sponsor login sees exactly one sponsor (--sponsor), got {chosen}")
    if role == Role.BROKER and not chosen:
        raise UserError("a broker login needs the sponsors it is assigned to (--sponsor)")
    if role in (Role.TPA_ADMIN, Role.EXAMINER) and chosen:
        raise UserError(f"{role} sees every sponsor; give no --sponsor")
    if password is not None and len(password) < MIN_PASSWORD:
        raise UserError(f"a password has at least {MIN_PASSWORD} characters")
    hashed = None if password is None else _HASHER.hash(password)
    with uow:
        new = uow.users.save(login, role.value, hashed, chosen, at)
        detail = {"role": role.value, "sponsors": chosen, "password": password is not None}
        uow.audit.record(at, actor, "add user" if new else "change user", "user", login, detail)
        uow.commit()
        return new


def issue_token(uow: UnitOfWork, login: str, at: datetime, actor: str) -> str:
    """A new bearer token for the login, shown once; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with uow:
        if uow.users.get(login) is None:
            raise UserError(f"no login {login!r}; add it first with `openaso users add`")
        uow.users.add_token(login, _token_hash(token), at)
        uow.audit.record(at, actor, "issue token", "user", login, {})
        uow.commit()
    return token


def sign_in(uow: UnitOfWork, login: str, password: str) -> Principal | None:
    """The principal when the password is right; None otherwise (never saying which part)."""
    with uow:
        user = uow.users.get(login)
    stored = user["password_hash"] if user is not None else None
    try:
        _HASHER.verify(stored or _NOBODY, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or stored is None:
        return None
    return _principal(user)


def principal_of(uow: UnitOfWork, login: str) -> Principal | None:
    """The principal a signed session names, as the login stands now (None if removed)."""
    with uow:
        user = uow.users.get(login)
    return None if user is None else _principal(user)


def principal_of_token(uow: UnitOfWork, token: str) -> Principal | None:
    with uow:
        login = uow.users.login_of_token(_token_hash(token))
        user = None if login is None else uow.users.get(login)
    return None if user is None else _principal(user)


def _principal(user: dict[str, object]) -> Principal:
    sponsors = user["sponsors"]
    assert isinstance(sponsors, frozenset)
    return Principal(str(user["login"]), Role(str(user["role"])), sponsors)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


DEMO_ROLES = (Role.TPA_ADMIN, Role.EXAMINER, Role.SPONSOR, Role.BROKER)


def add_demo_logins(
    new_uow: Callable[[], UnitOfWork], sponsors: Sequence[str], at: datetime
) -> list[tuple[str, Role, str]]:
    """One login per role (demo-tpa_admin, demo-examiner, ...) with a fresh random password,
    returned to be printed; the sponsor login sees the first sponsor, the broker all of them."""
    if not sponsors:
        raise UserError("the demo logins need a sponsor on file; seed the demo data first")
    made = []
    for role in DEMO_ROLES:
        login = f"demo-{role.value.replace('_', '-')}"
        password = secrets.token_urlsafe(12)
        seen = {Role.SPONSOR: sponsors[:1], Role.BROKER: sponsors}.get(role, ())
        add_user(new_uow(), login, role, password, seen, at, "demo")
        made.append((login, role, password))
    return made
