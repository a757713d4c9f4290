"""The web app and API: `create_app(settings)` wires the database, sessions, pages and routes.
Nothing is built at import time."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from openaso.bootstrap import database
from openaso.config import Settings
from openaso.entrypoints.api import api_router
from openaso.entrypoints.api import fhir as fhir_routes
from openaso.entrypoints.web import analysis_pages, dashboard_page, errors, money_pages
from openaso.entrypoints.web.pages import Pages
from openaso.entrypoints.web.pages import router as pages_router
from openaso.entrypoints.web.security import LoginRateLimiter, PrincipalCache
from openaso.services.simulation_jobs import SimulationJobs

STATIC = Path(__file__).parent / "static"
SESSION_HOURS = 8
# Sync routes and database reads run on at most this many threads (anyio's default is 40).
# More only queue for the GIL: measured at 200 claim status lookups/s on PostgreSQL, p99 went
# from ~100 ms with 8 threads to 300-900 ms with 40 (docs/web.md, "Performance").
WORKER_THREADS = 8


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield


def create_app(settings: Settings) -> FastAPI:
    engine, new_uow = database(settings.database_url)
    app = FastAPI(
        title="OpenASO",
        version="0.1.0",
        summary="System of record for self-funded (ASO) employee benefit plans",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the Swagger page loads its script from a CDN; the schema is enough
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.new_uow = new_uow
    app.state.pages = Pages()
    app.state.login_limiter = LoginRateLimiter()
    app.state.principals = PrincipalCache()
    app.state.simulations = SimulationJobs(new_uow)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="openaso_session",
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=settings.environment != "development",
    )
    errors.install(app)
    app.include_router(api_router())
    app.include_router(fhir_routes.router)
    app.include_router(pages_router)
    app.include_router(money_pages.router)
    app.include_router(dashboard_page.router)
    app.include_router(analysis_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
