"""Markdown pages of a project's API and their HTML, built by Sphinx with MyST.

``<location>/<name>/index.md`` lists the pages; each controller group has
``<location>/<name>/<group path>/<title>.md`` (the title is the first line of the
controller's docstring, or its class name). ``conf.py`` next to them makes the folder a
Sphinx project; the HTML goes to ``<location>/<name>/html/``. Labels are English by
default; ``lang="zh"`` gives the original's Chinese ones.
"""

import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .._handler_params import group_of
from .extract import Interface, Row, interface_of, model_rows, type_name
from .parser import RstDocParser

__all__ = ["LABELS", "build_html", "write_markdown"]

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "doc": "{name} API",
        "models": "Models",
        "interfaces": "Endpoints",
        "url": "URL",
        "method": "Method",
        "query": "Query parameters",
        "path": "Path parameters",
        "form": "Form parameters",
        "json": "JSON body",
        "json_desc": "Description",
        "model_type": "Model",
        "json_example": "Example",
        "response": "Response",
        "return_type": "Type",
        "return_desc": "Description",
        "return_example": "Example",
        "codes": "Response codes",
        "columns": "Name|Type|Required|Default|Description|Example",
        "model_columns": "Name|Type|Required|Nullable|Default|Description|Example",
        "code_columns": "Code|Description",
        "yes": "yes",
        "no": "no",
        "success": "success",
    },
    "zh": {
        "doc": "{name} API文档",
        "models": "模型定义",
        "interfaces": "接口定义",
        "url": "URL",
        "method": "方法",
        "query": "查询参数",
        "path": "路径参数",
        "form": "表单参数",
        "json": "json请求体",
        "json_desc": "请求描述",
        "model_type": "模型类型",
        "json_example": "请求示例",
        "response": "返回信息",
        "return_type": "返回类型",
        "return_desc": "返回描述",
        "return_example": "返回示例",
        "codes": "返回响应码",
        "columns": "参数名|类型|是否必须|默认值|描述|示例",
        "model_columns": "字段名|类型|是否必须|是否可为空值|默认值|描述|示例",
        "code_columns": "响应码|描述",
        "yes": "是",
        "no": "否",
        "success": "返回成功",
    },
}

CONF = '''"""Sphinx configuration of the {name} API pages (apistellar create document)."""

project = {name!r}
extensions = ["myst_parser"]
source_suffix = {{".md": "markdown"}}
root_doc = "index"
exclude_patterns = ["html", "conf.py"]
html_theme = "alabaster"
'''


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _table(columns: str, rows: Iterable[Iterable[Any]]) -> list[str]:
    count = columns.count("|") + 1
    lines = [columns, "|".join(["---"] * count)]
    lines += ["|".join(_cell(value) for value in row) for row in rows]
    return ["", *lines, ""]


def _examples(examples: list[str]) -> str:
    return "<br>".join(f"`{example}`" for example in examples)


def _fenced(text: str) -> list[str]:
    return ["", "```", text, "```", ""]


def _section(title: str, items: list[str], fenced: bool) -> list[str]:
    lines: list[str] = []
    for index, text in enumerate(items):
        if len(items) > 1:
            lines.append(f"- {title} {index + 1}")
        lines += _fenced(text) if fenced else ["", text, ""]
    return lines


def _parameters(title: str, rows: list[Row], labels: dict[str, str]) -> list[str]:
    if not rows:
        return []
    yes, no = labels["yes"], labels["no"]
    body = [
        (r.name, r.type, yes if r.required else no, r.default, r.desc, _examples(r.examples))
        for r in rows
    ]
    return [f"#### {title}", *_table(labels["columns"], body)]


