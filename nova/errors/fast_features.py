"""The fitted feature step of the classifier as plain look-ups, for low per-call overhead.

scikit-learn validates its input on every ``transform`` call, which costs several
milliseconds for one message. CompiledFeatures reads each fitted TfidfVectorizer once: its
analyzer, vocabulary, idf weights, sublinear-tf and norm settings. It then builds the same
sparse rows without that validation, and tests check that the rows equal the pipeline's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from nova.errors.word_vectors import MeanWordVectors

__all__ = ["CompiledFeatures"]


@dataclass(frozen=True)
class _Block:
    """One fitted vectorizer of the ColumnTransformer and where its columns start."""

    name: str
    column: int
    analyzer: Callable[[str], list[str]]
    vocabulary: Mapping[str, int]
    idf: np.ndarray | None
    sublinear_tf: bool
    l2_norm: bool
    weight: float
    offset: int

    def row(self, document: str) -> tuple[list[int], list[float]]:
        """Return the column indices and values of this block for one document."""
        counts = Counter(
            index
            for token in self.analyzer(document)
            if (index := self.vocabulary.get(token)) is not None
        )
        indices = sorted(counts)
        values = [float(counts[index]) for index in indices]
        if self.sublinear_tf:
            values = [1.0 + math.log(value) for value in values]
        if self.idf is not None:
            values = [
                value * float(self.idf[index]) for value, index in zip(values, indices, strict=True)
            ]
        if self.l2_norm:
            length = math.sqrt(sum(value * value for value in values))
            if length > 0:
                values = [value / length for value in values]
        return [self.offset + index for index in indices], [self.weight * v for v in values]


@dataclass(frozen=True)
class _VectorBlock:
    """The fitted mean-word-vector block: a dense row of fixed width."""

    column: int
    transformer: MeanWordVectors
    weight: float
    offset: int

    def row(self, document: str) -> tuple[list[int], list[float]]:
        """Return the column indices and values of this block for one document."""
        vector = self.transformer.row(document)
        nonzero = np.flatnonzero(vector)
        indices = [self.offset + int(index) for index in nonzero]
        return indices, [self.weight * float(vector[index]) for index in nonzero]


def _compile_block(
    name: str, vectorizer: TfidfVectorizer, column: int, weight: float, offset: int
) -> _Block:
    if vectorizer.norm not in ("l2", None):
        raise ValueError(f"vectorizer {name!r} uses norm={vectorizer.norm!r}; expected l2 or None")
    return _Block(
        name=name,
        column=column,
        analyzer=vectorizer.build_analyzer(),
        vocabulary=vectorizer.vocabulary_,
        idf=vectorizer.idf_ if vectorizer.use_idf else None,
        sublinear_tf=bool(vectorizer.sublinear_tf),
        l2_norm=vectorizer.norm == "l2",
        weight=weight,
        offset=offset,
    )


class CompiledFeatures:
    """The ``prepare`` and ``features`` steps of a fitted classifier pipeline."""

    def __init__(self, pipeline: Pipeline) -> None:
        prepare = pipeline.named_steps["prepare"]
        features = pipeline.named_steps["features"]
        self._prepare: Callable[[Iterable[Mapping[str, Any]]], np.ndarray] = partial(
            prepare.func, **(prepare.kw_args or {})
        )
        weights = features.transformer_weights or {}
        self.blocks: list[_Block | _VectorBlock] = []
        for name, transformer, column in features.transformers_:
            weight = float(weights.get(name, 1.0))
            offset = features.output_indices_[name].start
            if isinstance(transformer, TfidfVectorizer):
                self.blocks.append(_compile_block(name, transformer, column, weight, offset))
            elif isinstance(transformer, MeanWordVectors):
                self.blocks.append(_VectorBlock(column, transformer, weight, offset))
            elif transformer != "drop":
                raise TypeError(
                    f"feature block {name!r} is a {type(transformer).__name__}, which "
                    "CompiledFeatures cannot rebuild; add it to nova/errors/fast_features.py"
                )
        self.n_features = max(
            (indices.stop for indices in features.output_indices_.values()), default=0
        )

    def transform(self, records: Iterable[Mapping[str, Any]]) -> sparse.csr_matrix:
        """Return the feature rows of ``records``, equal to the pipeline's features step."""
        columns = self._prepare(records)
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        for row in columns:
            for block in self.blocks:
                block_indices, block_values = block.row(str(row[block.column]))
                indices.extend(block_indices)
                values.extend(block_values)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(values, dtype=np.float64), np.array(indices, dtype=np.int64), indptr),
            shape=(len(columns), self.n_features),
        )
