"""The article-context stage: what it computes, that an article's topic decides an ambiguous sentence,
and that every scoring route gives the same tags for the same article."""

from __future__ import annotations

import json

import numpy as np
import pytest

from asnclf.model.context import ContextStage, article_numbers, context_features, feature_names
from asnclf.labels import TAGS

# Neutrality articles and flood reports share one sentence word for word: only the article can tell
# whether "meminta seluruh pegawai bersiaga" is an appeal about neutrality (here it is, by design) or
# about a flood (untagged).
AMBIGUOUS = "Bupati {place} meminta seluruh pegawai bersiaga penuh pekan ini."
NEUTRALITY: list[tuple[str, list[str]]] = [
    ("Netralitas ASN {place} Jelang Pilkada", []),
    ("ASN dilarang ikut kampanye pasangan calon di {place}.", ["prohibition"]),
    ("Bawaslu {place} mencatat {n} ASN dilaporkan melanggar netralitas.", ["statistic"]),
    ("Camat dan lurah diimbau tetap netral selama pilkada di {place}.", ["appeal"]),
    (AMBIGUOUS, ["appeal"]),
    ("Apel pagi digelar di halaman kantor bupati {place}.", []),
]
FLOOD: list[tuple[str, list[str]]] = [
    ("Banjir Rendam Permukiman Warga {place}", []),
    ("Sungai di {place} meluap sejak Minggu malam setelah hujan deras.", []),
    ("Sebanyak {n} rumah warga terendam air setinggi lutut.", []),
    (AMBIGUOUS, []),
    ("Petugas membagikan makanan siap saji di posko pengungsian {place}.", []),
]
PLACES = ["Banyuasin", "Kendari", "Sleman", "Palu", "Garut", "Ambon", "Sinjai", "Nabire"]


def _article(templates, place: str, n: int) -> tuple[str, list[tuple[str, list[str]]]]:
    rows = [(template.format(place=place, n=n), labels) for template, labels in templates]
    return rows[0][0] + "\n\n" + " ".join(text for text, _ in rows[1:]) + "\n", rows


def build_context_model(directory):
    """Fit and save a tiny model with a context stage learned on out-of-fold scores of the articles above."""
    from asnclf.model.artifact import save_model
    from asnclf.training.config import config_from_mapping
    from asnclf.training.evaluate import fit_with_thresholds
    from asnclf.model.tagger import Tagger

    sentences, labels, groups = [], [], []
    for k, place in enumerate(PLACES):
        for kind, templates in (("n", NEUTRALITY), ("f", FLOOD)):
            for text, tags in _article(templates, place, 3 + 5 * k)[1]:
                sentences.append(text)
                labels.append([int(tag in tags) for tag in TAGS])
                groups.append(f"{kind}{k}")
    config = config_from_mapping({"seed": 5, "model": {"C": 10.0}, "evaluation": {"inner_folds": 4}}, where="test")
    model = fit_with_thresholds(config, sentences, np.array(labels), groups)
    tagger = Tagger(model.pipeline, TAGS, model.thresholds, context=model.context)
    return save_model(tagger, directory, config={}, metrics={}, data_fingerprint="context", card="tiny context model\n")


@pytest.fixture(scope="module")
def context_model(tmp_path_factory):
    from asnclf.model.artifact import load_model

    directory = build_context_model(tmp_path_factory.mktemp("context") / "model")
    return directory, load_model(directory)


def test_features_pool_the_topic_over_each_article_and_a_lone_sentence_is_its_own_article():
    first = np.array([[0.9, 0.8], [0.2, 0.1], [0.6, 0.7]])  # one tag, then the topic
    features = context_features(first, article_numbers([2, 1]))
    names = feature_names(1)
    assert features.shape == (3, len(names))
    topic = np.log(first[:, 1] / (1 - first[:, 1]))
    mean_of_first_article = (topic[0] + topic[1]) / 2
    assert features[:2, names.index("article_topic_mean")].tolist() == pytest.approx([mean_of_first_article] * 2)
    assert features[:2, names.index("article_topic_max")].tolist() == pytest.approx([topic[0]] * 2)
    assert features[2, names.index("article_topic_mean")] == pytest.approx(topic[2])
    # The act weighted by the article's topic: a high tag score counts little in an off-topic article.
    weight = 1 / (1 + np.exp(-mean_of_first_article))
    assert features[0, names.index("tag0_score_x_article_topic")] == pytest.approx(np.log(9) * weight)
    # Article numbers need not be contiguous or sorted: only equality counts.
    shuffled = context_features(first[[2, 0, 1]], np.array([7, 3, 3]))
    assert np.allclose(shuffled[[1, 2, 0]], features)


