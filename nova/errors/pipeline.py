"""Build the scikit-learn pipeline that classifies provider errors."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from nova.errors.features import COLUMNS, prepare_records
from nova.errors.word_vectors import MeanWordVectors, load_word_vectors

__all__ = [
    "DEFAULT_SETTINGS",
    "QUICK_SETTINGS",
    "PipelineSettings",
    "build_pipeline",
    "compact_for_saving",
]

# The prepared code, status, provider and cue columns are already split into words.
WHITESPACE_SEPARATED = r"\S+"


@dataclasses.dataclass(frozen=True)
class PipelineSettings:
    """Feature and model settings; the defaults are the ones grouped cross-validation chose.

    ``word_vector_weight`` scales the block of mean word vectors (0 leaves it out).
    ``missing_status_token`` is the status token of an error without an HTTP status. The
    empty default adds no feature. In the data a missing status mostly marks client-side
    errors, so a token for it pulled every status-less error towards ``unknown``.
    ``code_in_message`` appends the error code's words to the message before its n-grams
    are counted, so ``rate_limit_exceeded`` and "rate limit exceeded" share features.
    """

    word_ngrams: tuple[int, int] = (1, 2)
    word_min_df: int = 2
    char_ngrams: tuple[int, int] | None = (3, 5)
    char_min_df: int = 3
    char_max_features: int | None = 20_000
    code_weight: float = 1.0
    status_weight: float = 1.0
    cue_weight: float = 1.0
    use_provider: bool = False
    missing_status_token: str = ""
    code_in_message: bool = True
    classifier: Literal["logistic", "svm"] = "logistic"
    C: float = 10.0
    word_vector_weight: float = 1.0

    def replace(self, **changes: Any) -> PipelineSettings:
        """Return a copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)


DEFAULT_SETTINGS = PipelineSettings()
# A fast setting for CI and notebooks: fewer character n-grams.
QUICK_SETTINGS = DEFAULT_SETTINGS.replace(char_ngrams=(3, 4), char_max_features=8_000)


def _token_vectorizer(**options: Any) -> TfidfVectorizer:
    return TfidfVectorizer(token_pattern=WHITESPACE_SEPARATED, lowercase=False, **options)


def _features(settings: PipelineSettings) -> ColumnTransformer:
    message, code, status, provider, cues, message_and_code = range(len(COLUMNS))
    transformers: list[tuple[str, Any, int]] = [
        (
            "message_words",
            TfidfVectorizer(
                ngram_range=settings.word_ngrams, sublinear_tf=True, min_df=settings.word_min_df
            ),
            message,
        ),
        ("error_code", _token_vectorizer(sublinear_tf=True), code),
        ("http_status", _token_vectorizer(), status),
        ("cues", _token_vectorizer(use_idf=False, norm=None), cues),
    ]
    weights = {
        "error_code": settings.code_weight,
        "http_status": settings.status_weight,
        "cues": settings.cue_weight,
    }
    if settings.char_ngrams is not None:
        characters = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=settings.char_ngrams,
            sublinear_tf=True,
            min_df=settings.char_min_df,
            max_features=settings.char_max_features,
        )
        transformers.insert(1, ("message_chars", characters, message))
    if settings.use_provider:
        transformers.append(("provider", _token_vectorizer(), provider))
    if settings.word_vector_weight > 0:
        vectors = load_word_vectors()
        # A numpy array of words is saved as one array, where a tuple is saved word by word.
        words = np.array(vectors.words, dtype=str)
        block = MeanWordVectors(words, vectors.vectors, settings.word_vector_weight)
        transformers.append(("word_vectors", block, message_and_code))
    return ColumnTransformer(transformers, sparse_threshold=1.0, transformer_weights=weights)


def _classifier(settings: PipelineSettings) -> Any:
    if settings.classifier == "svm":
        # Sigmoid calibration on internal folds turns the margins into probabilities.
        return CalibratedClassifierCV(
            LinearSVC(C=settings.C, class_weight="balanced"), method="sigmoid", cv=3
        )
    return LogisticRegression(C=settings.C, class_weight="balanced", max_iter=3000)


def build_pipeline(settings: PipelineSettings = DEFAULT_SETTINGS) -> Pipeline:
    """Return an unfitted pipeline from error records to category probabilities.

    Features: word n-grams and character n-grams within words of the masked message, the
    words of the error code, the HTTP status and its class, the keyword cues of
    ``cues.json``, the mean word vector of the message and code (``word_vectors.py``) and,
    when ``settings.use_provider``, the provider name.
    """
    return Pipeline(
        [
            (
                "prepare",
                FunctionTransformer(
                    prepare_records,
                    kw_args={
                        "missing_status": settings.missing_status_token,
                        "code_in_message": settings.code_in_message,
                    },
                ),
            ),
            ("features", _features(settings)),
            ("classifier", _classifier(settings)),
        ]
    )


def compact_for_saving(pipeline: Pipeline) -> None:
    """Shrink a fitted pipeline before it is saved, without changing what it computes.

    scikit-learn fills ``vocabulary_`` with numpy integers, which skops writes as one file
    each; plain ints keep the saved model small and load faster. The ColumnTransformer also
    keeps the unfitted word-vector block beside its fitted clone, so both are pointed at the
    same arrays, which skops then writes once.
    """
    features = pipeline.named_steps["features"]
    for _, vectorizer, _ in features.transformers_:
        if isinstance(vectorizer, TfidfVectorizer):
            vectorizer.vocabulary_ = {
                term: int(index) for term, index in vectorizer.vocabulary_.items()
            }

    fitted = {name: block for name, block, _ in features.transformers_}
    for name, block, _ in features.transformers:
        if isinstance(block, MeanWordVectors) and isinstance(fitted.get(name), MeanWordVectors):
            block.words = fitted[name].words
            block.vectors = fitted[name].vectors
