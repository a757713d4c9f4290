"""YAML with positions: every value remembers its line, so errors say `file:line: key: message`."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem in an input file, at a key path; printed as `origin:line: key: message`."""

    origin: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line else self.origin
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


def key_path(path: Path_) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class YamlDocument:
    """A parsed YAML document and the line of every key path in it."""

    def __init__(self, origin: str, data: Any, lines: dict[Path_, int]) -> None:
        self.origin = origin
        self.data = data
        self._lines = lines

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that exists."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), None)

    def finding(self, path: Path_, message: str) -> Finding:
        return Finding(self.origin, self.line(path), key_path(path), message)


class YamlError(Exception):
    """The file cannot be read as YAML at all."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


def read_yaml(path: Path) -> YamlDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(Finding(str(path), None, "", f"cannot read the file: {exc}")) from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, origin: str) -> YamlDocument:
    loader = yaml.SafeLoader(text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlError(Finding(origin, None, "", "the file is empty"))
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(Finding(origin, line, "", f"not valid YAML: {exc.problem}")) from None
    except ValueError as exc:  # a scalar that looks like a date but is none (2026-02-30)
        if node is None:
            raise
        raise YamlError(_bad_scalar(node, origin, exc)) from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _walk(node, (), lines)
    return YamlDocument(origin, data, lines)


def _bad_scalar(root: yaml.Node, origin: str, error: ValueError) -> Finding:
    """Find the scalar whose construction failed, to say where it is."""
    constructor = yaml.SafeLoader("")
    for path, node in _scalars(root, ()):
        try:
            constructor.construct_object(node, deep=True)
        except ValueError as exc:
            return Finding(
                origin,
                node.start_mark.line + 1,
                key_path(path),
                f"{node.value!r} is not a valid value: {exc}",
            )
    return Finding(origin, None, "", f"not valid YAML: {error}")


def _scalars(node: yaml.Node, path: Path_) -> list[tuple[Path_, yaml.ScalarNode]]:
    if isinstance(node, yaml.ScalarNode):
        return [(path, node)]
    found: list[tuple[Path_, yaml.ScalarNode]] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            found += _scalars(value_node, (*path, key_node.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += _scalars(item, (*path, index))
    return found


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)
