"""Documents for people, rendered from service data models (EOB as HTML and PDF)."""
