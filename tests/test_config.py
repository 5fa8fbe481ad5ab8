from pathlib import Path

import pytest

from asnclf.training.config import MODEL_NAMES, LinearSVMConfig, TrainConfig, load_config
from asnclf.errors import ConfigError

CONFIGS = sorted(Path("configs").glob("*.toml"))


@pytest.fixture
def config_file(tmp_path):
    def write(text: str) -> Path:
        path = tmp_path / "c.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize("path", CONFIGS, ids=[p.name for p in CONFIGS])
def test_every_shipped_config_is_valid(path):
    config = load_config(path)
    assert config.name == path.stem


def test_default_toml_documents_the_built_in_defaults():
    # Other configs set only what differs, so default.toml must equal the code's defaults (paths as written).
    assert load_config(Path("configs/default.toml")).to_plain() == TrainConfig().to_plain()


def test_configs_cover_every_model_kind():
    assert {load_config(path).model.name for path in CONFIGS} == set(MODEL_NAMES)


def test_overrides_change_typed_values(config_file):
    config = load_config(config_file(""), ("model.C=8", "features.char.enabled=true", "name=other", 'data.train_sources=["authored"]'))
    assert config.model.C == 8.0
    assert config.features.char.enabled is True
    assert config.name == "other"
    assert config.data.train_sources == ("authored",)
    assert config.output_dir == Path("models/other")


def test_model_name_selects_its_own_schema(config_file):
    config = load_config(config_file('[model]\nname = "linear_svm"\nC = 0.25\n'))
    assert isinstance(config.model, LinearSVMConfig) and config.model.C == 0.25


@pytest.mark.parametrize(
    ("text", "overrides", "message"),
    [
        ("[model]\nC = 1\nCee = 2\n", (), r"c\.toml: unknown key 'model\.Cee'; valid keys here: C, class_weight, max_iter, name"),
        ("[featurez]\n", (), r"unknown key 'featurez'; valid keys here: .*features"),
        ("seed = 'x'\n", (), r"seed: invalid value 'x': Input should be a valid integer"),
        ("[model]\nC = -1\n", (), r"model\.C: invalid value -1: Input should be greater than 0"),
        ("", ("evaluation.folds=1",), r"evaluation\.folds: invalid value 1: .*greater than or equal to 2"),
        ("", ("model.name=forest",), r"model\.name: unknown model 'forest'; valid models: logistic_regression, linear_svm, complement_nb"),
        ("", ("thresholds.fixed.appeal=1.5",), r"thresholds\.fixed: .*threshold for 'appeal' must be between 0 and 1"),
        ("", ("thresholds.fixed.rumour=0.5",), r"unknown tag 'rumour'"),
        ("", ("features.char.ngram_min=6", "features.char.ngram_max=3"), r"ngram_min \(6\) must not exceed ngram_max \(3\)"),
        ("", ("thresholds.strategy=best",), r"thresholds\.strategy: invalid value 'best'"),
        ("", ('evaluation.group_by="writer"',), r"evaluation\.group_by: invalid value 'writer': Input should be 'article' or 'batch'"),
        ("[model]\nname = 'complement_nb'\nC = 2\n", (), r"unknown key 'model\.C'; valid keys here: alpha, name"),
        ("name = \n", (), r"c\.toml: not valid TOML"),
        ("", ("model.C",), r"--set 'model\.C': expected KEY\.PATH=VALUE"),
        ("seed = 3\n", ("seed.x=1",), r"--set seed\.x: 'seed' is a value, not a section"),
    ],
)
def test_config_errors_name_file_key_value_and_what_is_allowed(config_file, text, overrides, message):
    with pytest.raises(ConfigError, match=message):
        load_config(config_file(text), overrides)


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.toml: config file not found"):
        load_config(tmp_path / "nope.toml")


def test_config_error_is_one_line(config_file):
    with pytest.raises(ConfigError) as caught:
        load_config(config_file("[model]\nC = -1\nmax_iter = 0\n"))
    assert "\n" not in str(caught.value) and "(and 1 more)" in str(caught.value)


@pytest.mark.parametrize("model, key", [("logistic_regression", "C"), ("linear_svm", "C"), ("complement_nb", "alpha")])
@pytest.mark.parametrize("value", ["inf", "1e999", "nan"])
def test_infinite_or_nan_hyperparameters_are_refused_as_not_finite(config_file, model, key, value):
    path = config_file(f'[model]\nname = "{model}"\n')
    with pytest.raises(ConfigError, match=rf"model\.{key}: invalid value .*finite number"):
        load_config(path, (f"model.{key}={value}",))


def test_infinite_value_in_the_file_is_refused(config_file):
    with pytest.raises(ConfigError, match=r"c\.toml: model\.C: invalid value inf: Input should be a finite number"):
        load_config(config_file("[model]\nC = inf\n"))
