"""Fixtures for the web and API tests: the small site, its app, and clients signed in by role."""

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openaso.entrypoints.web.app import create_app
from openaso.services.access import Role
from tests.e2e.site import LOGINS, PASSWORD, Site, build_site


@pytest.fixture
def site(database_url: str) -> Site:
    return build_site(database_url)


@pytest.fixture
def app(site: Site) -> FastAPI:
    return create_app(site.settings)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> str:
    """Sign in through the login form; returns the session's CSRF token."""
    csrf = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"login": login, "password": password, "csrf": csrf})
    assert answer.status_code == 200, answer.text
    return csrf_of(client.get("/funding").text)


@pytest.fixture
def signed_in(app: FastAPI) -> Callable[[Role], tuple[TestClient, str]]:
    def make(role: Role) -> tuple[TestClient, str]:
        client = TestClient(app)
        return client, sign_in(client, LOGINS[role])

    return make


@pytest.fixture
def bearer(app: FastAPI, site: Site) -> Callable[[Role], TestClient]:
    def make(role: Role) -> TestClient:
        return TestClient(app, headers={"Authorization": f"Bearer {site.tokens[role]}"})

    return make
