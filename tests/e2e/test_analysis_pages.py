"""The /analysis pages as the browser gets them: the picker lists the sponsors one may analyse,
each report shows its chart and tables (withheld cells as a dash), a bad input shows the form
again naming the field, and a simulation page follows its run without JavaScript too."""

import re
import threading
import time
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from openaso.services.access import Role
from openaso.services.users import add_user
from tests.e2e.conftest import sign_in
from tests.e2e.site import ANALYSED, PASSWORD, Site
from tests.integration.books import AT

Signed = Callable[[Role], tuple[TestClient, str]]


def test_the_picker_lists_the_brokers_sponsors_and_each_report_shows_a_chart(
    signed_in: Signed,
) -> None:
    client, _ = signed_in(Role.BROKER)
    picker = client.get("/analysis").text
    assert 'href="/analysis/acme/lag"' in picker
    assert f'href="/analysis/{ANALYSED}/lag"' in picker
    for tab, title in (
        ("lag", "Lag triangle (paid, incremental)"),
        ("experience", "Experience by service category"),
        ("rates", "Working rates (PEPM)"),
        ("compare", "ASO against fully insured (plan year)"),
    ):
        page = client.get(f"/analysis/{ANALYSED}/{tab}")
        assert page.status_code == 200, tab
        assert "<svg" in page.text, tab
        assert f"<caption>{title}</caption>" in page.text, tab
    experience = client.get(f"/analysis/{ANALYSED}/experience").text
    assert 'class="withheld"' in experience  # the one surgery, and its complement
    assert 'href="/analysis"' in experience  # the nav link


def test_a_bad_input_shows_the_form_again_naming_the_field(signed_in: Signed) -> None:
    client, _ = signed_in(Role.BROKER)
    page = client.get(f"/analysis/{ANALYSED}/lag", params={"valuation": "March"})
    assert page.status_code == 422
    assert "valuation: expected a month like 2026-03, got &#39;March&#39;" in page.text
    assert 'name="valuation" id="f-valuation" value="March"' in page.text


def test_a_sponsor_sees_its_reports_without_the_simulation_tab(app: FastAPI, site: Site) -> None:
    add_user(site.new_uow(), "initech-hr", Role.SPONSOR, PASSWORD, [ANALYSED], AT, "test")
    client = TestClient(app)
    sign_in(client, "initech-hr")
    assert re.findall(r'href="/analysis/(\w+)/lag"', client.get("/analysis").text) == [ANALYSED]
    page = client.get(f"/analysis/{ANALYSED}/experience").text
    assert "Experience by month" in page
    assert "/simulations" not in page
    assert client.get(f"/analysis/{ANALYSED}/simulations").status_code == 403
    assert client.get("/analysis/acme/lag").status_code == 403


def test_an_examiner_has_no_analysis(signed_in: Signed) -> None:
    client, _ = signed_in(Role.EXAMINER)
    assert 'href="/analysis"' not in client.get("/queue").text
    assert client.get("/analysis").status_code == 403


def test_the_simulation_form_runs_in_the_background_and_its_page_follows_the_run(
    app: FastAPI, signed_in: Signed
) -> None:
    client, csrf = signed_in(Role.BROKER)
    form = client.get(f"/analysis/{ANALYSED}/simulations").text
    assert 'name="option_1_specific_deductible" value="100000"' in form
    gate = threading.Event()
    app.state.simulations.executor.submit(gate.wait, 30)
    fields = {"csrf": csrf, "years": "2000", "seed": "3", "option_1_name": "specific 50k"}
    fields["option_1_specific_deductible"] = "50000"
    started = client.post(f"/analysis/{ANALYSED}/simulations", data=fields, follow_redirects=False)
    assert started.status_code == 303
    job_page = started.headers["location"]
    waiting = client.get(job_page).text
    assert '<progress id="progress" max="2000" value="0">' in waiting
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in waiting
    gate.set()
    deadline = time.monotonic() + 30
    while "simulation-done" not in (done := client.get(job_page).text):
        assert time.monotonic() < deadline, "the simulation did not finish"
        time.sleep(0.05)
    assert "Distribution of the employer" in done
    assert "specific 50k" in done
    assert "http-equiv" not in done


def test_a_bad_simulation_field_shows_the_form_again(signed_in: Signed) -> None:
    client, csrf = signed_in(Role.BROKER)
    fields = {"csrf": csrf, "years": "999999", "option_1_name": "x"}
    page = client.post(f"/analysis/{ANALYSED}/simulations", data=fields)
    assert page.status_code == 422
    assert "years: expected 1 to 50,000 years, got 999999" in page.text
    assert 'name="years" id="f-years" value="999999"' in page.text
    fields = {"csrf": csrf, "option_2_specific_deductible": "lots"}
    page = client.post(f"/analysis/{ANALYSED}/simulations", data=fields)
    assert "option_2_specific_deductible: expected an amount in dollars" in page.text
