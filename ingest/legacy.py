"""The old binary Office formats (.doc, .ppt, .xls) through LibreOffice, when it is installed.

No Python library reads them reliably; LibreOffice converts each to its Open XML twin, which the
readers in ``office`` then handle like any other .docx/.pptx/.xlsx (same sections and citations).
The conversion runs in a throw-away profile and folder, with a time limit, so a hung or crashing
LibreOffice costs one file and leaves nothing behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from kb.errors import IngestError

LEGACY_OFFICE = {".doc": ".docx", ".ppt": ".pptx", ".xls": ".xlsx"}
# The import filter is named, or LibreOffice falls back to reading a damaged file as plain text and
# "converts" its bytes into a document of mojibake.
_FILTERS = {".doc": "MS Word 97", ".ppt": "MS PowerPoint 97", ".xls": "MS Excel 97"}
_TIMEOUT_S = 180


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_legacy(path: Path, suffix: str) -> bytes:
    """The file converted to its Open XML format, as bytes."""
    soffice = soffice_path()
    if soffice is None:  # checked by the caller; kept so this function is safe alone
        raise IngestError(f"the old binary Office format '{suffix}' needs LibreOffice (soffice) to be read",
                          "needs_libreoffice", suffix=suffix, modern=LEGACY_OFFICE[suffix])
    target = LEGACY_OFFICE[suffix].lstrip(".")
    with tempfile.TemporaryDirectory(prefix="kb-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"in{suffix}"  # a plain name: LibreOffice misreads some characters in paths
        shutil.copyfile(path, source)
        cmd = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               f"--infilter={_FILTERS[suffix]}", "--convert-to", target, "--outdir", str(work / "out"), str(source)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise IngestError(f"LibreOffice did not convert the '{suffix}' file within {_TIMEOUT_S} s",
                              "libreoffice_timeout", suffix=suffix, seconds=_TIMEOUT_S) from exc
        except OSError as exc:
            raise IngestError(f"cannot run LibreOffice ({soffice}): {exc}", "libreoffice_failed", detail=exc) from exc
        out = work / "out" / f"in.{target}"
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            why = detail[-1][:160] if detail else f"exit code {done.returncode}"
            raise IngestError(f"LibreOffice could not convert this '{suffix}' file (damaged or "
                              f"password-protected?): {why}", "libreoffice_refused", suffix=suffix, detail=why)
        return out.read_bytes()
