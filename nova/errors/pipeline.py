"""Build the scikit-learn pipeline that classifies provider errors."""

from __future__ import annotations

from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from nova.errors.features import prepare_records

__all__ = ["build_pipeline"]

# The prepared code, status, provider and cue columns are already split into words.
WHITESPACE_SEPARATED = r"\S+"


def build_pipeline(*, quick: bool = False) -> Pipeline:
    """Return an unfitted pipeline from error records to category probabilities.

    Features: word 1-2 grams and character 2-5 grams of the masked message, the words of the
    error code, the HTTP status and its class, the provider, and the keyword cues. ``quick``
    narrows the character n-grams for a fast run (CI, notebooks).
    """
    char_range = (3, 4) if quick else (2, 5)
    features = ColumnTransformer(
        [
            ("message_words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1), 0),
            (
                "message_chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=char_range, sublinear_tf=True, min_df=2
                ),
                0,
            ),
            (
                "error_code",
                TfidfVectorizer(token_pattern=WHITESPACE_SEPARATED, sublinear_tf=True),
                1,
            ),
            ("http_status", TfidfVectorizer(token_pattern=WHITESPACE_SEPARATED), 2),
            ("provider", TfidfVectorizer(token_pattern=WHITESPACE_SEPARATED), 3),
            (
                "cues",
                TfidfVectorizer(token_pattern=WHITESPACE_SEPARATED, use_idf=False, norm=None),
                4,
            ),
        ],
        sparse_threshold=1.0,
    )
    # Multinomial logistic regression gives probabilities directly. On held-out provider
    # groups they were better calibrated than a sigmoid-calibrated linear SVM at the same
    # macro-F1, and the metrics file records their expected calibration error.
    classifier = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000)
    return Pipeline(
        [
            ("prepare", FunctionTransformer(prepare_records)),
            ("features", features),
            ("classifier", classifier),
        ]
    )
