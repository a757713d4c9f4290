"""Schemathesis against the OpenAPI schema: generated requests to every operation, as TPA admin
(who may call every one), get answers the schema documents and never a server error (bounded
in examples)."""

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok

from openaso.services.access import Role
from tests.e2e.site import Site

EXAMPLES = 5  # per operation: the whole run stays within seconds


def test_every_operation_answers_as_its_schema_says(app: FastAPI, site: Site) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {site.tokens[Role.TPA_ADMIN]}"}
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
            case.call_and_validate(headers=headers)

        answers_as_documented()
