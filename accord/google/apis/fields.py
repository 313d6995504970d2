"""Partial responses: Google's ``fields`` selector (``nextPageToken,files(id,name)``).

A selection is a comma-separated list of paths (``a/b``), each optionally
followed by a parenthesised sub-selection; ``*`` selects every field.
Selected fields keep the resource's own order.
"""

from __future__ import annotations

from typing import Any, Union

from accord.google.apis.errors import invalid_fields

Tree = dict[str, Union["Tree", None]]  # None: the whole value
MAX_DEPTH = 16
_NAME = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_*.@$-")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        self._skip_space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def name(self) -> str:
        self._skip_space()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in _NAME:
            self.pos += 1
        if start == self.pos:
            raise invalid_fields(self.text)
        return self.text[start : self.pos]

    def selection(self, depth: int = 0) -> Tree:
        if depth > MAX_DEPTH:
            raise invalid_fields(self.text)
        tree: Tree = {}
        while True:
            path = [self.name()]
            while self.peek() == "/":
                self.pos += 1
                path.append(self.name())
            sub: Tree | None = None
            if self.peek() == "(":
                self.pos += 1
                sub = self.selection(depth + 1)
                if self.peek() != ")":
                    raise invalid_fields(self.text)
                self.pos += 1
            _merge(tree, path, sub)
            if self.peek() != ",":
                return tree
            self.pos += 1


def _merge(tree: Tree, path: list[str], sub: Tree | None) -> None:
    for name in path[:-1]:
        if name in tree and tree[name] is None:
            return  # the whole field is selected already
        child = tree.setdefault(name, {})
        assert child is not None
        tree = child
    last = path[-1]
    if last in tree:
        current = tree[last]
        if current is None:
            return
        if sub is None:
            tree[last] = None
            return
        for key, value in sub.items():
            _merge(current, [key], value)
        return
    tree[last] = sub


def parse(text: str) -> Tree:
    parser = _Parser(text)
    tree = parser.selection()
    if parser.peek() != "":
        raise invalid_fields(text)
    return tree


def select(value: Any, tree: Tree) -> Any:
    if isinstance(value, list):
        return [select(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in tree:
            sub = tree[key]
        elif "*" in tree:
            sub = tree["*"]
        else:
            continue
        out[key] = item if sub is None else select(item, sub)
    return out
