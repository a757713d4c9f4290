"""FHIR searchset Bundles and OperationOutcomes."""

from typing import Any


def searchset(
    base: str, kind: str, resources: list[dict[str, Any]], total: int, links: dict[str, str]
) -> dict[str, Any]:
    """A page of search matches; `links` maps relation (self, next, previous) to a URL."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": relation, "url": url} for relation, url in links.items()],
        "entry": [
            {
                "fullUrl": f"{base}/{kind}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in resources
        ],
    }


def operation_outcome(
    code: str, diagnostics: str, expression: str | None = None, severity: str = "error"
) -> dict[str, Any]:
    """One issue: `code` from the FHIR issue-type codes (invalid, not-supported, not-found,
    forbidden), what went wrong in words, and the parameter it is about."""
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression is not None:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}
