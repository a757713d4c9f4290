"""FHIR R4 resources (CARIN Blue Button profiles) built from records on file as JSON dicts."""
