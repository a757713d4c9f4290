"""Words and amounts as documents print them: dollars from cents, labels, latin-1 text."""

import unicodedata

from openaso.core.money import Cents

STATUS = {"approved": "Processed", "denied": "Denied", "paid": "Paid"}
KIND = {"medical": "Medical", "dental": "Dental", "rx": "Prescription drugs"}

# Typography a name or a trace note may carry, spelled in latin-1 for the PDF core fonts.
_LATIN1 = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "−": "-",
        "…": "...",
        "•": "*",
        "→": "->",
        "≤": "<=",
        "≥": ">=",
        "\u00a0": " ",
        "Ł": "L",  # letters with no decomposition to a base letter
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Œ": "OE",
        "œ": "oe",
    }
)


def dollars(cents: Cents) -> str:
    """`123456` → `$1,234.56`; a negative amount keeps its sign in front."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{part:02d}"


def latin1(text: str) -> str:
    """Text the PDF core fonts can draw: typography mapped, accents kept where latin-1 has
    them, other letters reduced to their base letter, anything else as `?`."""
    text = text.translate(_LATIN1)
    if all(ord(c) < 256 for c in text):
        return text
    kept = []
    for c in text:
        if ord(c) < 256:
            kept.append(c)
            continue
        base = unicodedata.normalize("NFKD", c)[:1]
        kept.append(base if base and ord(base) < 256 else "?")
    return "".join(kept)
