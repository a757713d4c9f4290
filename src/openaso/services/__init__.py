"""Use cases: one function and one unit of work each."""
