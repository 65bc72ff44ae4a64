"""The folders of qbtui/ are layers and imports point down only (README, "Layout of the code"):

    cli  >  ui  >  settings  >  model  >  api  >  util          sim  >  util

Settings sit above the model because they check what the user wrote against its vocabulary (column
names, status filters, the filter language). Textual and Rich are imported only in ui and cli; the
simulator speaks HTTP by itself and shares nothing with the client but util. Checked on the source
(imports anywhere in a module, also inside functions), so a lazy import cannot slip through.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "qbtui"
ORDER = ["util", "api", "model", "settings", "ui", "cli"]
#: What each layer may import from qbtui, beyond itself.
ALLOWED = {layer: set(ORDER[: ORDER.index(layer)]) for layer in ORDER}
ALLOWED["sim"] = {"util"}
ALLOWED["cli"] |= {"sim"}  # --demo starts the simulator
#: Top-level modules of the package itself (the entry point and the version).
TOP = {"__init__": {"cli"}, "__main__": {"cli"}}
UI_LIBRARIES = {"textual", "rich", "textual_serve"}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        found.append((dotted, path))
    return found


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            if node.module == "qbtui":  # from qbtui import format -> qbtui.format (not __version__)
                names += [f"qbtui.{alias.name}" for alias in node.names if not alias.name.startswith("__")]
    return names


def test_every_module_is_in_a_layer() -> None:
    layers = set(ORDER) | {"sim"}
    strays = [
        m for m, _ in modules() if layer_of(m) not in layers and m.split(".")[-1] not in TOP and m != "qbtui"
    ]
    assert not strays, f"modules outside the layers (put them in a layer's folder): {strays}"


@pytest.mark.parametrize(("module", "path"), modules(), ids=[m for m, _ in modules()])
def test_imports_point_down(module: str, path: Path) -> None:
    own = layer_of(module)
    allowed = TOP.get(module.split(".")[-1], set()) if own in TOP or module == "qbtui" else ALLOWED[own]
    wrong = []
    for name in imports(path):
        top = name.split(".")[0]
        if top in UI_LIBRARIES and own not in ("ui", "cli"):
            wrong.append(f"{name} (Textual and Rich only in ui and cli)")
        elif top == "qbtui" and name != "qbtui":
            target = layer_of(name)
            if target != own and target not in allowed:
                wrong.append(f"{name} ({own or 'qbtui'} may import {sorted(allowed) or 'nothing else'})")
    assert not wrong, f"{module} imports against the layers: {wrong}"


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    """The parser finds imports inside functions too (a lazy import is still a dependency)."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from qbtui.ui.app import QbtuiApp\n    import textual.widgets\n")
    assert imports(sample) == ["qbtui.ui.app", "textual.widgets"]
