"""What a screen asks the workbench for, as a message: the screen posts a `Request`
(nested in its class, `PositionsScreen.Load`), it bubbles up to the app, whose part for
that screen does the service call and hands the answer to `reply`. So screens do not
call back into the app (no `cast("WorkbenchApp", self.app)`), and a test can see what
a screen asks for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.message import Message

T = TypeVar("T")


class Request(Message, Generic[T]):
    """A request whose answer (of type T) goes to `reply`, on the screen's thread."""

    def __init__(self, reply: Callable[[T], None]) -> None:
        super().__init__()
        self.reply = reply
