"""Save and load a model directory: plain arrays in model.npz, a JSON card beside it.

Nothing is pickled, so loading a model cannot run code (docs/security.md). Loading
trusts nothing in the directory: the card must parse without NaN, name every array
with its shape and type, and match the archive's SHA-256; only those arrays are
read, each checked against the card's shape and type and against a size cap
before a byte of it is decompressed; every number must be finite. Loading needs
numpy alone.
"""

import hashlib
import io
import json
import os
import platform
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict, cast

import numpy as np

from framing.errors import ModelError
from framing.model.dense import TokenProperties
from framing.model.extractor import FeatureConfig, FeatureExtractor
from framing.model.scorer import DocumentHead, Scorer

FORMAT = "framing-model/2"
CARD = "card.json"
ARRAYS = "model.npz"
MAX_MODEL_BYTES = 500_000_000  # all arrays together, decompressed
MAX_CARD_BYTES = 10_000_000
_TEXT_BLOBS = ("extractor.terms", "extractor.words")


class ModelCard(TypedDict, total=False):
    """card.json: what a model is, how it was made and how good it is. Loading
    checks `format`, `heads`, `arrays`, `files` and `features` (read_card); the
    rest is for people and `framing info`, which tolerates any damage to it."""

    format: str
    created: str
    versions: dict[str, str]  # framing, python, numpy, scikit-learn
    features: dict[str, Any]  # FeatureConfig.to_dict()
    feature_families: Any  # families on; the ablation's decisions in `selection`
    heads: dict[str, dict[str, Any]]  # label column -> {"labels": [...]}
    document_model: list[str]  # heads with a document model
    arrays: dict[str, dict[str, Any]]  # name -> shape and dtype
    files: dict[str, str]  # file name -> SHA-256
    training_data: dict[str, Any]
    selection: dict[str, Any]  # C, offsets, cross-validation figures
    aggregation: str  # how a document's labels are made
    evaluation: list[dict[str, Any]]  # `train --evaluate`: one line per figure
    # Added when read, never saved: by framing.api.info.
    location: str
    warnings: list[str]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _blob(words: list[str]) -> np.ndarray:
    return np.frombuffer(
        "\n".join(words).encode("utf-8", "surrogatepass"), dtype=np.uint8
    )


def _words(blob: np.ndarray) -> list[str]:
    text = blob.tobytes().decode("utf-8", "surrogatepass")
    return text.split("\n") if text else []


def model_arrays(scorer: Scorer) -> dict[str, np.ndarray]:
    extractor = scorer.extractor
    arrays = {
        "extractor.terms": _blob(extractor.terms),
        "extractor.idf": extractor.idf,
        "extractor.words": _blob(extractor.words),
        "extractor.unigram": extractor.unigram,
        "extractor.bigram_keys": extractor.bigram_keys,
        "extractor.bigram_columns": extractor.bigram_columns,
        "heads.weights": scorer.weights,
        "heads.bias": scorer.bias,
    }
    for name, value in extractor.properties.arrays().items():
        arrays[f"properties.{name}"] = value
    for column, head in (scorer.document_heads or {}).items():
        arrays[f"document.{column}.weights"] = head.weights
        arrays[f"document.{column}.bias"] = head.bias
    # C order always: the loader reads raw bytes and refuses Fortran order.
    return {name: np.ascontiguousarray(value) for name, value in arrays.items()}


def library_versions() -> dict:
    from importlib.metadata import version

    from framing import __version__

    return {
        "framing": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": version("scikit-learn"),
    }


def save_model(scorer: Scorer, directory: Path, card: ModelCard) -> ModelCard:
    """Write model.npz and card.json into `directory`; returns the full card."""
    from framing.files import write_bytes_atomic

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = model_arrays(scorer)
    buffer = io.BytesIO()
    # Stored, not deflated: the weights (most of the bytes) do not compress,
    # and inflating the rest was a tenth of classify's start-up.
    np.savez(buffer, allow_pickle=False, **arrays)
    payload = buffer.getvalue()
    write_bytes_atomic(directory / ARRAYS, payload)
    full: ModelCard = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": library_versions(),
        "features": scorer.extractor.config.to_dict(),
        "feature_families": list(scorer.extractor.config.families),
        "heads": {
            column: {"labels": list(classes)}
            for column, classes in scorer.heads.items()
        },
        "document_model": sorted(scorer.document_heads or {}),
        "arrays": {
            name: {"shape": list(value.shape), "dtype": value.dtype.str}
            for name, value in arrays.items()
        },
        "files": {ARRAYS: hashlib.sha256(payload).hexdigest()},
    }
    for column, extra in card.get("heads", {}).items():
        full["heads"][column].update(extra)
    rest = {key: value for key, value in card.items() if key != "heads"}
    full = cast(ModelCard, {**full, **rest})
    write_card(directory, full)
    return full


