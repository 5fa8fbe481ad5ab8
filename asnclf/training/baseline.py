"""A keyword-rule baseline: the reference every model figure is shown beside.

It encodes the annotation guide's cue lists directly, with no learning, so it
is what a careful analyst's search query would find.
"""

from __future__ import annotations

import numpy as np

from asnclf.features.cues import MATCHER, family_bit
from asnclf.features.number_kinds import NUMBER_FEATURES, number_kinds
from asnclf.text.tokens import TokenBatch


def keyword_scores(sentences: list[str]) -> np.ndarray:
    """0/1 scores (n, 3) in TAGS order from cue-word rules."""
    batch = TokenBatch(list(sentences))  # one tokenisation for the cue families and the number kinds
    kinds = number_kinds(batch)
    counted = kinds[:, NUMBER_FEATURES.index("counted_noun")] | kinds[:, NUMBER_FEATURES.index("percent")]
    bits = MATCHER.family_bits(batch)

    def has(*families: str) -> np.ndarray:
        """Whether any of ``families`` is found, per sentence."""
        return (bits & sum(family_bit(family) for family in families)) != 0

    context = has("apparatus", "election") & ~has("other_topic")
    banned = has("prohibition_word", "negated_request") | (has("sanction") & has("violator"))
    appeal = has("emphasis_call") | (has("appeal_verb", "negated_request") & has("purpose_link", "duty", "negated_request"))
    statistic = (counted > 0) | has("zero_claim", "count_word")
    return np.column_stack([context & banned & ~has("permission"), context & appeal, context & statistic]).astype(float)
