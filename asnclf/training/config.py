"""Training configuration: TOML text parsed and validated once, into frozen typed objects.

Every other module receives the part of :class:`TrainConfig` it needs. A bad
file, key, type or value becomes one :class:`ConfigError` line naming the
file, the key path, the value found and what is allowed.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from asnclf.errors import ConfigError
from asnclf.labels import TAGS


class _Section(BaseModel):
    # allow_inf_nan=False: C = inf (or 1e999, which TOML reads as inf) and nan are refused as not finite.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class DataConfig(_Section):
    # Relative to the config file's folder: the defaults fit the project's layout, configs/ beside data/.
    raw_dirs: tuple[Path, ...] = (Path("../data/raw/seeds"), Path("../data/raw/authored"))
    annotations: tuple[Path, ...] = (Path("../data/annotations"),)
    train_sources: tuple[Literal["seed", "authored"], ...] = ("seed", "authored")
    extra_files: tuple[Path, ...] = ()
    built_dir: Path = Path("../data/built")

    @field_validator("train_sources")
    @classmethod
    def _some_source(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("must name at least one of 'seed', 'authored'")
        return value


class BoilerplateRuleConfig(_Section):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    pattern: str = Field(min_length=1)
    drops_rest: bool = False
    drops_next: bool = False
    where: Literal["line", "start", "end"] = "line"
    max_length: int | None = Field(None, ge=1)


class SegmenterConfig(_Section):
    extra_abbreviations: tuple[str, ...] = ()
    extra_boilerplate: tuple[BoilerplateRuleConfig, ...] = ()

    def settings(self) -> dict:
        """The keyword arguments of ``Segmenter.from_settings``, as plain data (a manifest records them)."""
        return {
            "extra_abbreviations": list(self.extra_abbreviations),
            "extra_boilerplate": [rule.model_dump() for rule in self.extra_boilerplate],
        }


class WordFeaturesConfig(_Section):
    enabled: bool = True
    ngram_max: int = Field(2, ge=1, le=4)
    min_df: int = Field(1, ge=1)
    max_features: int | None = Field(50000, ge=1)
    sublinear_tf: bool = True
    normalize_numbers: bool = True


class CharFeaturesConfig(_Section):
    enabled: bool = False
    ngram_min: int = Field(2, ge=1, le=8)
    ngram_max: int = Field(5, ge=1, le=8)
    min_df: int = Field(2, ge=1)
    max_features: int | None = Field(100000, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> CharFeaturesConfig:
        if self.ngram_min > self.ngram_max:
            raise ValueError(f"ngram_min ({self.ngram_min}) must not exceed ngram_max ({self.ngram_max})")
        return self


class SwitchConfig(_Section):
    enabled: bool = True
    weight: float = Field(1.0, gt=0, le=100)


class FeaturesConfig(_Section):
    word: WordFeaturesConfig = WordFeaturesConfig()
    char: CharFeaturesConfig = CharFeaturesConfig()
    cues: SwitchConfig = SwitchConfig()
    numbers: SwitchConfig = SwitchConfig()

    @model_validator(mode="after")
    def _some_features(self) -> FeaturesConfig:
        if not (self.word.enabled or self.char.enabled or self.cues.enabled or self.numbers.enabled):
            raise ValueError("at least one of word, char, cues, numbers must be enabled")
        return self


# Each model's section says what the model takes and builds its scikit-learn binary classifier
# (scikit-learn is imported only then): MODEL_CONFIGS below is the one map from model names.
class LogisticRegressionConfig(_Section):
    name: Literal["logistic_regression"]
    C: float = Field(32.0, gt=0)
    class_weight: Literal["balanced", "none"] = "balanced"
    max_iter: int = Field(2000, ge=10)
    tol: float = Field(1e-3, gt=0)

    def build(self, seed: int):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=self.C,
            class_weight=None if self.class_weight == "none" else "balanced",
            max_iter=self.max_iter,
            tol=self.tol,
            solver="liblinear",
            # Text has more features than sentences: liblinear's dual solver reaches the same optimum many times faster.
            dual=True,
            random_state=seed,
        )


class LinearSVMConfig(_Section):
    name: Literal["linear_svm"]
    C: float = Field(0.5, gt=0)
    class_weight: Literal["balanced", "none"] = "balanced"
    max_iter: int = Field(5000, ge=10)

    def build(self, seed: int):
        from sklearn.svm import LinearSVC

        return LinearSVC(C=self.C, class_weight=None if self.class_weight == "none" else "balanced",
                         max_iter=self.max_iter, random_state=seed)


class ComplementNBConfig(_Section):
    name: Literal["complement_nb"]
    alpha: float = Field(0.3, gt=0)

    def build(self, seed: int):
        from sklearn.naive_bayes import ComplementNB

        return ComplementNB(alpha=self.alpha)


MODEL_CONFIGS: dict[str, type[_Section]] = {
    "logistic_regression": LogisticRegressionConfig,
    "linear_svm": LinearSVMConfig,
    "complement_nb": ComplementNBConfig,
}
MODEL_NAMES: tuple[str, ...] = tuple(MODEL_CONFIGS)

ModelConfig = Annotated[
    Union[LogisticRegressionConfig, LinearSVMConfig, ComplementNBConfig], Field(discriminator="name")
]


class ThresholdsConfig(_Section):
    strategy: Literal["fixed", "tune_f1", "target_precision"] = "tune_f1"
    fixed: dict[str, float] = Field(default_factory=lambda: {tag: 0.5 for tag in TAGS})
    target_precision: float = Field(0.9, gt=0, le=1)

    @field_validator("fixed")
    @classmethod
    def _fixed_per_tag(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(TAGS))
        if unknown:
            raise ValueError(f"unknown tag {unknown[0]!r}; tags are {', '.join(TAGS)}")
        for tag, threshold in value.items():
            if not 0.0 < threshold < 1.0:
                raise ValueError(f"threshold for {tag!r} must be between 0 and 1 (exclusive), found {threshold}")
        return {tag: value.get(tag, 0.5) for tag in TAGS}


class ContextConfig(_Section):
    enabled: bool = True
    learner: Literal["logistic_regression", "mlp"] = "mlp"
    C: float = Field(10.0, gt=0)
    hidden: int = Field(32, ge=1, le=256)


class EvaluationConfig(_Section):
    folds: int = Field(5, ge=2, le=20)
    repeats: int = Field(1, ge=1, le=20)
    inner_folds: int = Field(2, ge=2, le=10)
    learning_curve: tuple[float, ...] = ()
    plots: bool = True
    general_news_holdout: int = Field(60, ge=0)
    group_by: Literal["article", "batch"] = "article"

    @field_validator("learning_curve")
    @classmethod
    def _fractions(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        for fraction in value:
            if not 0.0 < fraction <= 1.0:
                raise ValueError(f"fractions must be in (0, 1], found {fraction}")
        return tuple(sorted(set(value)))


class OutputConfig(_Section):
    dir: Path | None = None


class TrainConfig(_Section):
    name: str = Field("default", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    seed: int = Field(13, ge=0)
    data: DataConfig = DataConfig()
    segmenter: SegmenterConfig = SegmenterConfig()
    features: FeaturesConfig = FeaturesConfig()
    model: ModelConfig = LogisticRegressionConfig(name="logistic_regression")
    context: ContextConfig = ContextConfig()
    thresholds: ThresholdsConfig = ThresholdsConfig()
    evaluation: EvaluationConfig = EvaluationConfig()
    output: OutputConfig = OutputConfig()
    # The config file's folder when loaded from a file: to_plain() writes paths relative to it.
    _folder: Path | None = PrivateAttr(default=None)

    @property
    def output_dir(self) -> Path:
        """Where the artifact goes: ``output.dir``, else ``models/<name>`` in the current folder."""
        return self.output.dir if self.output.dir is not None else Path("models") / self.name

    def to_plain(self) -> dict[str, Any]:
        """The config as JSON-ready data, paths as strings relative to the config file's folder.

        Relative as a config file writes them, so a model's manifest does not
        depend on where the project was checked out.
        """
        plain = self.model_dump(mode="json")
        if self._folder is None:
            return plain
        data = plain["data"]
        for key in PATH_LISTS:
            data[key] = [_relative(value, self._folder) for value in data[key]]
        data["built_dir"] = _relative(data["built_dir"], self._folder)
        if plain["output"]["dir"] is not None:
            plain["output"]["dir"] = _relative(plain["output"]["dir"], self._folder)
        return plain


PATH_LISTS = ("raw_dirs", "annotations", "extra_files")  # [data] keys holding lists of paths
PATH_KEYS = {("data", key) for key in PATH_LISTS} | {("data", "built_dir"), ("output", "dir")}


def load_config(path: str | Path, overrides: tuple[str, ...] = (), *, data_dir: str | Path | None = None) -> TrainConfig:
    """Read a TOML config, apply ``key.path=value`` overrides, validate; every path comes out absolute.

    Where a relative path points, so that a config works from any folder:

    - ``[data]`` paths, written in the file or left at their defaults, are
      relative to ``data_dir`` when given, else to the config file's folder;
    - ``output.dir`` written in the file is relative to the config file's folder;
    - paths given in ``overrides`` (``--set``) are relative to the current folder,
      as a path typed in a shell is;
    - without ``output.dir`` the model goes to ``models/<name>`` in the current folder.

    Raises :class:`ConfigError` for a missing or malformed file, a bad
    override, or a value out of range.
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found (looked for {path.absolute()})") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    folder = path.absolute().parent
    _anchor_paths(raw, data_base=Path(data_dir).absolute() if data_dir is not None else folder, output_base=folder)
    for override in overrides:
        apply_override(raw, override, where=str(path))
    config = config_from_mapping(raw, where=str(path))
    config._folder = folder
    return config


