"""A guard: text built at run time never reaches a Textual widget as a markup string.

Textual reads a plain ``str`` given to ``Static``, ``Label``, ``Button``, ``Option``, ``update`` and the
like as content markup, so a name such as ``Bob [/x]`` crashed the app and ``[red]Zed[/red]`` turned red.
Every such text goes through :mod:`roleplay.tui.text` (``plain`` and friends) or ``Content``; this test
reads the TUI's source and fails on an f-string, ``%``, ``+`` or ``.format`` handed straight to one of
those sinks, so a new screen cannot bring the crash back. (Notifications are made literal by the app.)
"""

from __future__ import annotations

import ast
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "roleplay" / "tui"

#: Calls whose first argument Textual parses as markup when it is a ``str``.
SINKS = {"Static", "Label", "Button", "Option", "RadioButton", "ChoiceButton", "Checkbox", "Collapsible",
         "update", "Selection", "add_column", "Toast", "Tab", "TabPane"}
#: Attributes that Textual parses as markup when set to a ``str``.
ATTRIBUTES = {"label", "tooltip", "border_title", "border_subtitle"}


def _built_at_run_time(node: ast.AST) -> bool:
    """An f-string with placeholders, a ``%``/``+`` expression or a ``.format`` call."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    if isinstance(node, ast.IfExp):
        return _built_at_run_time(node.body) or _built_at_run_time(node.orelse)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"format", "join"} and isinstance(node.func.value, ast.Constant))


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def offences(source: str, filename: str) -> list[str]:
    """``file:line`` of each run-time string handed to a markup sink in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in SINKS:
            args = [*node.args[:1], *(k.value for k in node.keywords if k.arg in {"label", "prompt", "content"})]
            if any(_built_at_run_time(a) for a in args):
                found.append(f"{filename}:{node.lineno}")
        if isinstance(node, ast.Assign) and _built_at_run_time(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in ATTRIBUTES:
                    found.append(f"{filename}:{node.lineno}")
    return sorted(found, key=lambda hit: int(hit.rsplit(":", 1)[1]))


def test_the_guard_catches_what_it_is_for() -> None:
    """The guard flags the home screen's old crash and lets the literal helpers through."""
    bad = 'detail.update(f"Unfinished: {x}")\nbutton.label = f"Resume {t}"\nyield Static("a" + b)\n'
    assert offences(bad, "x.py") == ["x.py:1", "x.py:2", "x.py:3"]
    good = 'detail.update(plain(f"Unfinished: {x}"))\nbutton.label = plain(f"R {t}")\nyield Static("Hi")\n'
    assert offences(good, "x.py") == []


def test_no_run_time_text_reaches_a_markup_sink() -> None:
    """Every screen and widget passes run-time text through the literal helpers."""
    found = [hit for path in sorted(TUI.rglob("*.py"))
             for hit in offences(path.read_text(encoding="utf-8"), str(path.relative_to(TUI)))]
    assert found == []
