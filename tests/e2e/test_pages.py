"""The workbench pages over HTTP: signing in (rate limit, CSRF, cookie), the examiner's forms."""

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from openaso.entrypoints.web.errors import FormError
from openaso.entrypoints.web.pages import _cents, dollars
from openaso.services.access import Role
from tests.e2e.conftest import csrf_of, sign_in
from tests.e2e.site import LOGINS, PASSWORD


def _try(client: TestClient, password: str, csrf: str | None = None) -> int:
    csrf = csrf or csrf_of(client.get("/login").text)
    data = {"login": LOGINS[Role.EXAMINER], "password": password, "csrf": csrf}
    status: int = client.post("/login", data=data).status_code
    return status


def test_a_wrong_password_is_refused_and_five_in_a_row_lock_the_login(app: FastAPI) -> None:
    client = TestClient(app)
    assert [_try(client, "not the password") for _ in range(5)] == [401] * 5
    assert _try(client, PASSWORD) == 429  # even the right one, for five minutes


def test_a_sign_in_without_the_forms_csrf_token_is_refused(app: FastAPI) -> None:
    client = TestClient(app)
    client.get("/login")
    assert _try(client, PASSWORD, csrf="forged") == 403


def test_the_session_cookie_is_signed_httponly_and_samesite(app: FastAPI) -> None:
    client = TestClient(app)
    answer = client.get("/login")
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    client.cookies.set("openaso_session", "eyJsb2dpbiI6ICJleGFtaW5lci0xIn0=.forged.sig")
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_after_sign_in_only_a_path_on_this_site_is_followed(app: FastAPI) -> None:
    client = TestClient(app)
    csrf = csrf_of(client.get("/login").text)
    data = {"login": LOGINS[Role.EXAMINER], "password": PASSWORD, "csrf": csrf}
    answer = client.post("/login", data={**data, "next": "//evil.example"}, follow_redirects=False)
    assert answer.headers["location"] == "/"


def test_an_examiner_approves_a_pended_line_from_the_claim_page(
    signed_in: Callable[[Role], tuple[TestClient, str]],
) -> None:
    client, csrf = signed_in(Role.EXAMINER)
    assert "C-PEND" in client.get("/queue").text
    form = {"csrf": csrf, "line": "1", "allowed": "950.00", "reason": "priced from invoice"}
    page = client.post("/claims/C-PEND/approve", data=form)
    assert page.status_code == 200
    assert 'id="claim-status">approved' in page.text
    assert "line 1 approved" in page.text
    assert "C-PEND" not in client.get("/queue").text


def test_a_form_error_names_the_field_and_changes_nothing(
    signed_in: Callable[[Role], tuple[TestClient, str]],
) -> None:
    client, csrf = signed_in(Role.EXAMINER)
    form = {"csrf": csrf, "line": "1", "allowed": "nine", "reason": "x"}
    page = client.post("/claims/C-PEND/approve", data=form)
    assert page.status_code == 422
    assert "allowed: expected an amount in dollars like 95.00" in page.text
    assert "/claims/{claim_id}/approve#allowed" in page.text
    assert 'id="claim-status">pended' in client.get("/claims/C-PEND").text


def test_a_line_is_denied_and_a_paid_claim_voided_and_adjusted(
    signed_in: Callable[[Role], tuple[TestClient, str]],
) -> None:
    client, csrf = signed_in(Role.EXAMINER)
    deny = {"csrf": csrf, "line": "1", "carc": "50", "group": "CO", "reason": "not necessary"}
    assert 'id="claim-status">denied' in client.post("/claims/C-PEND/deny", data=deny).text
    adjust = {"csrf": csrf, "line": "1", "billed": "120.00", "reason": "corrected bill"}
    page = client.post("/claims/C-PAID/adjust", data=adjust)
    assert "Claim C-PAID-A1" in page.text
    assert "replaces C-PAID" in page.text
    void = {"csrf": csrf, "reason": "sent in error"}
    assert 'id="claim-status">voided' in client.post("/claims/C-PAID-A1/void", data=void).text


def test_a_form_posted_without_the_sessions_token_is_refused(app: FastAPI) -> None:
    client = TestClient(app)
    sign_in(client, LOGINS[Role.EXAMINER])
    form = {"csrf": "guessed", "line": "1", "allowed": "950.00", "reason": "x"}
    assert client.post("/claims/C-PEND/approve", data=form).status_code == 403


def test_the_member_page_shows_coverage_family_and_accumulators(
    signed_in: Callable[[Role], tuple[TestClient, str]],
) -> None:
    client, _ = signed_in(Role.EXAMINER)
    page = client.get("/members/E100-2").text
    assert "Riley Okafor" in page
    assert "Jordan" in page  # the family
    assert "oop_in" in page  # the copay counted towards the out-of-pocket maximum
    assert "30.00" in page


@given(st.integers(min_value=0, max_value=10**12))
def test_a_dollar_amount_as_shown_reads_back_to_the_same_cents(cents: int) -> None:
    assert _cents("allowed", dollars(cents)) == cents


@given(st.text(max_size=12))
def test_anything_typed_as_an_amount_is_cents_or_a_form_error(text: str) -> None:
    outcome: int | str
    try:
        outcome = _cents("allowed", text)
    except FormError as exc:
        outcome = exc.field
    assert outcome == "allowed" or (isinstance(outcome, int) and outcome >= 0)
