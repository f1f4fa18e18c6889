"""Compare Nova's error classifier with two baselines under the same provider-grouped split.

Approaches: keyword rules (nova.errors.cues.keyword_category), TF-IDF word n-grams of the
raw message with logistic regression, and the full model (nova.errors.pipeline). Each is
scored on predictions for provider groups it never saw in training. Then the committed
model's latency is measured: one message per call, and batches of 1000.

Run from the repository root: ``python benchmarks/error_eval.py [--quick]``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from nova.errors import ErrorClassifier
from nova.errors.cues import keyword_category
from nova.errors.dataset import ErrorExample, load_examples
from nova.errors.evaluation import apply_threshold, choose_threshold, grouped_predictions
from nova.errors.features import code_tokens
from nova.errors.pipeline import build_pipeline
from nova.errors.taxonomy import CATEGORIES


def messages(records: list[dict]) -> list[str]:
    return [str(record["message"]) for record in records]


def tfidf_logistic_regression() -> Pipeline:
    return make_pipeline(
        FunctionTransformer(messages),
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000),
    )


def scores(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    accuracy = accuracy_score(truth, predicted)
    macro_f1 = f1_score(truth, predicted, labels=list(CATEGORIES), average="macro", zero_division=0)
    return float(accuracy), float(macro_f1)


def evaluate_model(make: Callable[[], Pipeline], examples: list[ErrorExample], folds: int | None):
    predictions = grouped_predictions(make, examples, folds=folds)
    threshold = choose_threshold(predictions)
    labels = apply_threshold(predictions.predicted, predictions.confidence, threshold)
    return scores(predictions.labels, labels), predictions.folds


def evaluate_keywords(examples: list[ErrorExample]) -> tuple[float, float]:
    predicted = [
        keyword_category(f"{example.message} {code_tokens(example.error_code)}")
        for example in examples
    ]
    return scores([example.category for example in examples], predicted)


def latency(examples: list[ErrorExample]) -> dict[str, float]:
    classifier = ErrorClassifier.load()
    records = [example.as_record() for example in examples]
    classifier.classify(records[:10])  # warm caches before timing

    single = []
    for record in records[:300]:
        started = time.perf_counter()
        classifier.classify([record])
        single.append((time.perf_counter() - started) * 1000)

    batch = (records * (1000 // len(records) + 1))[:1000]
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        classifier.classify(batch)
        runs.append((time.perf_counter() - started) * 1000 / len(batch))
    return {
        "single_median_ms": statistics.median(single),
        "single_p95_ms": float(np.percentile(single, 95)),
        "batch_ms_per_message": min(runs),
    }


def print_latency(examples: list[ErrorExample]) -> None:
    timing = latency(examples)
    print("\nlatency of the committed model (ErrorClassifier.classify, one process):")
    print(f"  single message: median {timing['single_median_ms']:.2f} ms, ", end="")
    print(f"p95 {timing['single_p95_ms']:.2f} ms")
    print(f"  batch of 1000:  {timing['batch_ms_per_message']:.3f} ms per message")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 grouped folds, not one per group")
    parser.add_argument("--latency-only", action="store_true", help="skip the grouped evaluation")
    arguments = parser.parse_args()
    folds = 5 if arguments.quick else None

    examples = load_examples()
    split = "GroupKFold(5)" if folds else "leave one provider group out"
    print(f"{len(examples)} examples; Python {platform.python_version()}; split: {split}")
    if arguments.latency_only:
        print_latency(examples)
        return

    rows = [("keyword rules", evaluate_keywords(examples))]
    tfidf, _ = evaluate_model(tfidf_logistic_regression, examples, folds)
    rows.append(("TF-IDF + logistic regression", tfidf))
    full, fold_count = evaluate_model(
        lambda: build_pipeline(quick=arguments.quick), examples, folds
    )
    rows.append(("Nova full model", full))

    print(f"\n{'approach':32} {'accuracy':>9} {'macro-F1':>9} {'F1 vs keywords':>15}")
    for name, (accuracy, macro_f1) in rows:
        ratio = macro_f1 / rows[0][1][1]
        print(f"{name:32} {accuracy:9.3f} {macro_f1:9.3f} {ratio:14.2f}x")
    print(f"({fold_count} folds)")

    print_latency(examples)


if __name__ == "__main__":
    main()
