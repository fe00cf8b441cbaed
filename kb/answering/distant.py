"""The distant-library gate: the library holds nothing near the question at all.

The topic model weighs many signals against each other, and a sentence that shares one word with
a question on another subject can tip it ("麦银汉鱼整体是什么颜色的？" answered from an English
abstract through "整体"). Two signals that do not depend on words say more plainly that the subject
is missing: the passage model gives the best passage next to no chance, and the second encoder
finds no passage of the library nearer the question than the library's passages usually are to
any question (``use_lib_z``, standardised against the library's own similarities, so it means the
same in a one-article library and a big one). Both low: refuse, whatever the words say.

How low is a staircase of up to two steps per language pair (``Box``: a passage floor and a z
floor): a passage next to no chance whatever the second encoder found, or a merely unlikely one
that the second encoder finds no nearer than usual. One box alone had to choose between the two
and lost questions either way (docs/quality.md, ninth stop).
"""

from __future__ import annotations

from .boxes import Box

__all__ = ["ANY_Z", "Box", "DISTANT_PASSAGE_FLOORS", "DISTANT_Z_FLOORS", "distant"]

# The choices of ``distant``'s thresholds the fit weighs (``evals.gates.fit_distant_gate``). A z
# floor of ``ANY_Z`` leaves the passage model alone to decide: for Chinese questions answered in
# Chinese, a best passage under 0.07 refused no answerable question of any set, whatever the
# second encoder found (docs/quality.md, ninth stop).
ANY_Z = 99.0
DISTANT_PASSAGE_FLOORS = (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
DISTANT_Z_FLOORS = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 7.0, 8.0, ANY_Z)


def distant(features: dict[str, float], passage_floor: float, z_floor: float) -> bool:
    """The best passage's probability is under ``passage_floor`` and the second encoder's nearest
    passage stands less than ``z_floor`` standard deviations above the library's usual similarity.
    Both fitted per language pair, as the passage model and the thresholds are
    (``kb.fitted.Weights.distant_gate``); a floor of 0 = off."""
    return passage_floor > 0 and features["best_passage"] < passage_floor and features["use_lib_z"] < z_floor
