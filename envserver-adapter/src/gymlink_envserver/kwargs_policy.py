"""Which keyword arguments a client may pass to ``gymnasium.make``: the server's policy on client kwargs.

The server never renders for a client: a window (``render_mode="human"``) on a headless host makes GLFW abort the
whole process, taking every other client with it. Only an unset ``render_mode`` or ``"rgb_array"`` (which renders
nothing until ``render()`` is called, and the server never calls it) is accepted.
"""

from __future__ import annotations

from typing import Any

from gymlink_envserver.errors import InvalidArgument

ALLOWED_RENDER_MODES = ("rgb_array",)
"""``render_mode`` values a client may ask for, besides none."""


def check_render_mode(env_id: str, kwargs: dict[str, Any]) -> None:
    """Refuses every ``render_mode`` but unset/None and ``"rgb_array"``.

    Raises:
        InvalidArgument: Naming the env id and the refused value.
    """
    mode = kwargs.get("render_mode")
    if mode is None or (isinstance(mode, str) and mode in ALLOWED_RENDER_MODES):
        return
    raise InvalidArgument(
        f"render_mode for '{env_id}' is {echo(mode)}, expected none or 'rgb_array': the server never renders "
        "for a client")


def echo(value: Any, limit: int = 100) -> str:
    """``repr(value)`` cut to about ``limit`` characters, for echoing client input in a message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
