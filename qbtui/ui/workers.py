"""The one policy for work in the background (`@background`, Textual workers underneath).

A command or a load that raises something unexpected must neither end an app left open for days
(Textual's default, `exit_on_error=True`) nor vanish without a word (`exit_on_error=False` alone):
the user is told what failed, the app goes on, and the traceback goes to Textual's log. Expected
failures (the server refused, the network dropped) are the caller's to catch and explain; this is
the net under them.
"""

from __future__ import annotations

import asyncio
import functools
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from textual import work
from textual.dom import DOMNode

from qbtui.ui.text import safe

T = TypeVar("T")
Method = Callable[..., Awaitable[T]]


def report_unexpected(node: DOMNode, what: str, error: BaseException) -> None:
    node.app.log.error(f"{what} failed:\n{''.join(traceback.format_exception(error))}")
    node.app.notify(
        safe(f"{what} failed unexpectedly: {type(error).__name__}: {error}")[:300]
        + "\nqbtui goes on. If it happens again, please report it.",
        title="Something went wrong",
        severity="error",
        timeout=15,
        markup=False,
    )


def background(*, group: str = "default", exclusive: bool = False) -> Callable[[Method[T]], Any]:
    """Run the decorated async method as a worker under the policy above."""

    def decorator(method: Method[T]) -> Any:
        what = method.__name__.strip("_").replace("_", " ")

        @functools.wraps(method)
        async def run(self: DOMNode, *args: Any, **kwargs: Any) -> T | None:
            return await guarded(self, what, method(self, *args, **kwargs))

        return work(run, group=group, exclusive=exclusive, exit_on_error=False)

    return decorator


async def guarded(node: DOMNode, what: str, job: Awaitable[T]) -> T | None:
    """`job` under the same policy, for work started with `run_worker` rather than `@background`."""
    try:
        return await job
    except asyncio.CancelledError:
        raise
    except Exception as error:
        report_unexpected(node, what, error)
        return None
