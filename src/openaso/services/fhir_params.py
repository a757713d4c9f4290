"""FHIR search parameters: what each resource takes, parsed with errors naming the parameter.

A bad parameter is a `SearchError` naming the parameter and what was expected; the service
turns it into an OperationOutcome. Unknown parameters are refused rather than ignored, so a
client never mistakes an unfiltered answer for a filtered one.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from openaso.adapters.fhir.values import MEMBER_ID, from_fhir_id

DEFAULT_COUNT = 50
MAX_COUNT = 500
PREFIXES = ("ge", "gt", "le", "lt", "eq")
SUPPORTED = {
    "Patient": ("_id", "identifier"),
    "Coverage": ("_id", "patient", "beneficiary"),
    "ExplanationOfBenefit": ("_id", "patient", "service-date"),
}
PAGING = ("_count", "_page")
NOT_SUPPORTED = {
    "_lastUpdated": "this server does not record when a resource last changed",
}


class SearchError(ValueError):
    """A search parameter is wrong: `parameter` names it, the message says what was expected."""

    def __init__(self, parameter: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.parameter = parameter
        self.code = code


@dataclass(frozen=True, slots=True)
class Search:
    """A parsed search: the filters, the page size and where the page starts."""

    ids: tuple[str, ...] | None = None  # _id, as the ids on file
    members: tuple[str, ...] | None = None  # patient, beneficiary or identifier
    service_dates: tuple[tuple[str, date], ...] = ()
    count: int = DEFAULT_COUNT
    cursor: tuple[str, tuple[object, ...]] | None = None  # ("after" | "before", key)
    filters: tuple[tuple[str, str], ...] = field(default=())  # as given, for the page links


def parse_search(
    kind: str, params: Sequence[tuple[str, str]], key_types: Sequence[Callable[[str], object]]
) -> Search:
    """`params` as (name, value) pairs in query order; names may repeat (service-date)."""
    allowed = SUPPORTED[kind]
    ids: list[str] | None = None
    members: list[str] | None = None
    dates: list[tuple[str, date]] = []
    count, cursor, filters = DEFAULT_COUNT, None, []
    for name, value in params:
        if name in NOT_SUPPORTED:
            raise SearchError(
                name, f"{name} is not supported: {NOT_SUPPORTED[name]}", "not-supported"
            )
        if name not in allowed and name not in PAGING:
            expected = ", ".join((*allowed, *PAGING))
            message = f"{kind} cannot be searched by {name!r}; the parameters are {expected}"
            raise SearchError(name, message, "not-supported")
        if name == "_count":
            count = _count(value)
            continue
        if name == "_page":
            cursor = decode_cursor(value, key_types)
            continue
        filters.append((name, value))
        if name == "_id":
            ids = (ids or []) + [_id(name, v) for v in _values(name, value)]
        elif name in ("patient", "beneficiary"):
            members = (members or []) + [_patient(name, v) for v in _values(name, value)]
        elif name == "identifier":
            members = (members or []) + [_identifier(v) for v in _values(name, value)]
        else:
            dates.append(_date_bound(name, value))
    return Search(
        None if ids is None else tuple(ids),
        None if members is None else tuple(members),
        tuple(dates),
        count,
        cursor,
        tuple(filters),
    )


def _values(name: str, value: str) -> list[str]:
    """A comma-separated list means any of them (FHIR's OR)."""
    found = [v.strip() for v in value.split(",")]
    if not all(found):
        raise SearchError(name, f"{name} needs a value, got {value!r}")
    return found


def _count(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_COUNT:
        message = f"_count is how many matches a page holds: a whole number from 1 to {MAX_COUNT}"
        raise SearchError("_count", f"{message}, got {value!r}")
    return int(value)


def _id(name: str, value: str) -> str:
    try:
        return from_fhir_id(value)
    except ValueError as error:
        raise SearchError(name, f"{name}: {error}") from None


def _patient(name: str, value: str) -> str:
    """`Patient/ID` or `ID`."""
    kind, _, fhir_id = value.rpartition("/")
    if kind not in ("", "Patient"):
        raise SearchError(name, f"{name} refers to a Patient (Patient/ID or ID), got {value!r}")
    return _id(name, fhir_id)


def _identifier(value: str) -> str:
    """A member id, `system|value` with this server's member-id system, or `|value`."""
    system, bar, member_id = value.rpartition("|")
    if bar and system not in ("", MEMBER_ID):
        message = f"identifier takes member ids ({MEMBER_ID}|ID or ID), got {value!r}"
        raise SearchError("identifier", message)
    return member_id


def _date_bound(name: str, value: str) -> tuple[str, date]:
    prefix, text = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
    try:
        return prefix, date.fromisoformat(text)
    except ValueError:
        message = f"{name} is a date with an optional prefix (ge, gt, le, lt, eq) like ge2026-01-01"
        raise SearchError(name, f"{message}, got {value!r}") from None


def encode_cursor(direction: str, key: tuple[object, ...]) -> str:
    """An opaque page token: where the next (after) or previous (before) page starts."""
    text = json.dumps([direction[0], [str(k) for k in key]], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(
    token: str, key_types: Sequence[Callable[[str], object]]
) -> tuple[str, tuple[object, ...]]:
    message = "_page is a token from a next or previous link of an earlier page"
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        direction, parts = json.loads(raw)
        if direction not in ("a", "b") or len(parts) != len(key_types):
            raise ValueError(direction)
        key = tuple(convert(p) for convert, p in zip(key_types, parts, strict=True))
    except (ValueError, TypeError, binascii.Error):
        raise SearchError("_page", f"{message}, got {token!r}") from None
    return ("after" if direction == "a" else "before"), key
