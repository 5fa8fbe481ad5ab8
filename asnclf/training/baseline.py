"""A keyword-rule baseline: the reference every model figure is shown beside.

It encodes the annotation guide's cue lists directly, with no learning, so it
is what a careful analyst's search query would find.
"""

from __future__ import annotations

import numpy as np

from asnclf.features.cues import cue_families
from asnclf.features.blocks import NumberFeatures


def keyword_scores(sentences: list[str]) -> np.ndarray:
    """0/1 scores (n, 3) in TAGS order from cue-word rules."""
    numbers = NumberFeatures().fit(sentences).transform(sentences).toarray()
    names = list(NumberFeatures().fit([]).get_feature_names_out())
    counted = numbers[:, names.index("num:counted_noun")] + numbers[:, names.index("num:percent")]
    scores = np.zeros((len(sentences), 3))
    for i, sentence in enumerate(sentences):
        found = cue_families(sentence.lower())
        context = bool(found & {"apparatus", "election"}) and "other_topic" not in found
        banned = bool(found & {"prohibition_word", "negated_request"}) or {"sanction", "violator"} <= found
        scores[i, 0] = context and banned and "permission" not in found
        scores[i, 1] = context and (
            "emphasis_call" in found
            or bool(found & {"appeal_verb", "negated_request"}) and bool(found & {"purpose_link", "duty", "negated_request"})
        )
        scores[i, 2] = context and (counted[i] > 0 or "zero_claim" in found or "count_word" in found)
    return scores
