"""The error tree drawn in ``accord.protocol.errors`` is the tree of its classes."""

from __future__ import annotations

import re

from accord.protocol import errors


def _drawn() -> list[tuple[int, str, str]]:
    """(depth, class name, code) of every line of the drawing below its root."""
    doc = errors.__doc__ or ""
    rows = []
    for line in doc.splitlines():
        found = re.match(r"^    ((?:│   |    )*)[├└]── (\w+)\s+(\w+)", line)
        if found:
            rows.append((len(found[1]) // 4, found[2], found[3]))
    return rows


def _actual(cls: type[errors.OAuthError], depth: int = 0) -> list[tuple[int, str, str]]:
    order = list(vars(errors).values())
    rows = []
    # The core's tree only: other layers may refine a core error (web.page.ExpiredForm).
    core = [sub for sub in cls.__subclasses__() if sub.__module__ == errors.__name__]
    for sub in sorted(core, key=order.index):
        rows.append((depth, sub.__name__, sub.code))
        rows += _actual(sub, depth + 1)
    return rows


def test_the_drawn_error_tree_is_the_class_tree() -> None:
    assert _drawn() == _actual(errors.OAuthError)
