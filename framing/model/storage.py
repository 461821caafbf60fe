"""Save and load a model directory: arrays in model.npz and a JSON card beside it.

The model is stored as plain arrays (vocabulary, idf, coefficients), never as a
pickle, so loading a model file cannot run code (see docs/security.md). Loading
rebuilds the stock scikit-learn estimators from those arrays.
"""

import hashlib
import json
import os
import platform
import stat
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from framing.errors import ModelError
from framing.model.classifier import FramingModel
from framing.model.features import LEXICON_NAMES, FeatureConfig, Features

FORMAT = "framing-model/1"
CARD = "card.json"
ARRAYS = "model.npz"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict:
    import joblib
    import scipy
    import sklearn

    from framing import __version__

    return {
        "framing": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
    }


def model_arrays(model: FramingModel) -> dict[str, np.ndarray]:
    arrays = {}
    for kind, vectorizer in model.vectorizer.vectorizers.items():
        arrays[f"{kind}.vocabulary"] = vectorizer.get_feature_names_out().astype(str)
        arrays[f"{kind}.idf"] = vectorizer.idf_
    if model.vectorizer.valence is not None:
        arrays["lexicon.valence"] = model.vectorizer.valence
    for column, head in model.heads.items():
        arrays[f"{column}.classes"] = head.classes_.astype(str)
        arrays[f"{column}.coef"] = head.coef_
        arrays[f"{column}.intercept"] = head.intercept_
    return arrays


def save_model(model: FramingModel, directory: Path, card: dict) -> dict:
    """Write model.npz and card.json into `directory`; returns the full card."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    arrays_path = directory / ARRAYS
    tmp = directory / f".{ARRAYS}.part.npz"
    np.savez_compressed(tmp, **model_arrays(model))
    tmp.replace(arrays_path)
    full = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": library_versions(),
        "features": model.features.to_dict(),
        "heads": {
            column: {"labels": model.classes(column), "C": model.c.get(column)}
            for column in model.heads
        },
        "files": {ARRAYS: sha256_file(arrays_path)},
        **card,
    }
    tmp_card = directory / f".{CARD}.part"
    tmp_card.write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
    tmp_card.replace(directory / CARD)
    return full


MAX_MODEL_BYTES = 2_000_000_000
MAX_CARD_BYTES = 10_000_000


def _regular_file(path: Path, what: str, limit: int = MAX_MODEL_BYTES) -> None:
    """Refuse anything but a regular file before reading it: a FIFO or a link to a
    device would hang the read, a folder would crash it."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ModelError(
            f"{path.parent} has no {path.name}; it is not a complete framing model "
            "(copy the whole model directory, or retrain)"
        ) from None
    except OSError as exc:
        raise ModelError(f"cannot read {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ModelError(f"{path} is not a regular file; {what} must be a plain file")
    if info.st_size > limit:
        raise ModelError(f"{path} is {info.st_size:,} bytes, too large for a model")


def read_card(directory: Path) -> dict:
    """The model card, checked for what loading relies on."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ModelError(
            f"model directory {directory} does not exist; pass --model DIR or train "
            "one with 'framing train'"
        )
    card_path = directory / CARD
    if not card_path.exists():
        raise ModelError(f"{directory} has no {CARD}; it is not a framing model")
    _regular_file(card_path, "the model card", MAX_CARD_BYTES)
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelError(f"{card_path} is damaged ({exc}); retrain the model") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise ModelError(
            f"{card_path} is not a {FORMAT} card; retrain with 'framing train'"
        )
    return card


def check_versions(card: dict, directory: Path) -> None:
    import sklearn

    versions = card.get("versions")
    trained = versions.get("scikit-learn") if isinstance(versions, dict) else None
    trained = trained if isinstance(trained, str) else "an unknown version"
    if trained.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ModelError(
            f"model {directory} was trained with scikit-learn {trained}, this is "
            f"{sklearn.__version__}; retrain it with 'framing train' or install "
            f"scikit-learn=={trained}"
        )


def load_model(directory: Path) -> tuple[FramingModel, dict]:
    """The model in `directory` and its card; ModelError if anything is off."""
    directory = Path(directory)
    card = read_card(directory)
    check_versions(card, directory)
    arrays_path = directory / ARRAYS
    files = card.get("files")
    expected = files.get(ARRAYS) if isinstance(files, dict) else None
    _regular_file(arrays_path, "the model arrays")
    try:
        actual = sha256_file(arrays_path)
    except OSError as exc:
        raise ModelError(f"cannot read {arrays_path}: {exc.strerror}") from None
    if actual != expected:
        raise ModelError(
            f"{arrays_path} does not match its card (SHA-256 differs): the file is "
            "damaged or was replaced; retrain or copy the model again"
        )
    try:
        model = _model_from_arrays(card, arrays_path)
    except ModelError:
        raise
    except Exception as exc:  # any damage inside the archive is the same problem
        raise ModelError(
            f"{arrays_path} is not a valid framing model ({type(exc).__name__}); "
            "retrain it with 'framing train'"
        ) from None
    return model, card


def _model_from_arrays(card: dict, arrays_path: Path) -> FramingModel:
    """Rebuild the stock estimators from stored arrays, checking every shape."""
    from sklearn.linear_model import LogisticRegression

    features = FeatureConfig.from_dict(card["features"])
    with np.load(arrays_path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    model = FramingModel(features=features)
    model.vectorizer = Features(features)
    width = 0
    for kind in list(model.vectorizer.vectorizers):
        terms = arrays[f"{kind}.vocabulary"].tolist()
        idf = np.asarray(arrays[f"{kind}.idf"], dtype=np.float64)
        if idf.shape != (len(terms),) or len(set(terms)) != len(terms):
            raise ValueError(f"{kind} vocabulary and idf do not match")
        vocabulary = {term: i for i, term in enumerate(terms)}
        if kind == "word":
            model.vectorizer.set_word_state(vocabulary, idf)
        else:
            model.vectorizer.vectorizers[kind].vocabulary_ = vocabulary
            model.vectorizer.vectorizers[kind].idf_ = idf
        width += len(terms)
    if features.lexicon:
        valence = np.asarray(arrays["lexicon.valence"], dtype=np.float64)
        if valence.shape != (len(model.vectorizer.vectorizers["word"].vocabulary_),):
            raise ValueError("lexicon valence does not match the word vocabulary")
        model.vectorizer.valence = valence
        width += len(LEXICON_NAMES)
    if not isinstance(card["heads"], dict) or not card["heads"]:
        raise ValueError("no heads")
    for column, head_card in card["heads"].items():
        classes = arrays[f"{column}.classes"]
        coef = np.asarray(arrays[f"{column}.coef"], dtype=np.float64)
        intercept = np.asarray(arrays[f"{column}.intercept"], dtype=np.float64)
        rows = 1 if len(classes) == 2 else len(classes)
        if (
            len(classes) < 2
            or coef.shape != (rows, width)
            or intercept.shape != (rows,)
        ):
            raise ValueError(f"{column} coefficients do not match the features")
        if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
            raise ValueError(f"{column} coefficients are not finite")
        head = LogisticRegression()
        head.classes_ = classes.astype(object)
        head.coef_ = coef
        head.intercept_ = intercept
        head.n_features_in_ = width
        model.heads[column] = head
        model.c[column] = head_card.get("C")
    return model


def default_model_dir() -> Path:
    """The shipped model: inside the installed package, or models/default in a
    source checkout."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "default_model"
    return packaged if packaged.is_dir() else package.parent / "models" / "default"
