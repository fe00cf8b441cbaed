"""The one splitter that cuts an answer into the pieces the UI and the OpenAI API stream."""

from __future__ import annotations

import pytest

from web.streaming import stream_pieces


@pytest.mark.parametrize(("text", "pieces"), [
    ("德勤预测，到2025年只投入不到3%。[1]其余用于传统制作。[2]",
     ["德勤预测，到2025年只投入不到3%。[1]", "其余用于传统制作。[2]"]),
    ("The strike represented 160,000 performers [1]. It lasted 118 days.",
     ["The strike represented 160,000 performers [1]", ". It lasted 118 days."]),
    ("Version 3.5 shipped. Then 4.0 followed!", ["Version 3.5 shipped.", " Then 4.0 followed!"]),
    ("它是什么？ 一个模型。", ["它是什么？", " 一个模型。"]),
    ("No marker and no full stop", ["No marker and no full stop"]),
    ("", []),
])
def test_an_answer_is_cut_after_markers_and_sentence_ends(text: str, pieces: list[str]) -> None:
    assert stream_pieces(text) == pieces


@pytest.mark.parametrize("text", ["一句话。[1]\n\n- 列表 [2]\n- 另一项。", "Ends with a newline.\n", "[1][2] x. y", "a\n\nb."])
def test_the_pieces_join_to_the_whole_answer_and_none_is_empty(text: str) -> None:
    pieces = stream_pieces(text)
    assert pieces and "".join(pieces) == text and all(pieces)
