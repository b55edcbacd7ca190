"""The layers hold: imports point down only, and the formula engine knows nothing of the product.

Every import is counted, also one inside a function (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOUNDATION = (
    "jbjr_budget", "jbjr_budget.a1", "jbjr_budget.errors", "jbjr_budget.atomic_write", "jbjr_budget.process_pool",
)
LAYERS = {  # lower number = lower layer; a module may import its own layer and those below it
    "foundation": 0,
    "jbjr_budget.rules": 1,
    "jbjr_budget.monitoring": 2,
    "jbjr_budget.models": 3,
    "jbjr_budget.writers": 4,
    "udfs": 5,
    "jbjr_budget.cli": 6,
}
ENGINE = "jbjr_budget.formula_engine"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    files = [*ROOT.joinpath("jbjr_budget").rglob("*.py"), *ROOT.joinpath("udfs").rglob("*.py")]
    return {_module_name(path): path for path in files}


def _imports(path: Path, module: str) -> set[str]:
    """Project modules ``module`` imports, absolute and relative, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.rsplit(".", node.level - (path.name == "__init__.py"))[0]
                base = f"{package}.{base}".rstrip(".")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args:
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return {name for name in found if name.split(".")[0] in ("jbjr_budget", "udfs")}


def _layer(module: str) -> str | None:
    if module in FOUNDATION:
        return "foundation"
    if module == ENGINE or module.startswith(f"{ENGINE}."):
        return ENGINE
    return next((layer for layer in LAYERS if layer != "foundation"
                 and (module == layer or module.startswith(f"{layer}."))), None)


def _violations() -> list[str]:
    modules = _modules()
    found = []
    for module, path in sorted(modules.items()):
        own = _layer(module)
        for target in sorted(_imports(path, module)):
            if target not in modules:
                continue  # a name imported from a module, already checked through the module itself
            theirs = _layer(target)
            if own == ENGINE:
                allowed = theirs in (ENGINE, "foundation")
            elif theirs == ENGINE:
                allowed = own == "jbjr_budget.cli"
            else:
                allowed = theirs is not None and own is not None and LAYERS[theirs] <= LAYERS[own]
            if not allowed:
                found.append(f"{module} ({own}) imports {target} ({theirs})")
    return found


def test_imports_point_down_and_the_formula_engine_is_domain_free() -> None:
    assert _violations() == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("jbjr_budget.rules.money", "from jbjr_budget.writers.styles import EURO\n", "imports jbjr_budget.writers"),
        ("jbjr_budget.formula_engine.evaluator", "def f():\n    import udfs\n", "imports udfs"),
        ("jbjr_budget.formula_engine.evaluator", "import importlib\nimportlib.import_module('udfs')\n",
         "imports udfs"),
        ("jbjr_budget.formula_engine.evaluator", "from jbjr_budget.rules import parameters\n",
         "imports jbjr_budget.rules.parameters"),
        ("jbjr_budget.models.begroting", "from ..writers import tables\n", "imports jbjr_budget.writers.tables"),
    ],
)
def test_the_check_catches_an_upward_import(
    module: str, source: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    original = path.read_text(encoding="utf-8")
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: (
        original + source if self == path else Path.read_bytes(self).decode(encoding or "utf-8")))
    assert any(expected in line for line in _violations())


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def _sizes() -> list[str]:
    """Modules over the line limit and functions over theirs, as readable findings."""
    found = []
    for module, path in sorted(_modules().items()):
        source = path.read_text(encoding="utf-8")
        if (lines := len(source.splitlines())) > MAX_MODULE_LINES:
            found.append(f"{module}: {lines} regels")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{module}.{node.name}: {length} regels")
    return found


def test_modules_and_functions_stay_short() -> None:
    assert _sizes() == []
