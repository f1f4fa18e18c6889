"""Compare Nova's mapping suggestions with plain rapidfuzz, rapidfuzz plus the lexicon, and
Valentine's COMA, holding out one system pair at a time.

Every method maps each held-out pair one to one (scipy's linear_sum_assignment) with a
threshold chosen on the other pairs only, so no pair is ever in training and test at once.
Prints precision, recall, F1 and top-1 accuracy (a correct None counts), the precision of
suggestions above the auto-accept threshold, and p50/p95 latency of suggest_mapping for 60
source by 40 target fields beside the rapidfuzz baseline.

    python benchmarks/mapping_eval.py [--quick] [--runs 200]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from nova.mapping import suggest_mapping
from nova.mapping.assignment import assign
from nova.mapping.dataset import MappingCase, case_rows, load_cases
from nova.mapping.describe import describe_field
from nova.mapping.evaluation import (
    isotonic_calibration,
    mapping_metrics,
    nested_predictions,
    out_of_pair_scores,
)
from nova.mapping.lexicon import load_lexicon
from nova.mapping.names import split_words
from nova.mapping.sources import Field


def plain_rapidfuzz_scores(case: MappingCase) -> np.ndarray:
    """token_set_ratio of the names split into words, nothing else."""
    targets = [" ".join(split_words(f.name)) for f in case.target]
    sources = [" ".join(split_words(f.name)) for f in case.source]
    return process.cdist(targets, sources, scorer=fuzz.token_set_ratio) / 100.0


def lexicon_rapidfuzz_scores(case: MappingCase) -> np.ndarray:
    """token_set_ratio of lexicon-normalised names, or 1 when both are the same concept."""
    lexicon = load_lexicon()
    targets = [describe_field(f, lexicon) for f in case.target]
    sources = [describe_field(f, lexicon) for f in case.source]
    scores = process.cdist([d.text for d in targets], [d.text for d in sources],
                           scorer=fuzz.token_set_ratio) / 100.0
    for t, target in enumerate(targets):
        for s, source in enumerate(sources):
            if target.concept and target.concept == source.concept:
                scores[t, s] = 1.0
    return scores


def coma_instances_available() -> bool:
    """Tell whether COMA's instance matcher can run: it needs NLTK's stopwords corpus.

    valentine 1.0.1 downloads missing NLTK corpora when the instance matcher first runs. This
    benchmark makes no network calls, so the download is switched off and the corpus must
    already be installed.
    """
    import nltk

    nltk.download = lambda *args, **kwargs: False  # no network access from a benchmark
    try:
        nltk.data.find("corpora/stopwords")
    except LookupError:
        return False
    return True


def coma_scores(case: MappingCase, use_instances: bool) -> np.ndarray:
    """Valentine's COMA on the names, plus the source samples when ``use_instances``."""
    import pandas as pd
    from valentine import valentine_match
    from valentine.algorithms import Coma

    length = max([len(f.samples) for f in case.source] + [1])
    source = pd.DataFrame({f.name: [str(v) for v in f.samples] + [""] * (length - len(f.samples))
                           for f in case.source})
    target = pd.DataFrame({f.name: [""] * length for f in case.target})
    matches = valentine_match([source, target], Coma(use_instances=use_instances),
                              ["source", "target"])

    source_index = {f.name: i for i, f in enumerate(case.source)}
    target_index = {f.name: i for i, f in enumerate(case.target)}
    scores = np.zeros((len(case.target), len(case.source)))
    for pair, score in matches.items():
        t = target_index.get(pair.target_column)
        s = source_index.get(pair.source_column)
        if t is not None and s is not None:
            scores[t, s] = score
    return scores


def evaluate_baseline(cases: Sequence[MappingCase],
                      scorer: Callable[[MappingCase], np.ndarray]) -> dict[str, float]:
    scores = [scorer(case) for case in cases]
    predictions, autos = nested_predictions(cases, scores, None)
    return mapping_metrics(cases, predictions, autos).as_dict()


def evaluate_matcher(cases: Sequence[MappingCase], quick: bool) -> dict[str, float]:
    lexicon = load_lexicon()
    rows = [case_rows(case, lexicon) for case in cases]
    raw = out_of_pair_scores(cases, rows, quick=quick)
    predictions, autos = nested_predictions(cases, raw, isotonic_calibration)
    return mapping_metrics(cases, predictions, autos).as_dict()


