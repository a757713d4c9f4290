"""Logins and the service layer's access checks, without the web: who may be added, how a
password and a token sign in, and that every PHI read refuses a sponsor or broker."""

from collections.abc import Callable
from datetime import datetime

import pytest
from typer.testing import CliRunner

from openaso.entrypoints.cli import app
from openaso.services.access import AccessDeniedError, Principal, Role
from openaso.services.claim_work import approve_line, submit_claims
from openaso.services.funding import funding_of, payment_run
from openaso.services.users import (
    UserError,
    add_demo_logins,
    add_user,
    principal_of_token,
    sign_in,
)
from openaso.services.workbench import (
    ClaimSearch,
    claim_status,
    claim_view,
    intake_history,
    member_view,
    pend_queue,
    search_claims,
)
from tests.e2e.site import ANALYSED, LOGINS, PASSWORD, Site, build_site
from tests.integration.books import AT


@pytest.fixture
def site(database_url: str) -> Site:
    return build_site(database_url)


HR = Principal("hr", Role.SPONSOR, frozenset({"acme"}))
BROKER = Principal("broker", Role.BROKER, frozenset({"acme"}))


@pytest.mark.parametrize("who", [HR, BROKER])
def test_every_member_level_read_and_action_refuses_a_sponsor_or_broker(
    site: Site, who: Principal
) -> None:
    new_uow, at = site.new_uow, datetime(2026, 6, 1)
    refused: list[Callable[[], object]] = [
        lambda: search_claims(new_uow(), who, ClaimSearch(), at),
        lambda: pend_queue(new_uow(), who, at),
        lambda: claim_view(new_uow(), who, "C-PEND", at),
        lambda: claim_status(new_uow(), who, "C-PEND", at),
        lambda: member_view(new_uow(), who, "E100", at),
        lambda: intake_history(new_uow(), who, at),
        lambda: payment_run(new_uow(), who, 1, at),
        lambda: approve_line(new_uow, who, "C-PEND", 1, 100, "x", at),
        lambda: submit_claims(new_uow, who, [], at),
    ]
    for call in refused:
        with pytest.raises(AccessDeniedError):
            call()
    assert funding_of(new_uow(), who, "acme")["requests"][0]["amount"] == 6_500


def test_a_password_signs_in_and_a_wrong_one_or_unknown_login_does_not(site: Site) -> None:
    principal = sign_in(site.new_uow(), LOGINS[Role.BROKER], PASSWORD)
    assert principal == Principal(LOGINS[Role.BROKER], Role.BROKER, frozenset({"acme", ANALYSED}))
    assert sign_in(site.new_uow(), LOGINS[Role.BROKER], PASSWORD + "!") is None
    assert sign_in(site.new_uow(), "nobody", PASSWORD) is None
    assert principal_of_token(site.new_uow(), "not-a-token") is None


def test_only_the_hash_of_a_password_or_token_is_stored(site: Site) -> None:
    with site.new_uow() as uow:
        user = uow.users.get(LOGINS[Role.EXAMINER])
        assert user is not None
        assert user["password_hash"].startswith("$argon2id$")
        assert uow.users.login_of_token(site.tokens[Role.EXAMINER]) is None


def test_a_sponsor_login_sees_one_sponsor_and_staff_none(site: Site) -> None:
    with pytest.raises(UserError, match="exactly one sponsor"):
        add_user(site.new_uow(), "hr2", Role.SPONSOR, PASSWORD, ["acme", "globex"], AT, "t")
    with pytest.raises(UserError, match="sees every sponsor"):
        add_user(site.new_uow(), "ex2", Role.EXAMINER, PASSWORD, ["acme"], AT, "t")
    with pytest.raises(UserError, match="at least 12"):
        add_user(site.new_uow(), "ex3", Role.EXAMINER, "short", [], AT, "t")


def test_the_demo_logins_are_one_per_role_and_sign_in(site: Site) -> None:
    made = add_demo_logins(site.new_uow, ["acme"], AT)
    assert [role for _, role, _ in made] == list(Role)
    for login, role, password in made:
        principal = sign_in(site.new_uow(), login, password)
        assert principal is not None
        assert principal.role == role


def test_the_users_commands_add_a_login_and_issue_a_token(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENASO_DATABASE_URL", site.settings.database_url)
    monkeypatch.setenv("OPENASO_NEW_PASSWORD", "a long enough password")
    runner = CliRunner()
    added = runner.invoke(app, ["users", "add", "hr-1", "--role", "sponsor", "--sponsor", "acme"])
    assert added.exit_code == 0, added.output
    assert "hr-1 added: sponsor" in added.output
    issued = runner.invoke(app, ["users", "token", "hr-1"])
    assert issued.exit_code == 0, issued.output
    principal = principal_of_token(site.new_uow(), issued.output.strip())
    assert principal == Principal("hr-1", Role.SPONSOR, frozenset({"acme"}))
    refused = runner.invoke(app, ["users", "add", "hr-2", "--role", "sponsor"])
    assert refused.exit_code == 1
    assert "exactly one sponsor" in refused.output