def write_card(directory: Path, card: ModelCard) -> None:
    from framing.files import write_atomic

    text = json.dumps(card, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    write_atomic(Path(directory) / CARD, lambda handle: handle.write(text))


def _regular_file(path: Path, what: str, limit: int) -> None:
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


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def read_card(directory: Path) -> ModelCard:
    """The model card, checked for everything loading relies on."""
    directory = Path(directory)
    if not directory.is_dir():
        exists = directory.exists()
        what = "is a file, not a model directory" if exists else "does not exist"
        raise ModelError(
            f"model directory {directory} {what}; pass --model DIR or train one "
            "with 'framing train'"
        )
    card_path = directory / CARD
    _regular_file(card_path, "the model card", MAX_CARD_BYTES)
    try:
        card = json.loads(
            card_path.read_text(encoding="utf-8"), parse_constant=_reject_constant
        )
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelError(f"{card_path} is damaged ({exc}); retrain the model") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        found = card.get("format") if isinstance(card, dict) else None
        hint = (
            " (made by framing 0.1: retrain it with this version's 'framing train')"
            if found == "framing-model/1"
            else ""
        )
        raise ModelError(
            f"{card_path} is not a {FORMAT} card{hint}; retrain with 'framing train'"
        )
    problem = _card_problem(card)
    if problem:
        raise ModelError(f"{card_path} is damaged: {problem}; retrain the model")
    # Checked for what loading relies on; the other fields may hold anything.
    return cast(ModelCard, card)


def _card_problem(card: dict) -> str | None:
    heads = card.get("heads")
    if not isinstance(heads, dict) or not heads:
        return "no heads"
    for column, head in heads.items():
        labels = head.get("labels") if isinstance(head, dict) else None
        if (
            not isinstance(labels, list)
            or len(labels) < 2
            or not all(isinstance(x, str) and x and x.isprintable() for x in labels)
            or len(set(labels)) != len(labels)
        ):
            return f"head {column!r} has no valid label list"
        if not (isinstance(column, str) and column.isprintable()):
            return "a head name is not plain text"
    arrays = card.get("arrays")
    if not isinstance(arrays, dict) or not all(
        isinstance(v, dict)
        and isinstance(v.get("shape"), list)
        and all(isinstance(n, int) and n >= 0 for n in v["shape"])
        and isinstance(v.get("dtype"), str)
        for v in arrays.values()
    ):
        return "the array list is missing or malformed"
    files = card.get("files")
    if not isinstance(files, dict) or not isinstance(files.get(ARRAYS), str):
        return "no SHA-256 for model.npz"
    if not isinstance(card.get("features"), dict):
        return "no feature configuration"
    return None


def check_versions(card: ModelCard) -> str | None:
    """A warning when the model was trained with another scikit-learn minor version
    (read with importlib.metadata: loading never imports scikit-learn). Prediction
    uses only the stored arrays, so this is a note, not a refusal."""
    from importlib.metadata import PackageNotFoundError, version

    trained = card.get("versions", {}).get("scikit-learn")
    try:
        installed = version("scikit-learn")
    except PackageNotFoundError:
        return None
    if not isinstance(trained, str):
        return "the card does not say which scikit-learn trained the model"
    if trained.split(".")[:2] != installed.split(".")[:2]:
        return (
            f"trained with scikit-learn {trained}, this is {installed}; predictions "
            "use the stored arrays and are unaffected, but retraining may differ"
        )
    return None


def _read_arrays(path: Path, expected: dict) -> dict[str, np.ndarray]:
    """The arrays the card names, and nothing else, each checked against its
    declared shape, type and size before it is decompressed."""
    total = 0
    for spec in expected.values():
        total += (
            int(np.prod(spec["shape"], dtype=np.int64))
            * np.dtype(spec["dtype"]).itemsize
        )
    if total > MAX_MODEL_BYTES:
        raise ValueError(f"arrays of {total:,} bytes")
    out = {}
    with zipfile.ZipFile(path) as archive:
        for name, spec in expected.items():
            dtype = np.dtype(spec["dtype"])
            if dtype.hasobject or dtype.kind not in "biuf":
                raise ValueError(f"{name} has type {dtype}")
            info = archive.getinfo(name + ".npy")
            size = int(np.prod(spec["shape"], dtype=np.int64)) * dtype.itemsize
            if info.file_size > size + 4096:  # the .npy header is small
                raise ValueError(f"{name} declares {info.file_size:,} bytes")
            with archive.open(info) as member:
                version = np.lib.format.read_magic(member)
                read_header = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape, fortran, found = read_header(member)
                if list(shape) != spec["shape"] or found != dtype or fortran:
                    raise ValueError(f"{name} is {found}{shape}, not as the card says")
                data = member.read(size + 1)
            if len(data) != size:
                raise ValueError(f"{name} is truncated")
            array = np.frombuffer(data, dtype=dtype).reshape(shape)
            if dtype.kind == "f" and not np.isfinite(array).all():
                raise ValueError(f"{name} holds a value that is not finite")
            out[name] = array
    return out


def load_model(directory: Path) -> tuple[Scorer, ModelCard]:
    """The model in `directory` and its card; ModelError if anything is off."""
    directory = Path(directory)
    card = read_card(directory)
    arrays_path = directory / ARRAYS
    _regular_file(arrays_path, "the model arrays", MAX_MODEL_BYTES)
    try:
        actual = sha256_file(arrays_path)
    except OSError as exc:
        raise ModelError(f"cannot read {arrays_path}: {exc.strerror}") from None
    if actual != card["files"][ARRAYS]:
        raise ModelError(
            f"{arrays_path} does not match its card (SHA-256 differs): the file is "
            "damaged or was replaced; retrain or copy the model again"
        )
    try:
        scorer = _scorer(card, _read_arrays(arrays_path, card["arrays"]))
    except Exception as exc:  # any damage inside the archive is the same problem
        raise ModelError(
            f"{arrays_path} is not a valid framing model ({exc}); retrain it with "
            "'framing train'"
        ) from None
    # The scikit-learn version is not checked here: prediction uses only the
    # stored arrays, and importlib.metadata costs a third of loading
    # (framing.api.info checks it, where it is shown).
    return scorer, card


def _scorer(card: ModelCard, arrays: dict[str, np.ndarray]) -> Scorer:
    """Rebuild the scorer from checked arrays, checking that they fit together."""
    config = FeatureConfig.from_dict(card["features"])
    terms = _words(arrays["extractor.terms"])
    words = _words(arrays["extractor.words"])
    idf = arrays["extractor.idf"].astype(np.float64)
    unigram = arrays["extractor.unigram"].astype(np.int64)
    keys = arrays["extractor.bigram_keys"].astype(np.int64)
    columns = arrays["extractor.bigram_columns"].astype(np.int64)
    if idf.shape != (len(terms),) or unigram.shape != (len(words) + 1,):
        raise ValueError("vocabulary and idf do not match")
    if keys.shape != columns.shape or (len(keys) and np.any(np.diff(keys) <= 0)):
        raise ValueError("bigram table is damaged")
    if (
        np.any(unigram >= len(terms))
        or np.any(columns < 0)
        or np.any(columns >= len(terms))
    ):
        raise ValueError("a feature index is out of range")
    properties = TokenProperties.from_arrays(
        {
            name.split(".", 1)[1]: value
            for name, value in arrays.items()
            if name.startswith("properties.")
        }
    )
    if len(properties.valence) != len(words) + 1:
        raise ValueError("token properties do not match the dictionary")
    extractor = FeatureExtractor(
        config=config,
        terms=terms,
        idf=idf,
        words=words,
        unigram=unigram,
        bigram_keys=keys,
        bigram_columns=columns,
        properties=properties,
    )
    heads = {column: list(h["labels"]) for column, h in card["heads"].items()}
    weights = arrays["heads.weights"].astype(np.float64)
    bias = arrays["heads.bias"].astype(np.float64)
    outputs = sum(len(labels) for labels in heads.values())
    if weights.shape != (extractor.width, outputs) or bias.shape != (outputs,):
        raise ValueError("head weights do not match the features and labels")
    documents = {}
    for column in card.get("document_model") or []:
        k = len(heads[column])
        head = DocumentHead(
            weights=arrays[f"document.{column}.weights"].astype(np.float64),
            bias=arrays[f"document.{column}.bias"].astype(np.float64),
        )
        if head.weights.shape != (5 * k, k) or head.bias.shape != (k,):
            raise ValueError(f"document model for {column} does not match")
        documents[column] = head
    return Scorer(
        extractor=extractor,
        heads=heads,
        weights=weights,
        bias=bias,
        document_heads=documents or None,
    )


def default_model_dir() -> Path:
    """The shipped model: inside the installed package, or models/default in a
    source checkout."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "default_model"
    return packaged if packaged.is_dir() else package.parent / "models" / "default"
