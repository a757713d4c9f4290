"""Claims written as YAML or JSON (the shapes of FORMAT.md's scenario files), for intake."""

from pathlib import Path

from pydantic import BaseModel, ValidationError

from openaso.adapters.files.edge_types import STRICT
from openaso.adapters.files.scenario_schema import ClaimDoc, DisabilityDoc, FillDoc
from openaso.adapters.files.validation import findings_from
from openaso.adapters.files.yaml_source import Finding, YamlError, read_yaml
from openaso.core.claims import Claim, DisabilityClaim, Fill, ServiceLine

Received = Claim | Fill | DisabilityClaim


class ClaimsFileDoc(BaseModel):
    model_config = STRICT

    claims: list[ClaimDoc] = []
    pharmacy_claims: list[FillDoc] = []
    disability_claims: list[DisabilityDoc] = []


def read_claims_file(path: Path) -> tuple[list[Received], list[Finding]]:
    """Every claim of the file, or every problem with its line (a bad file gives no claims)."""
    try:
        document = read_yaml(path)  # JSON is YAML
    except YamlError as exc:
        return [], [exc.finding]
    try:
        doc = ClaimsFileDoc.model_validate(document.data)
    except ValidationError as exc:
        return [], findings_from(exc, document)
    return to_claims(doc.claims, doc.pharmacy_claims, doc.disability_claims), []


def to_claims(
    claims: list[ClaimDoc], fills: list[FillDoc], disability: list[DisabilityDoc]
) -> list[Received]:
    """Medical and dental claims first, then fills, then disability claims, each in file order."""
    received: list[Received] = [
        Claim(
            c.id,
            c.member,
            c.received,
            c.network,
            c.provider,
            tuple(
                ServiceLine(
                    n,
                    line.code,
                    line.date,
                    line.billed,
                    tuple(line.modifiers),
                    line.units,
                    line.repriced,
                )
                for n, line in enumerate(c.lines, start=1)
            ),
            c.coverage,
        )
        for c in claims
    ]
    received += [
        Fill(
            f.id,
            f.member,
            f.ndc,
            f.fill_date,
            f.days_supply,
            f.quantity,
            f.ingredient_cost,
            f.dispensing_fee,
        )
        for f in fills
    ]
    received += [
        DisabilityClaim(d.id, d.member, d.disability_start, d.disability_end, d.weekly_earnings)
        for d in disability
    ]
    return received
