import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from asnclf.training.config import FeaturesConfig
from hypothesis import given, settings
from hypothesis import strategies as st

from asnclf.features.cues import cue_families
from asnclf.features.blocks import CueWordFeatures, NumberFeatures, build_features
from asnclf.text.tokens import tokenize

SENTENCES = [
    "ASN dilarang ikut kampanye pasangan calon.",
    "Bupati meminta ASN agar tidak memasang foto bersama calon.",
    "Sebanyak 489 ASN dilaporkan melanggar netralitas.",
    "Warga diimbau waspada banjir.",
    "Pilkada digelar 27 November 2024 sesuai UU Nomor 10 Tahun 2016.",
    "Harga beras Rp14.000 per kilogram.",
] * 3
Y = np.array([1, 1, 0, 0, 0, 0] * 3)


def names_present(transformer, sentence):
    fitted = transformer.fit([sentence])
    row = fitted.transform([sentence]).toarray()[0]
    return {name for name, value in zip(fitted.get_feature_names_out(), row) if value}


@pytest.mark.parametrize("transformer", [CueWordFeatures(weight=2.0, interactions=False), NumberFeatures(weight=0.5)])
def test_custom_transformers_survive_clone_and_set_params(transformer):
    copy = clone(transformer)
    assert copy.get_params() == transformer.get_params()
    copy.set_params(weight=3.0)
    assert copy.weight == 3.0 and transformer.weight != 3.0
    assert not hasattr(copy, "feature_names_")


def test_custom_transformers_work_in_grid_search():
    pipeline = Pipeline([("cues", CueWordFeatures()), ("clf", LogisticRegression())])
    search = GridSearchCV(pipeline, {"cues__weight": [0.5, 2.0], "cues__interactions": [True, False]}, cv=3)
    search.fit(SENTENCES, Y)
    assert set(search.best_params_) == {"cues__weight", "cues__interactions"}
    assert search.predict(["PNS dilarang ikut kampanye calon."])[0] == 1


def test_cue_features_see_ban_words_with_apparatus():
    found = names_present(CueWordFeatures(), "ASN dilarang ikut kampanye.")
    assert {"cue:prohibition_word", "cue:apparatus", "cue:prohibition_word&apparatus"} <= found
    assert "cue:prohibition_word&apparatus" not in names_present(CueWordFeatures(), "Warga dilarang membakar lahan.")


def test_number_features_tell_counts_from_dates_and_law_numbers():
    assert {"num:count", "num:counted_noun"} <= names_present(NumberFeatures(), "Sebanyak 489 ASN dilaporkan.")
    calendar = names_present(NumberFeatures(), "Pilkada digelar 27 November 2024 sesuai UU Nomor 10.")
    assert "num:only_calendar" in calendar and "num:count" not in calendar
    assert "num:percent" in names_present(NumberFeatures(), "Partisipasi mencapai 78,5 persen.")
    assert "num:money" in names_present(NumberFeatures(), "Harga naik menjadi Rp14.000.")


def test_number_features_tell_phones_times_and_thousands_apart():
    assert {"num:phone", "num:time"} <= names_present(NumberFeatures(), "Hubungi 0812-3456-789 sebelum pukul 09.00 WIB.")
    assert "num:year" not in names_present(NumberFeatures(), "Hubungi 0812-3456-789.")
    found = names_present(NumberFeatures(), "Naik 12% dari 1.234 kasus.")
    assert {"num:percent", "num:thousands", "num:counted_noun"} <= found
    assert "num:counted_noun" in names_present(NumberFeatures(), "Tiga orang ASN diperiksa.")
    assert names_present(NumberFeatures(), "Tidak ada angka di sini.") == set()


def test_tokens_lower_case_split_on_punctuation_and_write_digits_as_zero():
    assert tokenize("489 ASN, 1.234 PNS") == ["000", "asn", "0", "000", "pns"]
    assert tokenize("489 ASN, 1.234 PNS", digits_as_zero=False) == ["489", "asn", "1", "234", "pns"]
    assert tokenize("“Netral”—kata Bupati (P3K)…") == ["netral", "kata", "bupati", "p0k"]
    assert tokenize("") == [] and tokenize(" \n\t") == []


def test_feature_union_has_only_enabled_blocks_and_names_them():
    union = build_features(FeaturesConfig.model_validate({"char": {"enabled": True}, "numbers": {"enabled": False}}))
    assert [name for name, _ in union.transformer_list] == ["word", "char", "cues"]
    union.fit(SENTENCES)
    names = union.get_feature_names_out()
    assert any(n.startswith("word__") for n in names) and any(n.startswith("cues__cue:") for n in names)
    assert union.transform(SENTENCES).min() >= 0


@pytest.mark.parametrize(
    ("sentence", "present", "absent"),
    [
        ("ASN dilarang ikut kampanye.", {"prohibition_word", "apparatus", "election"}, {"permission"}),
        ("Kepala desa tidak dilarang hadir.", {"permission", "apparatus"}, {"prohibition_word"}),
        ("ASN boleh hadir, tapi tidak boleh berkampanye.", {"permission", "prohibition_word"}, set()),
        ("Camat tidak boleh hadir.", {"prohibition_word"}, {"permission"}),
        ("Bupati menegaskan agar ASN netral.", {"emphasis_call"}, {"emphasis_statement"}),
        ("Bupati menekankan pentingnya netralitas ASN.", {"emphasis_statement"}, {"emphasis_call"}),
        ("Ia meminta ASN untuk tidak ikut kampanye.", {"negated_request", "appeal_verb"}, set()),
        ("Tidak seorang pun pegawai dilaporkan.", {"zero_claim", "report"}, set()),
        ("Panwascam mengawasi vaksinasi.", {"election", "other_topic"}, set()),
        ("Pilkada berjalan dengan lancar.", {"outcome_hope"}, set()),
        ("Pasukan pengamanan bersiaga.", set(), {"apparatus", "election"}),
    ],
)
def test_cue_families_follow_the_guide(sentence, present, absent):
    found = cue_families(sentence.lower())
    assert present <= found and not (absent & found)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["asn", "tidak", "boleh", "dilarang", "agar", "menegaskan", "kepala", "desa",
                                 "vaksin", "x", "12"]), max_size=12),
       st.sampled_from([" ", "  ", ", ", " - ", "\n"]))
def test_cue_families_depend_on_words_not_on_spacing_or_punctuation(words, separator):
    assert cue_families(" ".join(words)) == cue_families(separator.join(words))
