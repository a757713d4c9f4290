"""The adjudication engine: a claim in, explained line decisions and accumulator postings out."""

from openaso.core.adjudication.engine import Adjudicator

__all__ = ["Adjudicator"]
