"""The rule for certificate codes: which random codes may be handed out."""

from __future__ import annotations

from collections.abc import Callable


def may_hand_out(code: str) -> bool:
    """A new code never begins with "-": on a command line it would read as an option."""
    return bool(code) and not code.startswith("-")


def new_code(draw: Callable[[], str]) -> str:
    """The first code drawn by `draw` that may be handed out (1 draw in 64 is redrawn)."""
    while True:
        code = draw()
        if may_hand_out(code):
            return code
