"""The docstring grammar of handlers and models (reStructuredText field lists).

* the text before the first field is the comment (title);
* ``:param name: description`` and ``:type name: type`` (``form``/``query`` move a model
  parameter out of the JSON body);
* ``:ex name:`` followed by examples in single or triple backticks (several ``:ex`` of one
  name add up);
* ``:return: text`` -- a description, or examples when it starts with a backtick;
* ``:rtype: type`` and ``:raises Name: text`` (Sphinx's) -- the return type where the
  annotation does not give it, and the errors an endpoint answers with.

A one-line docstring is a title too (the original lost it), and a docstring need not
start with a newline.
"""

import inspect
import re
from dataclasses import dataclass, field

__all__ = ["Doc", "RstDocParser"]

_FIELD = re.compile(
    r"^:(param|type|ex|return|returns|rtype|raises|raise)(?:\s+([^:]+?))?\s*:\s?(.*)$"
)
_EXAMPLE = re.compile(r"```(?:[\w+-]*\n)?(.*?)```|`([^`]+)`", re.DOTALL)


@dataclass
class Doc:
    """What a docstring says."""

    comment: str | None = None
    #: The comment as written: paragraphs separated by blank lines, lines unwrapped.
    text: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    returns: list[str] = field(default_factory=list)
    return_examples: list[str] = field(default_factory=list)
    #: ``:rtype: int`` -- the return type, where the annotation does not say it
    rtype: str | None = None
    #: ``:raises ValueError: when ...`` -- exception name to description
    raises: dict[str, str] = field(default_factory=dict)


def examples_in(text: str) -> list[str]:
    """The back-quoted examples of a field's text."""
    return [(block if block else inline).strip() for block, inline in _EXAMPLE.findall(text)]


class RstDocParser:
    """Parse docstrings; subclass it and pass ``-p module:Class`` for another grammar."""

    def parse(self, docstring: str | None) -> Doc:
        """The :class:`Doc` of ``docstring`` (an empty one for ``None``)."""
        doc = Doc()
        if not docstring:
            return doc
        comment: list[str] = []
        fields: list[tuple[str, str, list[str]]] = []
        for line in inspect.cleandoc(docstring).splitlines():
            match = _FIELD.match(line.strip())
            if match:
                fields.append((match[1], (match[2] or "").strip(), [match[3]]))
            elif fields:
                fields[-1][2].append(line)
            else:
                comment.append(line.strip())
        doc.comment = " ".join(part for part in comment if part) or None
        paragraphs = "\n".join(comment).split("\n\n")
        doc.text = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip()) or None
        for kind, name, lines in fields:
            text = "\n".join(lines).strip()
            if kind == "param":
                doc.params[name] = " ".join(text.split())
            elif kind == "type":
                doc.types[name] = text
            elif kind == "ex":
                doc.examples.setdefault(name, []).extend(examples_in(text))
            elif kind == "rtype":
                doc.rtype = text or None
            elif kind in ("raises", "raise"):
                doc.raises[name] = " ".join(text.split())
            elif text.startswith("`"):
                doc.return_examples.extend(examples_in(text))
            elif text:
                doc.returns.append(" ".join(text.split()))
        return doc