def test_features_see_the_neighbouring_sentences_the_articles_highest_score_and_the_position():
    # Two articles, the first of three sentences, given interleaved: rows of one article keep their order.
    first = np.array([[0.5, 0.5], [0.9, 0.5], [0.2, 0.5], [0.1, 0.5], [0.7, 0.5]])
    article_of = np.array([0, 0, 1, 0, 1])
    features = context_features(first, article_of)
    names = feature_names(1)
    logit = np.log(first[:, 0] / (1 - first[:, 0]))
    column = {name: features[:, names.index(name)] for name in names}
    none = -12.0  # no sentence before or after: a score of (almost) 0
    assert column["tag0_previous_score"].tolist() == pytest.approx([none, logit[0], none, logit[1], logit[2]])
    assert column["tag0_next_score"].tolist() == pytest.approx([logit[1], logit[3], logit[4], none, none])
    assert column["tag0_article_max"].tolist() == pytest.approx([logit[1]] * 2 + [logit[4], logit[1], logit[4]])
    assert column["first_sentence"].tolist() == [1.0, 0.0, 1.0, 0.0, 0.0]
    assert column["relative_position"].tolist() == pytest.approx([0.0, 0.5, 0.0, 1.0, 1.0])
    assert column["log_article_length"].tolist() == pytest.approx(np.log([3, 3, 2, 3, 2]))
    # A lone sentence is a one-sentence article: no neighbours, first, its own maximum.
    alone = context_features(first[:1], np.array([0]))
    assert alone[0, names.index("tag0_previous_score")] == none and alone[0, names.index("first_sentence")] == 1.0
    assert context_features(first[:0], np.array([], dtype=int)).shape == (0, len(names))


