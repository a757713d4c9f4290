"""Procedure-code sets as plan documents write them: single codes and inclusive ranges."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CodeRange:
    """`low`..`high` inclusive; a single code has low == high.

    Codes of one range have the same length and are compared character by character, which
    orders CPT (`99202`), CDT (`D2740`) and HCPCS (`J1100`) codes as their books do.
    """

    low: str
    high: str

    @classmethod
    def parse(cls, text: str) -> "CodeRange":
        """`"99381-99397"` or `"D1110"`; raises ValueError saying what was expected."""
        text = text.strip()
        low, sep, high = text.partition("-")
        low, high = low.strip(), (high.strip() if sep else low.strip())
        if not low or not high:
            raise ValueError(f"expected a code or a range like 99381-99397, got {text!r}")
        if len(low) != len(high):
            raise ValueError(f"range {text!r}: both ends must have the same length")
        if low > high:
            raise ValueError(f"range {text!r}: the low end is after the high end")
        return cls(low, high)

    def __contains__(self, code: object) -> bool:
        return (
            isinstance(code, str) and len(code) == len(self.low) and self.low <= code <= self.high
        )

    def overlaps(self, other: "CodeRange") -> bool:
        return len(self.low) == len(other.low) and self.low <= other.high and other.low <= self.high

    def covers(self, other: "CodeRange") -> bool:
        return len(self.low) == len(other.low) and self.low <= other.low and other.high <= self.high

    def __str__(self) -> str:
        return self.low if self.low == self.high else f"{self.low}-{self.high}"
