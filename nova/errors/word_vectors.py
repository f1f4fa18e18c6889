"""Word vectors learned from API documentation, so related error words score alike.

The TF-IDF blocks of the classifier only know words seen in labelled rows. A provider the
model has not seen often describes the same problem in other words ("throttled" for "rate
limit", "in use" for "conflict"). Word vectors learned from a large unlabelled corpus of API
documentation place such words near each other, and the mean vector of a message's words
becomes one more feature block.

The vectors are positive pointwise mutual information over a co-occurrence window, reduced
with a truncated SVD. The committed file ``datasets/errors/word_vectors.npz`` was built from
the documentation strings of the AWS service models that ship with botocore; rebuild it with
``python -m nova.errors.word_vectors`` after ``pip install botocore``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import html
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.extmath import randomized_svd

from nova.errors.dataset import default_dataset_dir

__all__ = [
    "WORD_VECTORS_FILENAME",
    "MeanWordVectors",
    "WordVectors",
    "botocore_sentences",
    "build_word_vectors",
    "load_word_vectors",
    "save_word_vectors",
]

logger = logging.getLogger(__name__)

WORD_VECTORS_FILENAME = "word_vectors.npz"

_WORD = re.compile(r"[a-z]+")
_MARKUP = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclasses.dataclass(frozen=True)
class WordVectors:
    """Words and their unit-length vectors, one row per word (float16 once saved)."""

    words: tuple[str, ...]
    vectors: np.ndarray


def words_of(text: str) -> list[str]:
    """Split text into the lower-case alphabetic words the vectors are keyed by."""
    return _WORD.findall(text.lower())


def _cooccurrence(sentences: list[list[int]], size: int, window: int) -> sparse.csr_matrix:
    rows: list[int] = []
    columns: list[int] = []
    for sentence in sentences:
        for position, word in enumerate(sentence):
            for neighbour in sentence[max(0, position - window) : position]:
                rows.extend((word, neighbour))
                columns.extend((neighbour, word))
    counts = np.ones(len(rows), dtype=np.float64)
    return sparse.coo_matrix((counts, (rows, columns)), shape=(size, size)).tocsr()


def _positive_pmi(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Return positive PMI, with context counts smoothed by the power 0.75."""
    total = counts.sum()
    word_totals = np.asarray(counts.sum(axis=1)).ravel()
    context = word_totals**0.75
    context /= context.sum()

    entries = counts.tocoo()
    expected = (word_totals[entries.row] / total) * context[entries.col]
    pmi = np.log((entries.data / total) / expected)
    keep = pmi > 0
    shape = counts.shape
    return sparse.csr_matrix((pmi[keep], (entries.row[keep], entries.col[keep])), shape=shape)


def build_word_vectors(
    texts: Iterable[str],
    *,
    dimensions: int = 64,
    window: int = 5,
    min_count: int = 5,
    max_words: int = 30_000,
    seed: int = 0,
) -> WordVectors:
    """Learn word vectors from unlabelled sentences.

    Keeps the ``max_words`` most frequent words seen at least ``min_count`` times, counts
    pairs within ``window`` words, and reduces their positive PMI to ``dimensions`` columns.
    """
    tokenised = [words_of(text) for text in texts]
    frequency = Counter(word for sentence in tokenised for word in sentence)
    vocabulary = [word for word, count in frequency.most_common(max_words) if count >= min_count]
    if len(vocabulary) <= dimensions:
        raise ValueError(
            f"the corpus has {len(vocabulary)} words seen at least {min_count} times, but "
            f"{dimensions} dimensions need more than {dimensions} words. Pass a larger corpus "
            "or fewer dimensions."
        )
    index = {word: position for position, word in enumerate(vocabulary)}

    sentences = [[index[word] for word in sentence if word in index] for sentence in tokenised]
    association = _positive_pmi(_cooccurrence(sentences, len(vocabulary), window))
    left, singular, _ = randomized_svd(association, dimensions, random_state=seed)

    vectors = left * np.sqrt(singular)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    return WordVectors(tuple(vocabulary), vectors.astype(np.float32))


def save_word_vectors(word_vectors: WordVectors, path: Path) -> None:
    """Write the words and vectors to an ``.npz`` file, with no pickled objects."""
    np.savez_compressed(
        path,
        words=np.array(word_vectors.words, dtype=str),
        vectors=word_vectors.vectors.astype(np.float16),
    )


