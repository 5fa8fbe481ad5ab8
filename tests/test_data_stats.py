"""``asnclf data-stats``: counts by topic (desk) and batch, and phrasing that batches repeat."""

from __future__ import annotations

from asnclf.data.stats import corpus_statistics, phrase_overlap, statistics_text
from asnclf.data.labeled import LabeledSentence


def sentence(text: str, article: str, *labels: str) -> LabeledSentence:
    return LabeledSentence(sentence=text, labels=tuple(labels), article=article, id=f"{article}-x", source="authored")


def test_counts_by_topic_and_batch_and_a_phrase_shared_across_batches():
    rows = [
        sentence("Bupati meminta seluruh ASN menjaga netralitas selama pilkada.", "a1", "appeal"),
        sentence("Sebanyak 12 ASN dilaporkan ke Bawaslu pekan ini.", "a1", "statistic"),
        sentence("Warga diminta menjaga kebersihan selama pilkada berlangsung di desa.", "b1"),
        sentence("Harga cabai naik menjadi Rp40.000 per kilogram.", "b2"),
    ]
    topics = {"a1": "neutrality", "b1": "other:health", "b2": "other:economy-markets"}
    batches = {"a1": "n1", "b1": "g1", "b2": "g1"}
    stats = corpus_statistics(rows, topics=topics, batches=batches)
    assert stats["per_topic"]["neutrality"] == {"articles": 1, "sentences": 2, "prohibition": 0, "appeal": 1,
                                                "statistic": 1, "other": 0}
    assert stats["per_topic"]["other:health"]["other"] == 1
    assert stats["per_batch"]["g1"]["articles"] == 2
    text = statistics_text(stats)
    assert "| other:economy-markets | 1 | 1 | 0 | 0 | 0 | 1 |" in text
    assert "| g1 | 2 | 2 | 0 | 0 | 0 | 2 |" in text
    # No 5-word run is shared: "menjaga netralitas selama pilkada" is four words, and the g1 sentence differs.
    assert stats["phrase_overlap"]["per_batch"]["n1"]["shared_with_other_batches"] == 0


def test_overlap_counts_each_shared_five_gram_once_per_batch_and_folds_digits():
    rows = [
        sentence("Kepala dinas itu mengatakan sebanyak 12 orang hadir.", "a", "statistic"),
        sentence("Ia mengatakan sebanyak 17 orang hadir kemarin.", "b"),
        sentence("Lalu mengatakan sebanyak 19 orang hadir lagi.", "c"),
    ]
    overlap = phrase_overlap(rows, {"a": "x", "b": "y", "c": "y"})
    assert overlap["per_batch"]["x"]["shared_with_other_batches"] == 1
    assert overlap["common"] == [{"ngram": "mengatakan sebanyak 00 orang hadir", "batches": 2}]
