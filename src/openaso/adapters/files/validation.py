"""Turn pydantic's errors into findings that name the file, the line and the key path."""

from pydantic import ValidationError

from openaso.adapters.files.yaml_source import Finding, Path_, YamlDocument


def findings_from(
    error: ValidationError,
    document: YamlDocument,
    base: Path_ = (),
    discriminator: str | None = None,
    unions: dict[str, str] | None = None,
) -> list[Finding]:
    """`unions` maps a key (last part of a path) whose value is one of several shapes to one
    message saying what is expected there, instead of one complaint per shape."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for item in error.errors():
        loc = _clean(item["loc"], discriminator)
        if discriminator and item["type"].startswith("union_tag_"):
            loc = (*loc, discriminator)
        message = _message(item["type"], item["msg"], item.get("ctx"))
        for depth, part in enumerate(loc):
            if unions and isinstance(part, str) and part in unions and _is_union_path(loc[:depth]):
                loc, message = loc[: depth + 1], unions[part]
                break
        finding = document.finding((*base, *loc), message)
        if (finding.key, finding.message) not in seen:
            seen.add((finding.key, finding.message))
            findings.append(finding)
    return findings


def _is_union_path(parent: Path_) -> bool:
    return parent == ("pricing",)


def _clean(loc: tuple[int | str, ...], discriminator: str | None) -> Path_:
    """Drop the union-member labels pydantic puts in locations (`function-after[...]`, tags)."""
    parts: list[str | int] = []
    for index, part in enumerate(loc):
        if isinstance(part, str) and (
            "[" in part
            or part in {"literal['fee_schedule']", "PercentOfFeeSchedule", "PercentOfBilled"}
            or (discriminator and index == 0 and part in {"medical", "dental", "rx", "std"})
        ):
            continue
        parts.append(part)
    return tuple(parts)


def _message(kind: str, text: str, ctx: dict[str, object] | None) -> str:
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key (see `openaso plan schema` for the keys a plan document takes)"
    if kind == "union_tag_not_found":
        return "required key is missing (medical, dental, rx or std)"
    if kind == "union_tag_invalid":
        return f"expected one of medical, dental, rx, std, got {ctx.get('tag') if ctx else '?'!r}"
    if text.startswith("Value error, "):
        text = text.removeprefix("Value error, ")
    return text[0].lower() + text[1:] if text else kind
