"""Compare Nova's error classifier with baselines under one provider-grouped split.

Approaches: keyword rules (nova.errors.cues.keyword_category), TF-IDF word n-grams of the
raw message with logistic regression, the full model without its keyword cues, the full
model without its word vectors, and the full model (nova.errors.pipeline). Each is scored
twice: by cross-validation grouped by provider over the development groups, and once on the
frozen test groups of ``datasets/errors/splits.json`` after fitting on all development rows.
Then the committed model's latency is measured beside scikit-learn's own ``predict_proba``
on the same pipeline: one message per call, batches of 1000, and long unbroken words.

Run from the repository root: ``python benchmarks/error_eval.py [--quick] [--jobs N]``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from nova.errors import ErrorClassifier
from nova.errors.classifier import clip_message
from nova.errors.cues import keyword_category
from nova.errors.dataset import ErrorExample, load_examples
from nova.errors.evaluation import (
    apply_threshold,
    choose_threshold,
    grouped_predictions,
    held_out_predictions,
    macro_f1_interval,
)
from nova.errors.features import code_tokens
from nova.errors.parameters import extract_parameters
from nova.errors.pipeline import DEFAULT_SETTINGS, QUICK_SETTINGS, build_pipeline
from nova.errors.split import load_split, split_examples
from nova.errors.storage import load_model, model_path
from nova.errors.taxonomy import CATEGORIES

Scores = tuple[float, float]


def messages(records: list[dict[str, Any]]) -> list[str]:
    return [str(record["message"]) for record in records]


def tfidf_logistic_regression() -> Pipeline:
    return make_pipeline(
        FunctionTransformer(messages),
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000),
    )


def scores(truth: list[str], predicted: list[str]) -> Scores:
    accuracy = accuracy_score(truth, predicted)
    macro_f1 = f1_score(truth, predicted, labels=list(CATEGORIES), average="macro", zero_division=0)
    return float(accuracy), float(macro_f1)


def evaluate_model(
    make: Callable[[], Pipeline],
    development: list[ErrorExample],
    frozen: list[ErrorExample],
    folds: int | None,
    jobs: int | None,
) -> tuple[Scores, Scores]:
    """Return (grouped CV, frozen test) scores, both with the CV-chosen ``unknown`` threshold.

    Also prints the grouped macro-F1 without the threshold, the figure the target is set
    for, with a 95% interval from resampling provider groups.
    """
    predictions = grouped_predictions(make, development, folds=folds, n_jobs=jobs)
    lower, upper = macro_f1_interval(predictions, 0.0)
    unthresholded = scores(predictions.labels, predictions.predicted)[1]
    print(f"  grouped CV macro-F1 without threshold {unthresholded:.3f}", end="")
    print(f" (95% interval {lower:.3f}-{upper:.3f})")
    threshold = choose_threshold(predictions)
    grouped = apply_threshold(predictions.predicted, predictions.confidence, threshold)

    model = make()
    model.fit([e.as_record() for e in development], [e.category for e in development])
    held_out = held_out_predictions(model, frozen)
    frozen_labels = apply_threshold(held_out.predicted, held_out.confidence, threshold)
    return scores(predictions.labels, grouped), scores(held_out.labels, frozen_labels)


def evaluate_keywords(examples: list[ErrorExample]) -> Scores:
    predicted = [
        keyword_category(f"{example.message} {code_tokens(example.error_code)}")
        for example in examples
    ]
    return scores([example.category for example in examples], predicted)


def _milliseconds(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def latency(examples: list[ErrorExample]) -> dict[str, float]:
    """Time the committed model: ErrorClassifier beside the pipeline's predict_proba."""
    classifier = ErrorClassifier.load()
    pipeline = load_model(model_path())["pipeline"]
    records = [example.as_record() for example in examples]
    classifier.classify(records[:10])  # warm caches before timing
    pipeline.predict_proba(records[:10])

    single = [_milliseconds(lambda r=record: classifier.classify([r])) for record in records[:300]]
    peer = [_milliseconds(lambda r=record: pipeline.predict_proba([r])) for record in records[:300]]

    batch = (records * (1000 // len(records) + 1))[:1000]
    runs = range(5)
    batch_runs = [_milliseconds(lambda: classifier.classify(batch)) / len(batch) for _ in runs]
    peer_runs = [_milliseconds(lambda: pipeline.predict_proba(batch)) / len(batch) for _ in runs]
    return {
        "single_median_ms": statistics.median(single),
        "single_p95_ms": float(np.percentile(single, 95)),
        "peer_single_median_ms": statistics.median(peer),
        "batch_ms_per_message": min(batch_runs),
        "peer_batch_ms_per_message": min(peer_runs),
    }


def print_latency(examples: list[ErrorExample]) -> None:
    timing = latency(examples)
    print("\nlatency of the committed model (one process; peer: the same pipeline's")
    print("scikit-learn predict_proba, which returns probabilities only):")
    single, peer = timing["single_median_ms"], timing["peer_single_median_ms"]
    p95 = timing["single_p95_ms"]
    print(f"  single message: median {single:.2f} ms, p95 {p95:.2f} ms;", end="")
    print(f" peer {peer:.2f} ms ({peer / single:.1f}x slower)")
    batch, peer_batch = timing["batch_ms_per_message"], timing["peer_batch_ms_per_message"]
    print(f"  batch of 1000:  {batch:.3f} ms per message; peer {peer_batch:.3f} ms", end="")
    print(f" ({peer_batch / batch:.1f}x)")


# One unbroken 40,000-character word of each shape: letters, digits, hyphenated, dotted,
# quoted, id-like and with "@". Masks tried from every position of such a run take seconds.
LONG_WORDS = [unit * (40_000 // len(unit)) for unit in ("x", "1", "a-", "a.", "'a", "ab1_", "a@")]


def print_long_message_latency() -> None:
    """Print the slowest single call on a long unbroken word, beside predict_proba."""
    classifier = ErrorClassifier.load()
    pipeline = load_model(model_path())["pipeline"]
    records = [{"message": word, "http_status": 400} for word in LONG_WORDS]
    slowest = max(_milliseconds(lambda r=record: classifier.classify([r])) for record in records)
    peer = max(_milliseconds(lambda r=record: pipeline.predict_proba([r])) for record in records)
    print(f"  40,000-character word, slowest of {len(records)} shapes: ", end="")
    print(f"{slowest:.1f} ms; peer {peer:.1f} ms (reads the whole message)")

    # classify fills only the predicted category's fix, so time every category's extraction.
    timings = [
        (_milliseconds(lambda c=category, w=word: extract_parameters(c, clip_message(w))), category)
        for category in CATEGORIES
        for word in LONG_WORDS
    ]
    worst, category = max(timings)
    print(f"  fix parameters of every category on those words, slowest: {worst:.1f} ms", end="")
    print(f" ({category})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 grouped folds, not one per group")
    parser.add_argument("--latency-only", action="store_true", help="skip the evaluation")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes for folds")
    arguments = parser.parse_args()
    folds = 5 if arguments.quick else None
    settings = QUICK_SETTINGS if arguments.quick else DEFAULT_SETTINGS

    examples = load_examples()
    development, frozen = split_examples(examples, load_split())
    split = "GroupKFold(5)" if folds else "leave one provider group out"
    print(
        f"{len(examples)} examples: {len(development)} development, {len(frozen)} frozen; "
        f"Python {platform.python_version()}; grouped CV: {split} over development groups"
    )
    if arguments.latency_only:
        print_latency(examples)
        print_long_message_latency()
        return

    approaches: list[tuple[str, Callable[[], Pipeline]]] = [
        ("TF-IDF + logistic regression", tfidf_logistic_regression),
        ("Nova model without cues", lambda: build_pipeline(settings.replace(cue_weight=0.0))),
        (
            "Nova model without word vectors",
            lambda: build_pipeline(settings.replace(word_vector_weight=0.0)),
        ),
        ("Nova full model", lambda: build_pipeline(settings)),
    ]
    rows = [("keyword rules", evaluate_keywords(development), evaluate_keywords(frozen))]
    for name, make in approaches:
        print(f"{name}:")
        grouped, held_out = evaluate_model(make, development, frozen, folds, arguments.jobs)
        rows.append((name, grouped, held_out))

    print(f"\n{'approach':30} {'CV accuracy':>11} {'CV macro-F1':>11} {'frozen acc':>10} ", end="")
    print(f"{'frozen F1':>9}")
    for name, (accuracy, macro_f1), (frozen_accuracy, frozen_f1) in rows:
        print(f"{name:30} {accuracy:11.3f} {macro_f1:11.3f} {frozen_accuracy:10.3f} ", end="")
        print(f"{frozen_f1:9.3f}")

    print_latency(examples)
    print_long_message_latency()


if __name__ == "__main__":
    main()
