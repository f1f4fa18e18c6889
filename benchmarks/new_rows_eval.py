"""Score a saved error classifier on labelled rows from providers it never saw.

Grouped cross-validation reuses rows that shaped the features, cues and settings, so it can
flatter the model. Rows collected after a model was trained, from providers new to the
dataset, test it the way a user's first error from a new provider does. Score them before
they join the training data; once they do, the figure cannot be measured again.

The rows are classified by ``ErrorClassifier.classify``, the path ``nova.classify_errors``
takes, so the service-code table and the ``unknown`` threshold apply. Scores use the rows'
labels and, where ``relabels.jsonl`` logs an adjudicated change, also the first labels.

Run from the repository root, for example against the model of an earlier commit:

    git show b2e9e57:models/error_classifier.skops > /tmp/before.skops
    python benchmarks/new_rows_eval.py --model /tmp/before.skops datasets/errors/NEW.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from nova.errors import ErrorClassifier
from nova.errors.classifier import UNKNOWN
from nova.errors.dataset import ErrorExample, default_dataset_dir, first_labels, provider_group
from nova.errors.evaluation import GroupedPredictions, macro_f1_interval
from nova.errors.taxonomy import CATEGORIES


def read_rows(paths: list[Path]) -> list[ErrorExample]:
    """Read labelled rows from JSONL files, in order.

    Raises SystemExit naming the file and line of a row that is not JSON or lacks a field.
    """
    rows = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(ErrorExample(**json.loads(line)))
                except (json.JSONDecodeError, TypeError) as error:
                    raise SystemExit(
                        f"{path}:{number}: invalid row ({error}); each line must be a JSON object "
                        "with the fields of datasets/errors/DATASHEET.md"
                    ) from None
    return rows


def labels_before_adjudication(rows: list[ErrorExample], paths: list[Path]) -> list[str]:
    """Return each row's first label, from the label logs of the dataset and the rows' folders."""
    folders = {default_dataset_dir()} | {path.resolve().parent for path in paths}
    labels = [row.category for row in rows]
    for folder in sorted(folders):
        if (folder / "relabels.jsonl").is_file():
            before = first_labels(rows, folder)
            labels = [
                old if old != row.category else label
                for label, old, row in zip(labels, before, rows, strict=True)
            ]
    return labels


def summary(labels: list[str], predicted: list[str]) -> str:
    """Return macro-F1 over the categories present in ``labels``, and accuracy."""
    present = sorted(set(labels))
    macro = f1_score(labels, predicted, labels=present, average="macro", zero_division=0)
    accuracy = float(np.mean(np.array(labels) == np.array(predicted)))
    return f"macro-F1 {macro:.3f}  accuracy {accuracy:.3f}"


def group_interval(rows: list[ErrorExample], predicted: list[str]) -> tuple[float, float]:
    """Return a 95% interval for macro-F1, resampling provider groups as cross-validation does."""
    answers = np.zeros((len(rows), len(CATEGORIES)))
    answers[np.arange(len(rows)), [CATEGORIES.index(category) for category in predicted]] = 1.0
    groups = [provider_group(row) for row in rows]
    scored = GroupedPredictions([row.category for row in rows], groups, answers, folds=0)
    return macro_f1_interval(scored, threshold=0.0)


def main(argv: list[str] | None = None) -> None:
    """Print the scores of a saved model on the given rows."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("files", type=Path, nargs="+", help="JSONL files of labelled rows")
    parser.add_argument("--model", type=Path, default=None, help="default: the committed model")
    arguments = parser.parse_args(argv)

    rows = read_rows(arguments.files)
    classifier = ErrorClassifier.load(arguments.model)
    records = [row.as_record() for row in rows]
    labels = [row.category for row in rows]
    providers = len({row.provider for row in rows})
    print(f"{len(rows)} rows from {providers} providers")

    settings = (
        ("with the unknown threshold", classifier.threshold, True),
        ("without it", 0.0, False),
    )
    for name, value, detailed in settings:
        classifier.threshold = value
        predicted = [result.category for result in classifier.classify(records)]
        abstained = sum(category == UNKNOWN for category in predicted)
        print(f"{name} ({value}): {summary(labels, predicted)}  unknown answers {abstained}")
        if detailed:
            low, high = group_interval(rows, predicted)
            print(f"  95% interval over provider groups: {low:.3f}-{high:.3f}")
            before = labels_before_adjudication(rows, arguments.files)
            print(f"  against first labels: {summary(before, predicted)}")
            pairs = zip(labels, predicted, strict=True)
            wrong = Counter((label, guess) for label, guess in pairs if label != guess)
            for (label, guess), count in wrong.most_common(8):
                print(f"  {count:3d}  {label} -> {guess}")


if __name__ == "__main__":
    main()
