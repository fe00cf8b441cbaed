"""Named updates (``ui.wiring``): a handler's dict becomes Gradio's per-output values in one place."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator

import gradio as gr
import pytest

from ui.app import labels
from ui.wiring import Components, Updates, updates


def _components(*names: str) -> Components:
    c = Components()
    with gr.Blocks():
        for name in names:
            c.add(name, gr.Textbox())
    return c


def test_a_handler_updates_only_what_it_names_and_the_rest_is_skipped() -> None:
    c = _components("a", "b", "c")

    @updates("a", "b", "c")
    def handler(x: str) -> Updates:
        return {"c": x, "a": 1}

    out = c._converted(handler, handler.updates)("hi")  # type: ignore[attr-defined]
    assert out[0] == 1 and out[2] == "hi" and out[1] == gr.skip()


def test_a_name_the_handler_did_not_declare_is_an_error() -> None:
    c = _components("a", "b")

    @updates("a")
    def handler() -> Updates:
        return {"b": 2}

    with pytest.raises(KeyError, match="did not declare"):
        c._converted(handler, ("a",))()


def test_generators_stay_generators_and_gradio_still_sees_special_arguments() -> None:
    c = _components("a", "b")

    @updates("a", "b")
    def stream(x: str, progress: gr.Progress = gr.Progress(), data: gr.SelectData | None = None  # noqa: B008
               ) -> Iterator[Updates]:
        yield {"a": x}
        yield {"b": x + "!"}

    wrapped = c._converted(stream, stream.updates)  # type: ignore[attr-defined]
    assert inspect.isgeneratorfunction(wrapped)
    assert [v for v in wrapped("x")][1][1] == "x!"
    assert list(inspect.signature(wrapped).parameters) == ["x", "progress", "data"]
    assert "SelectData" in str(typing.get_type_hints(wrapped)["data"])


def test_the_labels_update_every_control_they_declare_once() -> None:
    for code in ("en", "zh"):
        assert set(labels(code)) == set(labels.updates)  # type: ignore[attr-defined]
    assert len(labels.updates) == len(set(labels.updates))  # type: ignore[attr-defined]