def load_word_vectors(path: Path | None = None) -> WordVectors:
    """Read word vectors saved by save_word_vectors (default: the committed file)."""
    path = path or default_dataset_dir() / WORD_VECTORS_FILENAME
    with np.load(path, allow_pickle=False) as saved:
        words = tuple(str(word) for word in saved["words"])
        vectors = saved["vectors"]
    return WordVectors(words, vectors)


class MeanWordVectors(TransformerMixin, BaseEstimator):
    """Feature block: a text's mean word vector, centred on the training texts' mean.

    Each row is the unit-length mean vector of the text's known words, minus the mean of
    those vectors over the training texts, times ``weight``. Centring makes a text without a
    known word (a row of zeros) read as an average text, so the classifier's intercepts do not
    absorb the vectors' common direction and decide such texts alone.
    """

    def __init__(self, words: Any = (), vectors: Any = None, weight: float = 1.0):
        self.words = words
        self.vectors = vectors
        self.weight = weight

    def fit(self, texts: Any, labels: Any = None) -> MeanWordVectors:
        """Take the mean vector of the training texts."""
        if self.vectors is None or np.ndim(self.vectors) != 2:
            raise ValueError(
                "MeanWordVectors needs a 2-D array of word vectors, one row per word; "
                "pass the vectors that load_word_vectors() returns"
            )
        self.center_ = np.zeros(np.shape(self.vectors)[1])
        rows = [row for text in _column(texts) if (row := self._unit_mean(text)) is not None]
        if rows:
            self.center_ = np.mean(rows, axis=0)
        return self

    def __getstate__(self) -> dict[str, Any]:
        # The word index is rebuilt on first use, so a saved model does not store it.
        state: dict[str, Any] = super().__getstate__()
        state.pop("_index", None)
        return state

    def _lookup(self) -> dict[str, int]:
        if "_index" not in self.__dict__:
            self._index = {str(word): position for position, word in enumerate(self.words)}
        return self._index

    def _unit_mean(self, text: str) -> np.ndarray | None:
        index = self._lookup()
        known = [index[word] for word in words_of(text) if word in index]
        if not known:
            return None
        mean = np.asarray(self.vectors[known], dtype=np.float64).mean(axis=0)
        length = float(np.linalg.norm(mean))
        return mean / length if length > 0 else None

    def row(self, text: str) -> np.ndarray:
        """Return the feature vector of one text."""
        unit = self._unit_mean(text)
        if unit is None:
            return np.zeros(len(self.center_))
        return (unit - self.center_) * self.weight

    def transform(self, texts: Any) -> sparse.csr_matrix:
        """Return one row per text. ``texts`` may also be a column of a 2-D object array."""
        rows = [self.row(text) for text in _column(texts)]
        return sparse.csr_matrix(np.reshape(rows, (len(rows), len(self.center_))))


def _column(texts: Any) -> list[str]:
    return [str(text) for text in np.asarray(texts, dtype=object).reshape(-1)]


def _documentation(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "documentation" and isinstance(value, str):
                yield value
            else:
                yield from _documentation(value)
    elif isinstance(node, list):
        for value in node:
            yield from _documentation(value)


def botocore_sentences() -> list[str]:
    """Return the distinct sentences of the documentation in botocore's service models.

    Raises ModuleNotFoundError with an install hint when botocore is not installed.
    """
    try:
        import botocore
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "botocore is not installed; run `pip install botocore` to rebuild word vectors"
        ) from error

    models = Path(botocore.__file__).parent / "data"
    sentences: set[str] = set()
    for path in sorted(models.glob("*/*/service-2.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as model:
            for text in _documentation(json.load(model)):
                plain = " ".join(html.unescape(_MARKUP.sub(" ", text)).split())
                sentences.update(s for s in _SENTENCE_END.split(plain) if len(s) > 20)
    logger.info("read %d sentences from %s", len(sentences), models)
    return sorted(sentences)


def main(argv: list[str] | None = None) -> None:
    """Rebuild the committed word vectors from botocore's documentation."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument(
        "--out",
        type=Path,
        default=default_dataset_dir() / WORD_VECTORS_FILENAME,
        help="output file (default: datasets/errors/word_vectors.npz)",
    )
    arguments = parser.parse_args(argv)

    sentences = botocore_sentences()
    word_vectors = build_word_vectors(sentences)
    save_word_vectors(word_vectors, arguments.out)
    print(f"{len(word_vectors.words)} words from {len(sentences)} sentences -> {arguments.out}")


if __name__ == "__main__":
    main()
