"""OpenASO: the system of record for self-funded (ASO) employee benefit plans."""

__version__ = "0.1.0"
