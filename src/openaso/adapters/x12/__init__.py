"""X12 5010 files: the shared segment tokenizer and one reader per transaction (834, ...)."""
