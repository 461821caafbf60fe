"""Save and load a model directory: arrays in model.npz and a JSON card beside it.

The model is stored as plain arrays (vocabulary, idf, coefficients), never as a
pickle, so loading a model file cannot run code (see docs/security.md). Loading
rebuilds the stock scikit-learn estimators from those arrays.
"""

import hashlib
import json
import platform
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from framing.errors import ModelError
from framing.features import FeatureConfig, make_vectorizers
from framing.model import FramingModel

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
    for kind, vectorizer in model.vectorizers.items():
        arrays[f"{kind}.vocabulary"] = vectorizer.get_feature_names_out().astype(str)
        arrays[f"{kind}.idf"] = vectorizer.idf_
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


def read_card(directory: Path) -> dict:
    """The model card, checked for what loading relies on."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ModelError(
            f"model directory {directory} does not exist; pass --model DIR or train "
            "one with 'framing train'"
        )
    card_path = directory / CARD
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(
            f"{directory} has no {CARD}; it is not a framing model"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{card_path} is damaged ({exc}); retrain the model") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise ModelError(
            f"{card_path} is not a {FORMAT} card; retrain with 'framing train'"
        )
    return card


def check_versions(card: dict, directory: Path) -> None:
    import sklearn

    trained = card.get("versions", {}).get("scikit-learn", "")
    if trained.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ModelError(
            f"model {directory} was trained with scikit-learn {trained}, this is "
            f"{sklearn.__version__}; retrain it with 'framing train' or install "
            f"scikit-learn=={trained}"
        )


def load_model(directory: Path) -> tuple[FramingModel, dict]:
    """The model in `directory` and its card; ModelError if anything is off."""
    from sklearn.linear_model import LogisticRegression

    directory = Path(directory)
    card = read_card(directory)
    check_versions(card, directory)
    arrays_path = directory / ARRAYS
    expected = card.get("files", {}).get(ARRAYS)
    try:
        actual = sha256_file(arrays_path)
    except FileNotFoundError:
        raise ModelError(
            f"{directory} has no {ARRAYS}; copy the whole model directory"
        ) from None
    if actual != expected:
        raise ModelError(
            f"{arrays_path} does not match its card (SHA-256 differs): the file is "
            "damaged or was replaced; retrain or copy the model again"
        )
    try:
        features = FeatureConfig.from_dict(card["features"])
        with np.load(arrays_path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        model = FramingModel(features=features)
        model.vectorizers = make_vectorizers(features)
        for kind, vectorizer in model.vectorizers.items():
            terms = arrays[f"{kind}.vocabulary"].tolist()
            vectorizer.vocabulary_ = {term: i for i, term in enumerate(terms)}
            vectorizer.idf_ = arrays[f"{kind}.idf"]
        for column, head_card in card["heads"].items():
            head = LogisticRegression()
            head.classes_ = arrays[f"{column}.classes"].astype(object)
            head.coef_ = arrays[f"{column}.coef"]
            head.intercept_ = arrays[f"{column}.intercept"]
            head.n_features_in_ = head.coef_.shape[1]
            model.heads[column] = head
            model.c[column] = head_card.get("C")
    except (
        KeyError,
        TypeError,
        ValueError,
        OSError,
        zipfile.BadZipFile,
        EOFError,
    ) as exc:
        raise ModelError(
            f"{arrays_path} is not a valid framing model ({type(exc).__name__}); "
            "retrain it with 'framing train'"
        ) from None
    return model, card


def default_model_dir() -> Path:
    """The shipped model: inside the installed package, or models/default in a
    source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "default_model"
    return packaged if packaged.is_dir() else here.parent / "models" / "default"
