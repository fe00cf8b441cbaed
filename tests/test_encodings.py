"""Text files decode by evidence: BOMs, UTF-8, GB18030/GBK, and a clear failure otherwise."""

import codecs
import os

import pytest

from ingest.loaders import decode_text
from kb import IngestError

from .conftest import SEEDS


def _seed_text() -> str:
    text = (SEEDS / "003_c3fa23c84cad2f17.txt").read_text(encoding="utf-8")
    # Keep only characters GBK can encode, so the round trip is exact.
    return text.encode("gbk", errors="ignore").decode("gbk")


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("gbk"),
        lambda t: t.encode("gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "gbk", "gb18030"],
)
def test_seed_decodes_identically(encode) -> None:  # type: ignore[no-untyped-def]
    text = _seed_text()
    assert decode_text(encode(text)) == text


def test_short_gbk_text_decodes() -> None:
    assert decode_text("电影产业的兴起。".encode("gbk")) == "电影产业的兴起。"


def test_binary_is_refused_with_reason() -> None:
    with pytest.raises(IngestError, match="binary"):
        decode_text(os.urandom(4096) + b"\x00" * 10)


def test_undetectable_bytes_fail_clearly() -> None:
    data = bytes(range(0x80, 0x100)) * 64  # high bytes only, no NUL: no codec reads this as text
    with pytest.raises(IngestError, match="encoding"):
        decode_text(data)
