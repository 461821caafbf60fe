"""Untrusted model directories: loading a model never runs code from its files,
and a damaged model gives a one-line error (issue 5, "Models are code")."""

import json
import os
import pickle
import shlex
import shutil
import subprocess
import sys
import zipfile

import joblib
import numpy as np
import pytest
from typer.testing import CliRunner

from framing.api import load
from framing.cli import app
from framing.errors import ModelError
from framing.model.storage import sha256_file

PARAGRAPH = "The police said officers attended the meeting on Monday."
COMMANDS = ("classify", "score", "evaluate", "info")
# Far beyond a cold start on a machine shared with other work; only a hang hits it.
SUBPROCESS_TIMEOUT = 300


class WritesFile:
    """Unpickling this calls open(path, "w"): a file appears if it is ever loaded."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


class RunsShell:
    """Unpickling this runs a shell command that touches `path`."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (os.system, (f"touch {shlex.quote(self.path)}",))


def write_pickle(path, marker):
    path.write_bytes(pickle.dumps(WritesFile(marker)))


def write_shell_pickle(path, marker):
    path.write_bytes(pickle.dumps(RunsShell(marker)))


def write_joblib(path, marker):
    with open(path, "wb") as handle:
        joblib.dump(WritesFile(marker), handle)


def write_npz_with_object_array(path, marker):
    """A real .npz whose vocabulary is an object array: reading that array with
    pickles allowed would run the payload."""
    with np.load(path) as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["extractor.terms"] = np.array([WritesFile(marker)], dtype=object)
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


PAYLOADS = {
    "pickle": write_pickle,
    "pickle-os-system": write_shell_pickle,
    "joblib": write_joblib,
    "npz-object-array": write_npz_with_object_array,
}


def unsafe_load(path):
    """What a careless loader would do with each payload (to prove they work)."""
    if zipfile.is_zipfile(path):
        with np.load(path, allow_pickle=True) as stored:
            for name in stored.files:
                stored[name]
    else:
        joblib.load(path)


@pytest.fixture(scope="session")
def data_csv(tmp_path_factory):
    """Coding the tiny model never saw (evaluate refuses its training data)."""
    from conftest import corpus_rows, write_csv

    rows = corpus_rows()
    for row in rows:
        row["text"] += " So the report said."
    return write_csv(tmp_path_factory.mktemp("coded") / "coded.csv", rows)


@pytest.fixture
def model_copy(model_dir, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy)
    return copy


@pytest.fixture
def folder(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "one.txt").write_text(PARAGRAPH + "\n", encoding="utf-8")
    return articles


def update_digest(model):
    """Make the card vouch for whatever model.npz now holds (an attacker who can
    replace the file can usually edit the card too)."""
    card_path = model / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["files"]["model.npz"] = sha256_file(model / "model.npz")
    card_path.write_text(json.dumps(card), encoding="utf-8")


def command_args(command, model, folder, data_csv):
    model_option = ["--model", str(model)]
    return {
        "classify": ["classify", PARAGRAPH, *model_option],
        "score": ["score", str(folder), "--jobs", "1", *model_option],
        "evaluate": ["evaluate", "--data", str(data_csv), "--no-select", *model_option],
        "info": ["info", *model_option],
    }[command]


def assert_one_line_error(result, *phrases):
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for phrase in phrases:
        assert phrase in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_security_payload_runs_code_when_loaded_unsafely(payload, model_copy, tmp_path):
    # Guards the tests below: each payload really does write its marker if some
    # code unpickles it, so "the marker never appears" means something.
    marker = tmp_path / "pwned"
    PAYLOADS[payload](model_copy / "model.npz", marker)
    unsafe_load(model_copy / "model.npz")
    assert marker.exists()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_security_malicious_model_with_stale_digest_is_refused(
    command, payload, model_copy, folder, data_csv, tmp_path
):
    marker = tmp_path / "pwned"
    PAYLOADS[payload](model_copy / "model.npz", marker)
    result = CliRunner().invoke(
        app, command_args(command, model_copy, folder, data_csv)
    )
    assert_one_line_error(
        result,
        "model.npz does not match its card (SHA-256 differs)",
        "retrain or copy the model again",
    )
    assert not marker.exists()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_security_malicious_model_with_matching_digest_is_refused(
    command, payload, model_copy, folder, data_csv, tmp_path
):
    marker = tmp_path / "pwned"
    PAYLOADS[payload](model_copy / "model.npz", marker)
    update_digest(model_copy)
    result = CliRunner().invoke(
        app, command_args(command, model_copy, folder, data_csv)
    )
    assert_one_line_error(
        result, "model.npz is not a valid framing model", "retrain it"
    )
    assert not marker.exists()


def test_security_card_without_digest_is_refused(model_copy, tmp_path):
    marker = tmp_path / "pwned"
    write_pickle(model_copy / "model.npz", marker)
    card_path = model_copy / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    del card["files"]
    card_path.write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="no SHA-256 for model.npz"):
        load(model_copy)
    assert not marker.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_security_pickles_beside_a_valid_model_are_never_loaded(
    command, model_copy, folder, data_csv, tmp_path
):
    markers = []
    for name in ("model.joblib", "model.pkl", "stance.joblib"):
        markers.append(tmp_path / f"pwned-{name}")
        write_joblib(model_copy / name, markers[-1])
    result = CliRunner().invoke(
        app, command_args(command, model_copy, folder, data_csv)
    )
    assert result.exit_code == 0, result.output
    assert not any(marker.exists() for marker in markers)


def truncate(path):
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def random_bytes(path):
    path.write_bytes(np.random.default_rng(5).bytes(4096))


