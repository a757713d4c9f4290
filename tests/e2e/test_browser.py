"""Journeys in a real browser (Debian's Chromium, headless). The examiner's: sign in, open the
pend queue, approve the pended claim, see it approved. The sponsor's: sign in, land on the
dashboard, read the chart, stop-loss status and fees, print it. The broker's: open an assigned
sponsor's reports and run a simulation, seeing its progress and then the distribution.
Screenshots are saved in the test's tmp dir."""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Page, expect, sync_playwright

from openaso.services.access import Role
from tests.e2e.site import ANALYSED, LOGINS, PASSWORD

CHROMIUM = Path("/usr/bin/chromium")  # never a downloaded browser: `make test` installs this
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_url(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, for as long as the test runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(live_url: str) -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(base_url=live_url, viewport={"width": 1366, "height": 860})
        yield context.new_page()
        browser.close()


def test_an_examiner_approves_a_pended_claim_in_the_browser(page: Page, tmp_path: Path) -> None:
    page.goto("/queue")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.screenshot(path=tmp_path / "1-sign-in.png")
    page.get_by_label("Login").fill(LOGINS[Role.EXAMINER])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Pend queue")).to_be_visible()
    expect(page.get_by_text("no fee-schedule amount for 72148")).to_be_visible()
    page.screenshot(path=tmp_path / "2-pend-queue.png", full_page=True)
    page.get_by_role("link", name="C-PEND").click()

    expect(page.locator("#claim-status")).to_have_text("pended")
    page.screenshot(path=tmp_path / "3-claim-pended.png", full_page=True)
    page.get_by_label("Allowed amount").fill("950.00")
    page.get_by_label("Reason").first.fill("priced from the invoice")
    page.get_by_role("button", name="Approve line 1").click()

    expect(page.locator("#claim-status")).to_have_text("approved")
    expect(page.get_by_role("status")).to_have_text("line 1 approved")
    page.screenshot(path=tmp_path / "4-claim-approved.png", full_page=True)
    page.get_by_role("link", name="Pend queue").click()
    expect(page.get_by_text("Nothing pended")).to_be_visible()
    page.emulate_media(media="print")
    page.goto("/members/E100")
    page.screenshot(path=tmp_path / "5-member-printed.png", full_page=True)
    assert len(list(tmp_path.glob("*.png"))) == 5


def test_a_sponsor_signs_in_and_reads_the_dashboard(page: Page, tmp_path: Path) -> None:
    page.goto("/")
    page.get_by_label("Login").fill(LOGINS[Role.SPONSOR])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Sponsor dashboard")).to_be_visible()
    assert page.url.endswith("/dashboard")
    chart = page.get_by_role("figure", name="Claims vs budget by month").locator("svg")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(12 * 2 + 2)  # paid and budget a month, legend
    expect(chart.locator("title", has_text="Apr · paid claims: $35.8k")).to_have_count(1)
    expect(chart.locator("title", has_text="Apr · expected claims budget: $5.0k")).to_have_count(1)
    specific = page.locator("#specific tbody tr")
    expect(specific).to_have_count(2)
    expect(specific.first).to_contain_text("over deductible")
    expect(specific.nth(1)).to_contain_text("50% notice")
    expect(page.get_by_role("progressbar", name="Aggregate attachment reached")).to_be_visible()
    expect(page.locator("#fees")).to_contain_text("INV-4")
    expect(page.locator("#plan-year")).to_contain_text("$27,168.00")
    assert "EMP-3" not in page.content()
    page.screenshot(path=tmp_path / "1-sponsor-dashboard.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=tmp_path / "2-sponsor-dashboard-printed.png", full_page=True)
    assert len(list(tmp_path.glob("*.png"))) == 2


def test_a_broker_runs_a_simulation_and_sees_its_progress_then_the_distribution(
    page: Page, app: FastAPI, tmp_path: Path
) -> None:
    page.goto("/analysis")
    page.get_by_label("Login").fill(LOGINS[Role.BROKER])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Analysis")).to_be_visible()
    page.get_by_role("link", name=ANALYSED).click()
    expect(page.get_by_role("heading", name="Lag triangle and IBNR")).to_be_visible()
    expect(page.locator("figure.chart svg")).to_be_visible()
    page.screenshot(path=tmp_path / "1-lag.png", full_page=True)
    page.get_by_role("link", name="Experience").click()
    expect(page.get_by_role("caption").filter(has_text="Experience by month")).to_be_visible()
    expect(page.locator(".withheld").first).to_be_visible()  # cells under ten members
    page.screenshot(path=tmp_path / "2-experience.png", full_page=True)

    page.get_by_role("link", name="Simulation").click()
    page.get_by_label("Simulated years (trials)").fill("20000")
    page.get_by_label("Option 1 name").fill("specific $50k")
    page.get_by_label("Option 1 specific deductible").fill("50000")
    page.get_by_label("Option 3 name").fill("no stop-loss")
    # hold the one simulation worker, so that the run is seen waiting, then running
    gate = threading.Event()
    jobs = app.state.simulations
    jobs.executor.submit(gate.wait, 30)
    page.get_by_role("button", name="Run simulation").click()

    expect(page.locator("#progress")).to_be_visible()
    expect(page.get_by_text("Waiting for a worker")).to_be_visible()
    page.screenshot(path=tmp_path / "3-progress.png", full_page=True)
    gate.set()
    expect(page.locator("#simulation-done")).to_be_visible(timeout=30_000)
    chart = page.locator("figure.chart svg")
    expect(chart).to_contain_text("Distribution of the employer's plan-year cost")
    expect(chart).to_contain_text("no stop-loss")
    expect(page.get_by_role("caption").filter(has_text="20,000 simulated years")).to_be_visible()
    page.screenshot(path=tmp_path / "4-distribution.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=tmp_path / "5-distribution-printed.png", full_page=True)
    assert len(list(tmp_path.glob("*.png"))) == 5
