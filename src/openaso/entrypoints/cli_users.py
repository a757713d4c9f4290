"""`openaso users ...` (logins of the web app and API) and `openaso serve`."""

import getpass
import os
from typing import Annotated

import typer

from openaso.config import get_settings
from openaso.entrypoints.context import actor, err, now, open_database, out
from openaso.services.access import Role
from openaso.services.users import UserError, add_demo_logins, add_user, issue_token

app = typer.Typer(help="Logins of the web app and API.", no_args_is_help=True)


@app.command("add")
def users_add(
    login: str,
    role: Annotated[Role, typer.Option(help="what the login may see and do")],
    sponsor: Annotated[
        list[str] | None, typer.Option(help="a sponsor it may see (sponsor: one; broker: 1+)")
    ] = None,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="a system that signs in with tokens only")
    ] = False,
) -> None:
    """Add a login (or change its role, sponsors and password); asks for the password, or
    reads it from OPENASO_NEW_PASSWORD."""
    password = None
    if not no_password:
        password = os.environ.get("OPENASO_NEW_PASSWORD") or getpass.getpass("password: ")
    try:
        new = add_user(open_database()(), login, role, password, sponsor or [], now(), actor())
    except UserError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    out.print(f"{login} {'added' if new else 'changed'}: {role.value}", markup=False)


@app.command("token")
def users_token(login: str) -> None:
    """Issue a bearer token for the login; it is printed once and kept only as a hash."""
    try:
        token = issue_token(open_database()(), login, now(), actor())
    except UserError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    print(token)


@app.command("demo")
def users_demo() -> None:
    """One login per role with a new password each, printed (for `make run`)."""
    new_uow = open_database()
    with new_uow() as uow:
        sponsors = [s["id"] for s in uow.workbench.sponsors()]
    try:
        logins = add_demo_logins(new_uow, sponsors, now())
    except UserError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    for login, role, password in logins:
        out.print(f"  {role.value:<10} login {login:<18} password {password}", markup=False)


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
) -> None:
    """Serve the web app and the API (/api/v1) with uvicorn."""
    from openaso.entrypoints.web.server import serve as serve_app

    out.print(f"OpenASO at http://{host}:{port}  (API: /api/v1, schema /api/v1/openapi.json)")
    serve_app(get_settings(), host, port)