def _anchor_paths(raw: dict[str, Any], *, data_base: Path, output_base: Path) -> None:
    """Make the file's relative paths, and the default data paths, absolute (in place)."""
    data = raw.setdefault("data", {})
    if isinstance(data, dict):
        for key in (*PATH_LISTS, "built_dir"):
            default = DataConfig.model_fields[key].default
            value = data.get(key, [str(item) for item in default] if isinstance(default, tuple) else str(default))
            data[key] = _anchored(value, data_base)
    output = raw.get("output")
    if isinstance(output, dict) and "dir" in output:
        output["dir"] = _anchored(output["dir"], output_base)


def _anchored(value: Any, base: Path) -> Any:
    """A path string (or list of them) made absolute against ``base``; other values are left for validation."""
    if isinstance(value, list):
        return [_anchored(item, base) for item in value]
    if isinstance(value, str) and value:
        return str(Path(os.path.normpath(base / Path(value).expanduser())))
    return value


def _relative(value: str, folder: Path) -> str:
    return Path(os.path.relpath(value, folder)).as_posix() if Path(value).is_absolute() else value


def config_from_mapping(raw: dict[str, Any], *, where: str) -> TrainConfig:
    """Validate plain data (as from TOML) into a :class:`TrainConfig`."""
    raw = dict(raw)
    model = raw.get("model")
    if isinstance(model, dict) and "name" not in model:
        raw["model"] = {"name": "logistic_regression", **model}
    try:
        return TrainConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, raw, where)) from None