@pytest.mark.parametrize("learner", ["logistic_regression", "mlp"])
def test_a_fitted_stage_round_trips_through_json_and_refuses_another_format(learner):
    from asnclf.training.context_fit import fit_context_stage

    rng = np.random.default_rng(0)
    first = rng.uniform(size=(60, 3))
    y = (first[:, :2] + rng.normal(scale=0.2, size=(60, 2)) > 0.5).astype(int)
    stage = fit_context_stage(first, y, np.arange(60) // 4, learner=learner, C=1.0, hidden=4, seed=1)
    again = ContextStage.from_json(json.loads(json.dumps(stage.to_json())))
    assert np.array_equal(again.scores(first, np.arange(60) // 4), stage.scores(first, np.arange(60) // 4))
    assert len(stage.layers) == (2 if learner == "mlp" else 1)
    assert stage.scores(first, np.arange(60) // 4).shape == (60, 2)
    with pytest.raises(ValueError, match="context stage format 'other/1'"):
        ContextStage.from_json({**stage.to_json(), "format": "other/1"})
    width = len(feature_names(2))
    with pytest.raises(ValueError, match=f"does not take {width} inputs"):
        ContextStage(np.zeros(width), np.ones(width), [(np.zeros((3, 2)), np.zeros(2))])


def test_the_article_decides_an_ambiguous_appeal(context_model):
    _, tagger = context_model
    neutrality, _ = _article(NEUTRALITY, "Sigi", 40)
    flood, _ = _article(FLOOD, "Sigi", 40)
    sentence = AMBIGUOUS.format(place="Sigi")
    in_neutrality = {s["text"]: s["labels"] for s in tagger.tag_article(neutrality)}
    in_flood = {s["text"]: s["labels"] for s in tagger.tag_article(flood)}
    assert "appeal" in in_neutrality[sentence]
    assert in_flood[sentence] == []
    # The first stage alone scores the sentence the same in both: the difference is the article's.
    first = tagger._scores([sentence, sentence])
    assert np.array_equal(first[0], first[1])


def test_predict_with_article_ids_equals_tag_article(context_model):
    _, tagger = context_model
    neutrality, _ = _article(NEUTRALITY, "Sigi", 40)
    flood, _ = _article(FLOOD, "Poso", 12)
    tagged = tagger.tag_articles([neutrality, flood])
    sentences = [s["text"] for article in tagged for s in article]
    ids = [k for k, article in enumerate(tagged) for _ in article]
    assert tagger.predict(sentences, articles=ids) == [s["labels"] for article in tagged for s in article]
    from asnclf.errors import InputError

    with pytest.raises(InputError, match="articles has 1 ids but there are 2 sentences"):
        tagger.predict(sentences[:2], articles=["a"])


def test_every_scoring_route_gives_the_same_tags_for_the_same_article(context_model, tmp_path):
    import datasets

    from asnclf.cli.main import main

    directory, tagger = context_model
    texts = [_article(NEUTRALITY, "Sigi", 40)[0], _article(FLOOD, "Poso", 12)[0], _article(FLOOD, "Sigi", 7)[0]]
    expected = [[(s["text"], s["labels"]) for s in tagger.tag_article(text)] for text in texts]
    assert any(labels for article in expected for _, labels in article)

    def pairs(sentences):
        return [(s["text"], s["labels"]) for s in sentences]

    assert [pairs(a) for a in tagger.tag_articles(texts)] == expected
    assert [pairs(r["sentences"]) for r in tagger.score_articles(texts, batch_size=2)] == expected
    scored = tagger.score_dataset(datasets.Dataset.from_dict({"text": texts}), batch_size=2)
    by_article = [[(row["text"], row["labels"].split("|") if row["labels"] else [])
                   for row in scored.to_list() if row["id"] == str(k)] for k in range(len(texts))]
    assert by_article == expected
    import pandas as pd

    from asnclf.batch.engines import score_frame

    frame = score_frame(pd.DataFrame({"id": [f"a{k}" for k in range(len(texts))], "text": texts}), model=directory)
    assert [[(row.text, row.labels.split("|") if row.labels else []) for row in frame.itertuples() if row.id == f"a{k}"]
            for k in range(len(texts))] == expected
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{k}", "text": t}) + "\n" for k, t in enumerate(texts)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["score", str(source), "--model", str(directory), "--output", str(out), "--quiet"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [pairs(r["sentences"]) for r in records] == expected


def test_context_needs_general_news_among_the_training_articles():
    from asnclf.training.config import config_from_mapping
    from asnclf.errors import DataError
    from asnclf.training.evaluate import first_stage_targets

    config = config_from_mapping({}, where="test")
    y = np.array([[1, 0, 0], [0, 0, 0], [0, 1, 0]])
    with pytest.raises(DataError, match=r"needs training articles with no tagged sentence \(general news\)"):
        first_stage_targets(config, y, ["a", "a", "b"])
    assert first_stage_targets(config, y, ["a", "c", "b"]).tolist() == [[1, 0, 0, 1], [0, 0, 0, 0], [0, 1, 0, 1]]
    off = config_from_mapping({"context": {"enabled": False}}, where="test")
    assert first_stage_targets(off, y, ["a", "a", "b"]) is y


def test_act_topic_classifier_learns_tags_on_topic_rows_only_and_survives_clone_and_grid_search():
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, KFold

    from asnclf.model.act_topic import ActTopicClassifier

    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 3))
    topic = (X[:, 2] > 0).astype(int)
    tag = ((X[:, 0] > 0) & (topic == 1)).astype(int)
    Y = np.column_stack([tag, topic])
    model = ActTopicClassifier(LogisticRegression(C=10.0)).fit(X, Y)
    # The tag's classifier saw on-topic rows only; the topic's, every row.
    assert model.estimators_[0].n_features_in_ == 3 and model.estimators_[1].classes_.tolist() == [0, 1]
    on_topic = LogisticRegression(C=10.0).fit(X[topic == 1], tag[topic == 1])
    assert np.allclose(model.estimators_[0].coef_, on_topic.coef_)
    assert model.predict_proba(X).shape == (80, 2)
    copy = clone(model).set_params(estimator__C=0.1)
    assert copy.estimator.C == 0.1 and not hasattr(copy, "estimators_")
    search = GridSearchCV(ActTopicClassifier(LogisticRegression()), {"estimator__C": [0.1, 1.0]},
                          cv=KFold(2), scoring=lambda estimator, X, Y: float((estimator.predict(X) == Y).mean()))
    assert search.fit(X, Y).best_params_["estimator__C"] in (0.1, 1.0)
    with pytest.raises(ValueError, match="needs both on-topic and other rows"):
        ActTopicClassifier(LogisticRegression()).fit(X, np.column_stack([tag, np.ones(80)]))
