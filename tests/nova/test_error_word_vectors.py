"""Word vectors for the error classifier: learning, saving, and the feature block."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import skops.io

from nova.errors.storage import TRUSTED_TYPES
from nova.errors.word_vectors import (
    MeanWordVectors,
    WordVectors,
    botocore_sentences,
    build_word_vectors,
    load_word_vectors,
    save_word_vectors,
)

# "throttled" and "limited" share every context, as do "missing" and "absent". The two
# pairs never share a context.
CORPUS = [
    *["the request was throttled so retry the call later"] * 6,
    *["the request was limited so retry the call later"] * 6,
    *["the field is missing from the record body"] * 6,
    *["the field is absent from the record body"] * 6,
]


def _cosine(vectors: WordVectors, first: str, second: str) -> float:
    row = {word: index for index, word in enumerate(vectors.words)}
    a, b = vectors.vectors[row[first]], vectors.vectors[row[second]]
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.fixture(scope="module")
def small() -> WordVectors:
    return build_word_vectors(CORPUS, dimensions=4, min_count=2, window=3)


def test_words_in_shared_contexts_are_close(small: WordVectors) -> None:
    assert _cosine(small, "throttled", "limited") > 0.9
    assert _cosine(small, "missing", "absent") > 0.9


def test_words_in_other_contexts_are_far(small: WordVectors) -> None:
    assert _cosine(small, "throttled", "missing") < 0.5


def test_rows_have_unit_length(small: WordVectors) -> None:
    lengths = np.linalg.norm(small.vectors, axis=1)

    assert np.allclose(lengths, 1.0, atol=1e-5)


def test_small_corpus_names_the_problem() -> None:
    with pytest.raises(ValueError, match=r"the corpus has 3 words seen at least 1 times"):
        build_word_vectors(["one two three"], dimensions=8, min_count=1)


def test_saved_vectors_load_back(small: WordVectors, tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    save_word_vectors(small, path)

    loaded = load_word_vectors(path)

    assert loaded.words == small.words
    assert np.allclose(loaded.vectors, small.vectors, atol=1e-3)


def test_committed_vectors_cover_error_words() -> None:
    vectors = load_word_vectors()

    assert len(vectors.words) > 5000
    assert vectors.vectors.shape == (len(vectors.words), 64)
    assert {"throttled", "expired", "quota", "conflict", "permission"} <= set(vectors.words)


def test_block_row_scaled_to_weight(small: WordVectors) -> None:
    block = MeanWordVectors(small.words, small.vectors, weight=2.0).fit(["unused"])

    row = block.row("Throttled, retry LATER")

    assert np.linalg.norm(row) == pytest.approx(2.0)
    expected = (
        small.vectors[small.words.index("throttled")]
        + small.vectors[small.words.index("later")]
        + small.vectors[small.words.index("retry")]
    )
    assert np.allclose(row, 2.0 * expected / np.linalg.norm(expected), atol=1e-5)


def test_block_gives_zeros_for_unknown_words(small: WordVectors) -> None:
    block = MeanWordVectors(small.words, small.vectors).fit(["unused"])

    assert not block.row("qwerty asdf 1234").any()


def test_block_transform_matches_rows(small: WordVectors) -> None:
    block = MeanWordVectors(small.words, small.vectors, weight=1.5).fit(["unused"])
    texts = np.array([["the call was throttled"], ["field absent"], [""]], dtype=object)

    matrix = block.transform(texts).toarray()

    assert matrix.shape == (3, 4)
    for row, text in zip(matrix, texts[:, 0], strict=True):
        assert np.allclose(row, block.row(text))


def test_rebuild_without_botocore_hints_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes `import botocore` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "botocore", None)

    with pytest.raises(ModuleNotFoundError, match="pip install botocore"):
        botocore_sentences()


def test_block_centres_rows_on_training_mean(small: WordVectors) -> None:
    texts = ["the call was throttled", "field absent from body", "retry later"]
    block = MeanWordVectors(small.words, small.vectors).fit(texts)

    rows = block.transform(texts).toarray()

    assert np.allclose(rows.mean(axis=0), 0.0, atol=1e-6)
    assert not block.row("").any()


def test_block_survives_skops_round_trip(small: WordVectors, tmp_path: Path) -> None:
    block = MeanWordVectors(np.array(small.words), small.vectors).fit(["retry later"])
    block.row("throttled")  # builds the word index, which the saved file leaves out
    path = tmp_path / "block.skops"
    skops.io.dump(block, path)

    loaded = skops.io.load(path, trusted=TRUSTED_TYPES)

    with zipfile.ZipFile(path) as saved:
        assert '"_index"' not in saved.read("schema.json").decode("utf-8")
    assert np.allclose(loaded.row("the call was throttled"), block.row("the call was throttled"))


def test_block_without_vectors_is_rejected() -> None:
    with pytest.raises(ValueError, match="needs a 2-D array of word vectors"):
        MeanWordVectors(("word",), None).fit(["word"])


def test_block_transforms_no_texts(small: WordVectors) -> None:
    block = MeanWordVectors(small.words, small.vectors).fit(["retry later"])

    assert block.transform([]).shape == (0, 4)