def latency_fields(cases: Sequence[MappingCase], with_samples: bool
                   ) -> tuple[list[dict], list[dict]]:
    """60 source and 40 target fields drawn from the data set's real field names."""
    sources: dict[str, Field] = {}
    targets: dict[str, Field] = {}
    for case in cases:
        for field in case.source:
            sources.setdefault(field.name, field)
        for field in case.target:
            targets.setdefault(field.name, field)
    rng = np.random.default_rng(7)
    source_names = rng.choice(sorted(sources), 60, replace=False)
    target_names = rng.choice(sorted(targets), 40, replace=False)

    source = [{"name": n, "type": sources[n].type,
               "samples": list(sources[n].samples) if with_samples else []}
              for n in source_names]
    target = [{"name": n, "type": targets[n].type} for n in target_names]
    return source, target


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_calls(call: Callable[[], object], runs: int) -> list[float]:
    call()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def rapidfuzz_assignment(source: list[dict], target: list[dict]) -> dict[int, int]:
    scores = process.cdist([" ".join(split_words(t["name"])) for t in target],
                           [" ".join(split_words(s["name"])) for s in source],
                           scorer=fuzz.token_set_ratio) / 100.0
    return assign(scores, 0.6)


def print_quality(rows: list[tuple[str, dict[str, float] | str]]) -> None:
    print("| method | precision | recall | F1 | top-1 accuracy | auto-accept precision "
          "| auto-accepted share |")
    print("|---|---|---|---|---|---|---|")
    for name, metrics in rows:
        if isinstance(metrics, str):
            print(f"| {name} | {metrics} | | | | | |")
            continue
        print(f"| {name} | {metrics['precision']:.3f} | {metrics['recall']:.3f} "
              f"| {metrics['f1']:.3f} | {metrics['top1_accuracy']:.3f} "
              f"| {metrics['auto_accept_precision']:.3f} | {metrics['auto_accept_share']:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="five folds of whole system pairs and fewer trees for the matcher")
    parser.add_argument("--runs", type=int, default=200, help="timed calls per latency case")
    args = parser.parse_args()

    cases = load_cases()
    pairs = len({case.system_pair for case in cases})
    targets = sum(len(case.target) for case in cases)
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"{len(cases)} cases over {pairs} system pairs, {targets} target fields")

    rows: list[tuple[str, dict[str, float] | str]] = [
        ("rapidfuzz token_set_ratio", evaluate_baseline(cases, plain_rapidfuzz_scores)),
        ("rapidfuzz + lexicon", evaluate_baseline(cases, lexicon_rapidfuzz_scores)),
    ]
    try:
        instances = coma_instances_available()
        rows.append(("Valentine COMA (schema)",
                     evaluate_baseline(cases, lambda case: coma_scores(case, False))))
        if instances:
            rows.append(("Valentine COMA (schema + instances)",
                         evaluate_baseline(cases, lambda case: coma_scores(case, True))))
        else:
            rows.append(("Valentine COMA (schema + instances)",
                         "did not run: NLTK stopwords corpus not installed and not downloaded"))
    except Exception as exc:  # any failure to import or run COMA is reported, not fatal
        rows.append(("Valentine COMA", f"did not run: {type(exc).__name__}: {exc}"))
    label = "Nova matcher (quick folds)" if args.quick else "Nova matcher"
    rows.append((label, evaluate_matcher(cases, args.quick)))
    print()
    print_quality(rows)

    print()
    print("| latency, 60 source x 40 target fields | p50 ms | p95 ms | p95 / rapidfuzz p95 |")
    print("|---|---|---|---|")
    source, target = latency_fields(cases, with_samples=False)
    baseline = time_calls(lambda: rapidfuzz_assignment(source, target), args.runs)
    base_p95 = percentile(baseline, 0.95)
    print(f"| rapidfuzz token_set_ratio + assignment | {percentile(baseline, 0.5):.2f} "
          f"| {base_p95:.2f} | 1.0 |")
    for with_samples in (False, True):
        source, target = latency_fields(cases, with_samples)
        timings = time_calls(lambda s=source, t=target: suggest_mapping(s, t), args.runs)
        p95 = percentile(timings, 0.95)
        label = "suggest_mapping, names and types" + (" and samples" if with_samples else "")
        print(f"| {label} | {statistics.median(timings):.2f} | {p95:.2f} "
              f"| {p95 / base_p95:.1f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
