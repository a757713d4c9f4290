"""The REST API, /api/v1."""

from fastapi import APIRouter

from openaso.entrypoints.api import analysis, claims, funding, members, payments, sponsor_reports
from openaso.entrypoints.api.schemas import ERRORS


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", responses=ERRORS)
    for module in (members, claims, funding, payments, sponsor_reports, analysis):
        router.include_router(module.router)
    return router