def empty(path):
    path.write_bytes(b"")


def corrupt_middle(path):
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 3
    for i in range(middle, middle + 40):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


DAMAGE = {
    "truncated": truncate,
    "random-bytes": random_bytes,
    "empty": empty,
    "corrupted-middle": corrupt_middle,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("command", ["classify", "info"])
def test_security_damaged_model_file_with_stale_digest(command, damage, model_copy):
    DAMAGE[damage](model_copy / "model.npz")
    result = CliRunner().invoke(app, command_args(command, model_copy, None, None))
    assert_one_line_error(result, "does not match its card (SHA-256 differs)")


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("command", ["classify", "info"])
def test_security_damaged_model_file_with_matching_digest(command, damage, model_copy):
    # A damaged deflate stream raises zlib.error, not one of the zip errors.
    DAMAGE[damage](model_copy / "model.npz")
    update_digest(model_copy)
    result = CliRunner().invoke(app, command_args(command, model_copy, None, None))
    assert_one_line_error(result, "model.npz is not a valid framing model", "retrain")


def narrow_weights(arrays):
    arrays["heads.weights"] = arrays["heads.weights"][:, :5]


def nan_weights(arrays):
    arrays["heads.weights"] = np.full_like(arrays["heads.weights"], np.nan)


def inf_idf(arrays):
    arrays["extractor.idf"] = np.full_like(arrays["extractor.idf"], np.inf)


def short_idf(arrays):
    arrays["extractor.idf"] = arrays["extractor.idf"][:-1]


def float_words(arrays):
    arrays["extractor.words"] = arrays["extractor.words"].astype(np.float64)


def missing_head(arrays):
    del arrays["heads.bias"]


@pytest.mark.parametrize(
    "damage",
    [narrow_weights, nan_weights, inf_idf, short_idf, float_words, missing_head],
)
def test_security_model_arrays_that_do_not_fit_are_refused_on_load(damage, model_copy):
    # A card that vouches for arrays that do not fit together must not load:
    # otherwise classify fails later, or answers NaN.
    path = model_copy / "model.npz"
    with np.load(path) as stored:
        arrays = {name: stored[name] for name in stored.files}
    damage(arrays)
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    update_digest(model_copy)
    with pytest.raises(ModelError, match="is not a valid framing model"):
        load(model_copy)


@pytest.mark.parametrize(
    "edit",
    [
        lambda card: card["heads"]["stance"].update(labels=["reformist"]),
        lambda card: card["heads"]["stance"].update(labels=[1, 2, 3]),
        lambda card: card["heads"]["stance"].update(labels=["a\x1b[2J", "b", "c"]),
        lambda card: card.update(heads=[]),
        lambda card: card.update(arrays={"heads.bias": {"shape": "x"}}),
    ],
    ids=["one-class", "numbers", "escape", "no-heads", "bad-arrays"],
)
def test_security_card_that_does_not_fit_is_refused_on_load(edit, model_copy):
    card_path = model_copy / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    edit(card)
    card_path.write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="card.json is damaged"):
        load(model_copy)


def test_security_card_with_nan_is_refused(model_copy):
    card_path = model_copy / "card.json"
    text = card_path.read_text(encoding="utf-8")
    card_path.write_text(
        text.replace('"C": ', '"C": NaN, "was": ', 1), encoding="utf-8"
    )
    with pytest.raises(ModelError, match="card.json is damaged"):
        load(model_copy)


def test_security_zip_bomb_entries_are_never_decompressed(model_copy):
    # An unused entry of 200 MB of zeros (a few hundred KB compressed), and a
    # bomb that claims to be an expected array: neither may be inflated.
    import tracemalloc

    path = model_copy / "model.npz"
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("extra.npy", "w", force_zip64=True) as entry:
            block = bytes(1 << 20)
            for _ in range(200):
                entry.write(block)
    update_digest(model_copy)
    tracemalloc.start()
    load(model_copy)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50_000_000

    with np.load(path) as stored:
        arrays = {name: stored[name] for name in stored.files if name != "extra"}
    arrays["heads.bias"] = np.zeros(25_000_000)  # 200 MB where the card says 56 B
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)
    update_digest(model_copy)
    tracemalloc.start()
    with pytest.raises(ModelError, match="is not a valid framing model"):
        load(model_copy)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50_000_000


def test_security_model_file_that_is_a_folder(model_copy):
    # Hashing a folder raises IsADirectoryError, not FileNotFoundError.
    (model_copy / "model.npz").unlink()
    (model_copy / "model.npz").mkdir()
    with pytest.raises(ModelError, match="model.npz"):
        load(model_copy)


def make_fifo(path):
    os.mkfifo(path)


def link_to_dev_zero(path):
    os.symlink("/dev/zero", path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
@pytest.mark.parametrize(
    ("name", "special"),
    [
        ("model.npz", make_fifo),
        ("model.npz", link_to_dev_zero),
        ("card.json", make_fifo),
    ],
    ids=["npz-fifo", "npz-dev-zero", "card-fifo"],
)
def test_security_special_model_file_does_not_hang(name, special, model_copy):
    # A FIFO blocks open() forever and /dev/zero never ends: check before reading.
    # (No /dev/zero card: reading it whole would eat the machine's memory.) A hang
    # is a timeout far beyond a cold start on a busy machine; the assertions are
    # about what the command says, not how long it took.
    (model_copy / name).unlink()
    special(model_copy / name)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "framing", "info", "--model", str(model_copy)],
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"framing info hung on a special {name}")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ")
    assert name in done.stderr
