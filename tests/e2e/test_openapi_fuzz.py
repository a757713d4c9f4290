"""Schemathesis against the OpenAPI schema: generated requests to every operation, as TPA admin
(who may call every one), get answers the schema documents and never a server error (bounded
in examples). The analysis operations are called for the sponsor with claims enough for every
report, so that their generated inputs reach the reports."""

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from openaso.services.access import Role
from tests.e2e.site import ANALYSED, Site

EXAMPLES = 5  # per operation: the whole run stays within seconds


def test_every_operation_answers_as_its_schema_says(app: FastAPI, site: Site) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {site.tokens[Role.TPA_ADMIN]}"}
    analyst = headers
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"an operation the schema cannot describe: {result!r}"
        operations.append(result.ok())
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same cases every run: CI is reproducible
        )
        def answers_as_documented(case: Any) -> None:
            if "analysis" in case.operation.tags:
                if "sponsor_id" in (case.path_parameters or {}):
                    case.path_parameters["sponsor_id"] = ANALYSED
                # a report refuses a schema-valid input the claims cannot answer (a valuation
                # outside them, a tier too thin) with a 422 naming the field: documented
                case.call_and_validate(headers=analyst, excluded_checks=[positive_data_acceptance])
            else:
                case.call_and_validate(headers=headers)

        answers_as_documented()