def _interface(index: int, item: Interface, labels: dict[str, str]) -> list[str]:
    lines = [
        "",
        f"### {index}. {item.comment}",
        "",
        f"**{labels['url']}**: `{item.url}`",
        "",
        f"**{labels['method']}**: {item.method}",
        "",
    ]
    lines += _parameters(labels["query"], item.query, labels)
    lines += _parameters(labels["path"], item.path, labels)
    lines += _parameters(labels["form"], item.form, labels)
    if item.has_json:
        lines.append(f"#### {labels['json']}")
        if item.json_desc:
            lines += [f"##### {labels['json_desc']}", "", item.json_desc, ""]
        if item.json_model:
            lines += [f"##### {labels['model_type']}", "", f"`{item.json_model}`", ""]
        if item.json_examples:
            lines.append(f"##### {labels['json_example']}")
            for example in item.json_examples:
                lines += _fenced(example)
    if item.return_type or item.return_desc or item.return_examples:
        lines.append(f"#### {labels['response']}")
        if item.return_type:
            lines += [f"##### {labels['return_type']}", "", f"`{item.return_type}`", ""]
        if item.return_desc:
            lines.append(f"##### {labels['return_desc']}")
            lines += _section(labels["return_desc"], item.return_desc, fenced=False)
        if item.return_examples:
            lines.append(f"##### {labels['return_example']}")
            lines += _section(labels["return_example"], item.return_examples, fenced=True)
    if item.codes:
        codes = [
            (code, labels["success"] if text == "success" else text)
            for code, text in item.codes.items()
        ]
        lines += [f"#### {labels['codes']}", *_table(labels["code_columns"], codes)]
    return lines


def _page(title: str, items: list[Interface], parser: RstDocParser, lang: str) -> str:
    labels = LABELS[lang]
    lines = [f"# {labels['doc'].format(name=title)}", "", f"## {labels['models']}"]
    models: list[type] = []
    for item in items:
        models += [model for model in item.models if model not in models]
    yes, no = labels["yes"], labels["no"]
    for model in models:
        rows = [
            (
                r.name,
                r.type,
                yes if r.required else no,
                yes if r.nullable else no,
                r.default,
                r.desc,
                _examples(r.examples),
            )
            for r in model_rows(model, parser)
        ]
        lines += ["", f"### {type_name(model)}", *_table(labels["model_columns"], rows)]
    lines += ["", f"## {labels['interfaces']}"]
    for index, item in enumerate(items, 1):
        lines += _interface(index, item, labels)
    return "\n".join(lines).rstrip() + "\n"


def _safe_name(text: str) -> str:
    name = " ".join(re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "", text).split()).strip(" .")
    return name[:80] or "api"


def _group_title(routes: list[Any]) -> str:
    controller = routes[0].controller
    doc = (type(controller).__doc__ or "").strip().splitlines() if controller else []
    if doc:
        return doc[0].strip()
    return type(controller).__name__ if controller else "api"


def write_markdown(
    app: Any, name: str, target: Path, parser: RstDocParser, lang: str = "en"
) -> list[Path]:
    """Write ``index.md``, one page per controller group and ``conf.py``; the paths."""
    if lang not in LABELS:
        raise ValueError(f"Unknown language {lang!r}; known: {', '.join(sorted(LABELS))}.")
    groups: dict[tuple[str, ...], list[Any]] = {}
    for route in app.routes:
        if not route.websocket and route.documented:
            groups.setdefault(group_of(route), []).append(route)
    written: list[Path] = []
    links: list[tuple[str, str]] = []
    for group, routes in groups.items():
        title = _group_title(routes)
        relative = Path(*(_safe_name(part) for part in group)) / f"{_safe_name(title)}.md"
        items = [interface_of(route, parser) for route in routes]
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(title, items, parser, lang), encoding="utf-8")
        written.append(path)
        links.append((title, relative.as_posix()))
    heading = LABELS[lang]["doc"].format(name=name)
    index = [f"# {heading}", ""]
    index += [f"{number}. [{title}](<{link}>)" for number, (title, link) in enumerate(links, 1)]
    index += ["", "```{toctree}", ":hidden:", "", *(link for _, link in links), "```", ""]
    (target / "index.md").write_text("\n".join(index), encoding="utf-8")
    (target / "conf.py").write_text(CONF.format(name=name), encoding="utf-8")
    return [target / "index.md", *written, target / "conf.py"]


def build_html(target: Path) -> Path:
    """Build the HTML of ``target`` (written by :func:`write_markdown`) with Sphinx.

    Raises:
        RuntimeError: Sphinx or MyST is missing, or the build failed (its output attached).
    """
    try:
        import myst_parser  # noqa: F401
        import sphinx  # noqa: F401
    except ImportError as error:
        msg = (
            "HTML needs Sphinx and MyST: pip install 'apistellar-web[docs]' "
            "(the Markdown is written; --no-html skips this step)."
        )
        raise RuntimeError(msg) from error
    output = target / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(target), str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Sphinx failed:\n{result.stderr.strip()}")
    return output / "index.html"
