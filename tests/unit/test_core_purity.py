"""The core imports only the standard library and itself (DESIGN.md: a pure core)."""

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "openaso" / "core"


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_the_core_imports_only_the_standard_library_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"openaso"}
    offenders = [
        f"{path.relative_to(CORE.parent)}:{line}: imports {module}"
        for path in sorted(CORE.rglob("*.py"))
        for line, module in _imports(path)
        if module.split(".")[0] not in allowed
        or (module.startswith("openaso.") and not module.startswith("openaso.core"))
    ]
    assert offenders == []


def test_the_core_reads_no_clock_and_does_no_io() -> None:
    forbidden = ("date.today", "datetime.now", "time.time", "open(", "random.")
    offenders = [
        f"{path.name}: {word}"
        for path in sorted(CORE.rglob("*.py"))
        for word in forbidden
        if word in path.read_text()
    ]
    assert offenders == []
