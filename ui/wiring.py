"""Named updates: a handler returns ``{"chat": ..., "box": ""}`` and says which names it may update;
the conversion to what Gradio applies happens here, in one place.

Gradio matches a handler's return value to its output list by position. With a dozen outputs (the
labels of every control) a tuple one item out of line puts a label on the wrong control, silently.
Here each handler declares the components it updates (``@updates("chat", "box")``), the output list
is built from that declaration, and a name it did not declare is an error.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import gradio as gr

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=gr.blocks.Block)
Updates = dict[str, Any]  # component name -> its new value or ``gr.update(...)``


def updates(*names: str) -> Callable[[F], F]:
    """Declare the components a handler updates; it returns (or yields) a dict keyed by those names."""

    def mark(fn: F) -> F:
        fn.updates = names  # type: ignore[attr-defined]
        return fn

    return mark


class Components:
    """The app's components by name, and the wiring of handlers to events by those names."""

    def __init__(self) -> None:
        self.by_name: dict[str, gr.blocks.Block] = {}

    def add(self, name: str, component: C) -> C:
        if name in self.by_name:
            raise ValueError(f"two components are named {name!r}")
        self.by_name[name] = component
        return component

    def __getitem__(self, name: str) -> Any:  # Any: each component type has its own events
        return self.by_name[name]

    def on(self, event: Callable[..., Any], handler: Callable[..., Any], inputs: Sequence[str] = (),
           **options: Any) -> Any:
        """Wire ``handler`` to ``event`` (``box.submit``, or ``dependency.then``), inputs and outputs by name."""
        names: tuple[str, ...] = getattr(handler, "updates", ())
        return event(self._converted(handler, names), inputs=[self.by_name[n] for n in inputs],
                     outputs=[self.by_name[n] for n in names], **options)

    def _converted(self, handler: Callable[..., Any], names: tuple[str, ...]) -> Callable[..., Any]:
        """``handler`` returning what Gradio expects: a value per output, in order; unnamed ones skipped."""

        def in_order(result: Updates | None) -> Any:
            if not names:
                return None
            unknown = set(result or {}) - set(names)
            if unknown:
                raise KeyError(f"{getattr(handler, '__name__', handler)} updates {sorted(unknown)}, "
                               f"which it did not declare ({', '.join(names)})")
            values = [(result or {}).get(name, gr.skip()) for name in names]
            return values[0] if len(values) == 1 else values

        if inspect.isgeneratorfunction(handler):
            @functools.wraps(handler)  # keeps the signature Gradio reads (gr.Progress, gr.LikeData, ...)
            def streamed(*args: Any, **kwargs: Any) -> Any:
                for result in handler(*args, **kwargs):
                    yield in_order(result)

            return streamed

        @functools.wraps(handler)
        def called(*args: Any, **kwargs: Any) -> Any:
            return in_order(handler(*args, **kwargs))

        return called
