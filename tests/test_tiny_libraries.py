"""Libraries of one to five short notes (benchmarks/tiny_libraries.py), with the committed models: plain
questions are answered and questions on topics the notes never touch are refused.

Why a test: every fitted set is a library of tens to thousands of passages, and a refit that looked
better on all of them once refused "When does the orca project start?" over the one note saying
so. The library-wide similarity scale of such a library is completed by bundled reference passages
(kb.store.reference); this holds the result. Margins: two answerable questions, one refusal.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.tiny_libraries import measure
from kb.fitted import default_weights


def test_tiny_libraries_answer_what_they_hold_and_refuse_what_they_do_not(tmp_path: Path) -> None:
    tally = measure(default_weights(), tmp_path)
    assert tally.answerable == 19 and tally.absent == 10
    assert tally.answered >= 17, tally.misses
    assert tally.refused >= 9, tally.misses
