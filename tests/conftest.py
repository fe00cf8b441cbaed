"""Shared fixtures. Every test gets its own data folder; nothing is written into the repo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
PDF_SAMPLE = REPO / "tests" / "data" / "pdf"  # vendored: 15 PDFs from many writers


def full_pdf_corpus() -> Path | None:
    """The whole PDF collection beside the repo (or where KB_TEST_PDF_CORPUS points), if present."""
    import os

    path = Path(os.environ.get("KB_TEST_PDF_CORPUS") or SHARED / "corpus" / "pypdf-sample-files")
    return path if (path / "files.json").exists() else None


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point KB_DATA_DIR at a temporary folder and drop any KB_* the developer has set."""
    import os

    for key in list(os.environ):
        if key.startswith("KB_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", debug=True)


@pytest.fixture
def kb(settings: Settings) -> KnowledgeBase:
    return KnowledgeBase(settings)


SMALL_SEEDS = ("001_d087a9b4bca2ef81.txt", "002_fffc4b9c5afbf66f.txt", "004_1fae406766ceb434.txt")


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """Three of the seeds in a writable folder named ``seeds`` (three keep the tests fast)."""
    dest = tmp_path / "seeds"
    dest.mkdir()
    for name in SMALL_SEEDS:
        shutil.copy(SEEDS / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def seeded_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One knowledge base over seeds/, ingested once per test session and only read after that."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("seeded") / "data", debug=True)
    report = ingest_paths(KnowledgeBase(settings), [SEEDS])
    assert report.count("added") == 5, report.to_dict()
    return settings


@pytest.fixture(scope="session")
def seeded_kb(seeded_settings: Settings) -> KnowledgeBase:
    return KnowledgeBase(seeded_settings)


def outside_address() -> str | None:
    """This machine's non-loopback address, to call a server bound to 0.0.0.0 as another machine would."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def ctrl_c_as_in_a_terminal() -> None:
    """``preexec_fn`` for a child that is sent Ctrl-C: SIGINT at its default and unblocked, as a
    terminal starts a command. A child inherits an ignored SIGINT and the blocked-signal mask of the
    thread that forks it, and earlier tests in this process (servers, browsers) may leave either."""
    import signal

    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)
