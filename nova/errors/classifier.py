"""Classify provider errors into the taxonomy and recommend a fix."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression

from nova.errors.dataset import provider_family
from nova.errors.fast_features import CompiledFeatures
from nova.errors.masking import MASK_TOKENS
from nova.errors.parameters import extract_parameters, fix_values
from nova.errors.service_codes import ServiceCode, fix_for, service_code
from nova.errors.storage import load_model, model_path
from nova.errors.taxonomy import CATEGORIES, get_category, render_fix

__all__ = [
    "Classification",
    "ErrorClassifier",
    "RunnerUp",
    "classify_error",
    "classify_errors",
    "classify_stored_error",
    "default_classifier",
]

UNKNOWN = "unknown"


@dataclass(frozen=True)
class RunnerUp:
    """The second most likely category and its probability."""

    category: str
    probability: float


@dataclass(frozen=True)
class Classification:
    """The category of one error, the recommended fix and how sure the model is."""

    category: str
    recommended_fix: str
    confidence: float
    """Calibrated probability of ``category``.

    For an ``unknown`` below the threshold it is the model's top probability, and for an error
    with no signal at all it is 0.0. A code that SyncToScale emits with one meaning (see
    service_codes) gets 1.0. A code with several possible categories gets the probability
    renormalised over those categories, or 1.0 when the message names a provider code that
    the taxonomy anchors to one of them."""
    retryable: bool
    retry_hint: str
    """``always``, ``never``, ``after_refresh``, ``after_reset``, ``after_refetch`` or ``once``."""
    runner_up: RunnerUp | None
    parameters: dict[str, str] = field(default_factory=dict)
    """The values found in the error and filled into ``recommended_fix``."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict with the fields of the HTTP response."""
        return {
            "category": self.category,
            "recommended_fix": self.recommended_fix,
            "confidence": self.confidence,
            "retryable": self.retryable,
            "retry_hint": self.retry_hint,
            "runner_up": (
                None
                if self.runner_up is None
                else {
                    "category": self.runner_up.category,
                    "probability": self.runner_up.probability,
                }
            ),
            "parameters": dict(self.parameters),
        }


# A message longer than both limits together is read as its head and tail, so a huge message
# costs no more than a long one. The tail is kept because a stack trace names the exception
# last. No labelled message is longer than 700 characters.
MESSAGE_HEAD_CHARS = 3_000
MESSAGE_TAIL_CHARS = 1_000


def _validate(record: Mapping[str, Any]) -> None:
    message, http_status = record.get("message"), record.get("http_status")
    if not isinstance(message, str):
        raise TypeError(f"message must be a string, got {type(message).__name__}")
    error_code, provider = record.get("error_code"), record.get("provider")
    if error_code is not None and not isinstance(error_code, str):
        raise TypeError(
            f"error_code must be a string or None, got {type(error_code).__name__} "
            f"{error_code!r}. Pass a numeric code as a string, such as '{error_code}'."
        )
    if provider is not None and not isinstance(provider, str):
        raise TypeError(
            f"provider must be a string or None, got {type(provider).__name__} {provider!r}"
        )
    if http_status is None:
        return
    if isinstance(http_status, bool) or not isinstance(http_status, int):
        raise TypeError(f"http_status must be an integer or None, got {http_status!r}")
    if not 100 <= http_status <= 599:
        raise ValueError(f"http_status {http_status} is not an HTTP status code; expected 100-599")


def clip_message(message: str) -> str:
    """Return the part of ``message`` the classifier reads: all of it, or its head and tail."""
    if len(message) <= MESSAGE_HEAD_CHARS + MESSAGE_TAIL_CHARS:
        return message
    return f"{message[:MESSAGE_HEAD_CHARS]} ... {message[-MESSAGE_TAIL_CHARS:]}"


def _clipped(record: Mapping[str, Any]) -> Mapping[str, Any]:
    message = record["message"]
    clipped = clip_message(message)
    return record if clipped is message else {**record, "message": clipped}


# A message that is one code and nothing else: invalid_auth, TOKEN_EXPIRED, rate-limited,
# InvalidAuthenticationToken. One plain word ("Unauthorized") is not taken for a code.
_BARE_CODE = re.compile(
    r"[A-Za-z][A-Za-z0-9]*(?:[_.:-][A-Za-z0-9]+)+|[A-Za-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+"
)
_MAX_BARE_CODE_CHARS = 100


