"""The acknowledgments of an 837: the 999 (005010X231A1) of a functional group, the TA1 of an ISA.

Each comes in its own ISA..IEA envelope with the separators `*` (element), `~` (segment, then a
line break), `:` (component) and `^` (repetition); the caller gives the control numbers (ISA13,
GS06) and the two parties. A 999 has one AK2 per transaction set: IK3 per segment in error (with
CTX*CLM01 inside a claim), IK4 per element in error, IK5 A or R, then AK9 A, E, P or R.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from openaso.adapters.x12.claims_837 import FunctionalGroup837, Interchange837, SetError

GUIDE_999 = "005010X231A1"
SEPARATORS = "*~:^"
Usage = Literal["P", "T"]


@dataclass(frozen=True, slots=True)
class Party:
    """One side of an interchange: ISA05/ISA07 qualifier and ISA06/ISA08 (also GS02/GS03) ID."""

    qualifier: str
    id: str


def write_999(
    group: FunctionalGroup837, *, ours: Party, theirs: Party, control: int, group_control: int,
    when: datetime, usage: Usage = "P",
) -> str:  # fmt: skip
    """The 999 acknowledging `group`, from `ours` to `theirs`, in interchange `control`."""
    body = [f"AK1*{group.application}*{group.control}*{group.version}"]
    accepted = 0
    for transaction in group.sets:
        body.append(f"AK2*{transaction.transaction}*{transaction.control}*{transaction.guide}")
        body += _segment_errors(transaction.errors)
        codes = [error.code for error in transaction.errors if error.position is None]
        if any(error.position is not None for error in transaction.errors):
            codes.append("5")  # one or more segments in error
        accepted += transaction.accepted
        body.append("*".join(["IK5", "A" if transaction.accepted else "R", *codes[:5]]))
    received = len(group.sets)
    status = group_status(group)
    included = group.declared if group.declared is not None else received
    group_codes = [error.code for error in group.errors][:5]
    body.append("*".join(["AK9", status, str(included), str(received), str(accepted),
                          *group_codes]))  # fmt: skip
    segments = [f"ST*999*0001*{GUIDE_999}", *body]
    segments.append(f"SE*{len(segments) + 1}*0001")
    # The group goes back between the applications the 837's GS named (GS03 → GS02).
    sender, receiver = group.receiver or ours.id, group.sender or theirs.id
    gs = f"GS*FA*{sender}*{receiver}*{when:%Y%m%d}*{when:%H%M}*{group_control}*X*{GUIDE_999}"
    return _envelope([gs, *segments, f"GE*1*{group_control}"], ours, theirs, control, when,
                     usage, groups=1)  # fmt: skip


def group_status(group: FunctionalGroup837) -> str:
    """AK901: A, E (accepted, but the group's envelope has errors), P (some sets) or R."""
    accepted = sum(transaction.accepted for transaction in group.sets)
    if not accepted:
        return "R"
    if accepted < len(group.sets):
        return "P"
    return "E" if group.errors else "A"


def write_ta1(
    interchange: Interchange837, *, ours: Party, theirs: Party, control: int, when: datetime,
    usage: Usage = "P",
) -> str:  # fmt: skip
    """The TA1 for `interchange`: A (000), or E/R with the note code of its first error."""
    code = interchange.errors[0].code if interchange.errors else "000"
    ta1 = (
        f"TA1*{interchange.control}*{interchange.date}*{interchange.time}*"
        f"{interchange.acknowledgment}*{code}"
    )
    return _envelope([ta1], ours, theirs, control, when, usage, groups=0)


def _segment_errors(errors: tuple[SetError, ...]) -> list[str]:
    """IK3 (+ CTX) and IK4: an IK3 per segment error, and one per segment with bad elements."""
    out: list[str] = []
    by_position: dict[int, list[SetError]] = {}
    for error in errors:
        if error.position is not None:
            by_position.setdefault(error.position, []).append(error)
    for position, found in sorted(by_position.items()):
        elements = [error for error in found if error.element is not None]
        for error in [error for error in found if error.element is None]:
            out += _ik3(error, position, error.code)
        if elements:
            out += _ik3(elements[0], position, "8")  # segment has data element errors
            for error in elements:
                where = f"{error.element}" + (f":{error.component}" if error.component else "")
                value = _clean(error.value)
                out.append(f"IK4*{where}**{error.code}" + (f"*{value}" if value else ""))
    return out


def _ik3(error: SetError, position: int, code: str) -> list[str]:
    tag = _clean(error.segment)[:3]
    tag = tag if len(tag) >= 2 else (tag + "??")[:2]  # IK301 is 2 or 3 characters
    out = [f"IK3*{tag}*{position}*{error.loop if error.loop[:1].isdigit() else ''}*{code}"]
    if error.claim:
        out.append(f"CTX*CLM01:{_clean(error.claim)[:35]}")
    return out


def _clean(text: str) -> str:
    """A copy of bad data without the 999's separators (IK404 is at most 99 characters)."""
    return "".join(char for char in text if char not in SEPARATORS and char.isprintable())[:99]


def _envelope(
    inner: list[str], ours: Party, theirs: Party, control: int, when: datetime, usage: Usage,
    groups: int,
) -> str:  # fmt: skip
    blank = " " * 10
    isa = (
        f"ISA*00*{blank}*00*{blank}*{ours.qualifier:<2.2}*{ours.id:<15.15}*"
        f"{theirs.qualifier:<2.2}*{theirs.id:<15.15}*{when:%y%m%d}*{when:%H%M}*^*00501*"
        f"{control:09d}*0*{usage}*:"
    )
    segments = [isa, *inner, f"IEA*{groups}*{control:09d}"]
    return "".join(segment + "~\n" for segment in segments)
