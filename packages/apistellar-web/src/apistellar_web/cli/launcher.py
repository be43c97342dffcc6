"""Reading a project's launcher (``web_app.py``, ``solo_app.py``) without running it.

The original's template wrote ``app_name = "erp"`` and ``Application(app_name, ...)`` in
``web_app.py``: a copy of a project in a folder of another name is still the project
its launcher names. Tools that must not run the launcher (``show_routes()``, which a
launcher may itself call, and ``apistellar solo``) read the names from its source.
"""

import ast
from pathlib import Path

__all__ = ["launcher_arguments", "project_arguments"]

#: The launchers read, in this order.
LAUNCHERS = ("web_app.py", "solo_app.py")


def project_arguments(folder: str | Path) -> dict[str, str]:
    """``app_name`` and ``package`` of the project in ``folder``, as its launcher names them.

    Read from the ``Application(...)`` call of ``web_app.py``, else the
    ``SoloManager(...)`` call of ``solo_app.py``, without running either file; empty when
    neither names them (the folder's name is then the project's name).
    """
    for launcher in LAUNCHERS:
        found = launcher_arguments(Path(folder) / launcher)
        if found:
            return found
    return {}


def launcher_arguments(launcher: Path) -> dict[str, str]:
    """``app_name`` and ``package`` of the ``Application(...)`` (or ``SoloManager(...)``)
    call in ``launcher``, read from its source without running it: string literals, or
    module-level names bound to one. Empty when the file is missing or names neither."""
    try:
        tree = ast.parse(launcher.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    names: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant):
            if isinstance(statement.value.value, str):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        names[target.id] = statement.value.value

    def text(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return names.get(node.id) if isinstance(node, ast.Name) else None

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if called not in ("Application", "SoloManager"):
            continue
        found: dict[str, str] = {}
        first = node.args[0] if node.args else None
        for keyword in node.keywords:
            if keyword.arg == "app_name":
                first = keyword.value
            elif keyword.arg == "package" and (package := text(keyword.value)):
                found["package"] = package
        if first is not None and (app_name := text(first)):
            found["app_name"] = app_name
        return found
    return {}