def apply_override(raw: dict[str, Any], override: str, *, where: str) -> None:
    """Set ``a.b.c=value`` in nested plain data; the value is read as TOML, else as a string."""
    key, sep, text = override.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise ConfigError(f"--set {override!r}: expected KEY.PATH=VALUE, e.g. model.C=4")
    try:
        value = tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = text.strip()
    node = raw
    parts = key.split(".")
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"{where}: --set {key}: {part!r} is a value, not a section")
        node = child
    if tuple(parts) in PATH_KEYS:
        value = _anchored(value, Path.cwd())
    node[parts[-1]] = value


def _describe(exc: ValidationError, raw: dict[str, Any], where: str) -> str:
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"] if not _is_union_tag(part)]
    key = ".".join(loc) or "(top level)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    if error["type"] == "extra_forbidden":
        section = _section_model(loc[:-1], raw)
        allowed = ", ".join(sorted(section.model_fields)) if section is not None else "see configs/default.toml"
        return f"{where}: unknown key {key!r}; valid keys here: {allowed}{more}"
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        found = raw.get("model", {}).get("name") if isinstance(raw.get("model"), dict) else None
        return f"{where}: model.name: unknown model {found!r}; valid models: {', '.join(MODEL_NAMES)}{more}"
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {key}: invalid value {error.get('input')!r}: {message}{more}"


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and part in MODEL_NAMES


def _section_model(loc: list[str], raw: dict[str, Any]) -> type[BaseModel] | None:
    if loc == ["model"]:
        name = raw["model"].get("name") if isinstance(raw.get("model"), dict) else None
        return MODEL_CONFIGS.get(name)
    model: type[BaseModel] = TrainConfig
    for part in loc:
        field = model.model_fields.get(part)
        annotation = field.annotation if field is not None else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        else:
            return None
    return model