def _code_from_message(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """Read a message that is only a code, as Slack's ``"error": "invalid_auth"``, as the code.

    In the labelled rows such a message almost always comes with an error code, most often
    the same text, so the model reads it best that way.
    """
    code = record.get("error_code")
    if code is not None and code.strip():
        return record
    message = record["message"].strip()
    if len(message) > _MAX_BARE_CODE_CHARS or _BARE_CODE.fullmatch(message) is None:
        return record
    return {**record, "error_code": message}


class ErrorClassifier:
    """A loaded error-classification model and its ``unknown`` threshold."""

    def __init__(self, artefact: Mapping[str, Any]) -> None:
        self._pipeline = artefact["pipeline"]
        self.threshold = float(artefact["unknown_threshold"])
        self._columns = [CATEGORIES.index(label) for label in self._pipeline.classes_]
        self._features = CompiledFeatures(self._pipeline)
        self._signal_mask = np.zeros(self._features.n_features, dtype=bool)
        self._signal_mask[_signal_columns(self._pipeline)] = True

    @classmethod
    def load(cls, path: Path | None = None) -> ErrorClassifier:
        """Load the model at ``path``, or the default model in storage.models_dir()."""
        return cls(load_model(path or model_path()))

    def classify(self, records: Iterable[Mapping[str, Any]]) -> list[Classification]:
        """Classify many errors with one model call.

        Each record is a mapping with classify_error's arguments as keys. An error code that
        SyncToScale emits with one meaning is classified by table and skips the model. A
        message longer than 4,000 characters is read as its first 3,000 and last 1,000.
        """
        records = list(records)
        for record in records:
            _validate(record)
        records = [_code_from_message(_clipped(record)) for record in records]

        codes = [
            service_code(record.get("error_code"), record.get("provider")) for record in records
        ]
        results: list[Classification | None] = [
            None if code is None or len(code.categories) > 1 else _by_service_code(record, code)
            for record, code in zip(records, codes, strict=True)
        ]
        modelled = [index for index, result in enumerate(results) if result is None]
        if modelled:
            features = self._features.transform([records[index] for index in modelled])
            probabilities = np.zeros((len(modelled), len(CATEGORIES)))
            probabilities[:, self._columns] = self._predict_proba(features)
            signals = self._has_signal(features)
            for index, row, signal in zip(modelled, probabilities, signals, strict=True):
                code = codes[index]
                if code is None:
                    results[index] = self._decide(records[index], row, bool(signal))
                else:
                    results[index] = _among(records[index], row, code)
        return [result for result in results if result is not None]

    def _predict_proba(self, features: sparse.csr_matrix) -> np.ndarray:
        model = self._pipeline[-1]
        if isinstance(model, LogisticRegression):
            # Multinomial logistic regression's probabilities are the softmax of its
            # decision function. Computing it here skips scikit-learn's per-call input
            # validation, because that costs more than the prediction for one message.
            return softmax(features @ model.coef_.T + model.intercept_, axis=1)
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            probabilities: np.ndarray = model.predict_proba(features)
        return probabilities

    def _has_signal(self, features: sparse.csr_matrix) -> np.ndarray:
        """Return, per row, whether a message word seen in training or a cue phrase occurs.

        Mask tokens do not count. A cue phrase counts because a message in another language
        may share no word with the training rows and still name its condition ("超时").
        """
        rows = np.repeat(np.arange(features.shape[0]), np.diff(features.indptr))
        found = np.zeros(features.shape[0], dtype=bool)
        found[rows[self._signal_mask[features.indices]]] = True
        return found

    def _decide(
        self, record: Mapping[str, Any], probabilities: np.ndarray, has_signal: bool
    ) -> Classification:
        order = np.argsort(probabilities)[::-1]
        top = CATEGORIES[order[0]]
        confidence = float(probabilities[order[0]])

        # Without one word seen in training, a cue phrase, an error code or an HTTP status, the
        # error carries no signal, which is the definition of ``unknown`` ("zxqv wplk", "").
        no_signal = (
            not has_signal and not record.get("error_code") and record.get("http_status") is None
        )
        if no_signal:
            category, runner_up = UNKNOWN, None
        else:
            category = UNKNOWN if confidence < self.threshold else top
            runner_up = _best_other(probabilities, order, category)

        parameters = extract_parameters(
            category,
            str(record.get("message") or ""),
            error_code=record.get("error_code"),
            provider=record.get("provider"),
            http_status=record.get("http_status"),
        )
        taxonomy_entry = get_category(category)
        return Classification(
            category=category,
            recommended_fix=render_fix(category, fix_values(parameters, record.get("provider"))),
            confidence=0.0 if no_signal else round(confidence, 4),
            retryable=taxonomy_entry.retryable,
            retry_hint=taxonomy_entry.retry_hint,
            runner_up=runner_up,
            parameters=parameters,
        )


def _best_other(probabilities: np.ndarray, order: np.ndarray, category: str) -> RunnerUp:
    """Return the likeliest category other than ``category``.

    For an ``unknown`` below the threshold this is the model's top category. When the model
    itself ranked ``unknown`` first, it is the model's second choice.
    """
    index = next(int(index) for index in order if CATEGORIES[index] != category)
    return RunnerUp(CATEGORIES[index], round(float(probabilities[index]), 4))


def _by_service_code(record: Mapping[str, Any], code: ServiceCode) -> Classification:
    """Classify an error whose SyncToScale code has one category, without the model."""
    category = code.categories[0]
    recommended_fix, parameters = fix_for(code, category, record)
    taxonomy_entry = get_category(category)
    return Classification(
        category=category,
        recommended_fix=recommended_fix,
        confidence=1.0,
        retryable=taxonomy_entry.retryable,
        retry_hint=taxonomy_entry.retry_hint,
        runner_up=None,
        parameters=parameters,
    )


def _among(
    record: Mapping[str, Any], probabilities: np.ndarray, code: ServiceCode
) -> Classification:
    """Choose among the categories a SyncToScale code allows.

    A provider code in the message that the taxonomy anchors to one of them decides, with
    confidence 1.0 ("Slack rejected the call to auth.test: invalid_auth." is
    ``invalid_credentials``). Otherwise the model's odds, renormalised over them, decide.
    """
    anchored = _anchored_category(record, code.categories)
    if anchored is not None:
        odds = np.array([float(category == anchored) for category in code.categories])
    else:
        allowed = np.array([CATEGORIES.index(category) for category in code.categories])
        odds = probabilities[allowed]
        total = float(odds.sum())
        odds = odds / total if total > 0 else np.full(len(allowed), 1 / len(allowed))
    order = np.argsort(odds, kind="stable")[::-1]

    category = code.categories[order[0]]
    recommended_fix, parameters = fix_for(code, category, record)
    taxonomy_entry = get_category(category)
    return Classification(
        category=category,
        recommended_fix=recommended_fix,
        confidence=round(float(odds[order[0]]), 4),
        retryable=taxonomy_entry.retryable,
        retry_hint=taxonomy_entry.retry_hint,
        runner_up=RunnerUp(code.categories[order[1]], round(float(odds[order[1]]), 4)),
        parameters=parameters,
    )


# A provider code as a message writes it: invalid_auth, auth.test, AADSTS700082.
_CODE_WORD = re.compile(r"[A-Za-z][\w.]*\w")


def _anchored_category(record: Mapping[str, Any], categories: tuple[str, ...]) -> str | None:
    """Return the category whose taxonomy anchor (``slack:invalid_auth``) the message names."""
    provider = str(record.get("provider") or "").lower()
    if not provider:
        return None

    family = provider_family(provider)
    words = set(_CODE_WORD.findall(str(record.get("message") or "")))
    for category in categories:
        for anchor in get_category(category).anchor_codes:
            anchor_family, _, anchor_code = anchor.partition(":")
            if anchor_family == family and anchor_code in words:
                return category
    return None


def _signal_columns(pipeline: Any) -> np.ndarray:
    """Return the feature columns of cue tokens, and of message words that are not masks."""
    features = pipeline.named_steps["features"]
    vocabulary = features.named_transformers_["message_words"].vocabulary_
    block = features.output_indices_["message_words"]
    informative = [
        index + block.start
        for term, index in vocabulary.items()
        if not all(token in MASK_TOKENS for token in term.split())
    ]
    cues = features.output_indices_["cues"]
    return np.array(sorted([*informative, *range(cues.start, cues.stop)]), dtype=int)


_default: ErrorClassifier | None = None
_default_lock = threading.Lock()


def default_classifier() -> ErrorClassifier:
    """Return the classifier loaded from the models folder, loading it on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ErrorClassifier.load()
        return _default


def classify_error(
    message: str,
    *,
    error_code: str | None = None,
    provider: str | None = None,
    http_status: int | None = None,
    raw_response: Any = None,
) -> Classification:
    """Classify one provider error and fill the recommended fix from it.

    An empty message is accepted, because the error code and HTTP status still carry signal.
    With neither, the result is ``unknown``. ``raw_response`` is the response or report stored
    with the error, from which the fix for a failed validate step names each field's expected
    value. Raises TypeError for a message that is not a string and ValueError for an HTTP
    status outside 100-599.
    """
    record = {
        "message": message,
        "error_code": error_code,
        "provider": provider,
        "http_status": http_status,
        "raw_response": raw_response,
    }
    return default_classifier().classify([record])[0]


def classify_errors(records: Iterable[Mapping[str, Any]]) -> list[Classification]:
    """Classify many errors at once. Each record is a mapping of classify_error's arguments."""
    return default_classifier().classify(records)


def classify_stored_error(
    message: str,
    error_code: str | None,
    provider: str | None,
    http_status: int | None,
    raw_response: Any = None,
) -> Classification:
    """Classify an error from the fields a workflow run stores for it, passed by position.

    The HTTP layer's ``{"run_id": ...}`` requests do not call this function. They build a
    record from the same fields and pass it to classify_errors.
    """
    return classify_error(
        message,
        error_code=error_code,
        provider=provider,
        http_status=http_status,
        raw_response=raw_response,
    )
