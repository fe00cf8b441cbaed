"""``KB_API_KEYS`` syntax: ``KEY`` or ``KEY:lib+lib``, keys separated by commas; mistakes are named
by the key's position, never by the key itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kb.errors import KBError
from web.keys import parse_api_keys

from .conftest import REPO


def test_keys_with_and_without_libraries() -> None:
    keys = parse_api_keys(" team-key ,research-key:research, audit:research+finance-2026,, ")
    assert [(k.secret, k.libraries) for k in keys] == [
        (b"team-key", None), (b"research-key", frozenset({"research"})),
        (b"audit", frozenset({"research", "finance-2026"}))]
    assert keys[0].sees("anything") and keys[2].sees("finance-2026") and not keys[1].sees("default")
    assert keys[1].matches(" research-key") and not keys[1].matches("research-key:research")


@pytest.mark.parametrize(("raw", "position"), [("ok, s3cret:Research", 2), ("s3cret:research+", 1),
                                               (":research", 1), ("a, b, s3cret:re search", 3)])
def test_a_malformed_key_is_named_by_position_not_by_its_secret(raw: str, position: int) -> None:
    with pytest.raises(KBError, match=f"key {position}") as bad:
        parse_api_keys(raw)
    assert "s3cret" not in str(bad.value) and "KB_API_KEYS" in str(bad.value)


def test_kb_serve_refuses_a_malformed_key_list_before_loading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "KB_API_KEYS": "s3cret:Research"}
    res = subprocess.run([sys.executable, "-m", "kbcli.main", "serve", "--port", "1"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "KB_API_KEYS" in res.stderr and "s3cret" not in res.stderr
    assert not (tmp_path / "data").exists()
