"""The committed error classifier on real provider errors, noise and bad input."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
import skops.io

import nova
from nova.errors import ErrorClassifier, ModelNotFoundError
from nova.errors.classifier import MESSAGE_HEAD_CHARS, MESSAGE_TAIL_CHARS, clip_message
from nova.errors.dataset import load_examples
from nova.errors.split import load_split, split_examples
from nova.errors.storage import METRICS_FILENAME, TRUSTED_TYPES, model_path, models_dir
from nova.errors.train import dataset_fingerprint, training_fit
from nova.errors.train import main as train_main

# (message, error_code, provider, http_status, expected category): errors as providers'
# documentation and SDKs print them, two or more per category.
REAL_ERRORS = [
    ("Invalid API Key provided: sk_live_****abcd", None, "stripe", 401, "invalid_credentials"),
    ("Bad credentials", None, "github", 401, "invalid_credentials"),
    ("Authentication failed", "E0000004", "okta", 401, "invalid_credentials"),
    (
        "The OAuth token used to make this call expired 12 second(s) ago.",
        "EXPIRED_AUTHENTICATION",
        "hubspot",
        401,
        "token_expired",
    ),
    (
        "Access token has expired or is not yet valid.",
        "InvalidAuthenticationToken",
        "microsoft_graph",
        401,
        "token_expired",
    ),
    (
        "Token has been expired or revoked.",
        "invalid_grant",
        "google_directory",
        400,
        "token_expired",
    ),
    (
        "User lacks write access to directory",
        "invalid_permission",
        "google_directory",
        403,
        "insufficient_permissions",
    ),
    (
        "Insufficient privileges to complete the operation.",
        "Authorization_RequestDenied",
        "microsoft_graph",
        403,
        "insufficient_permissions",
    ),
    (
        (
            "The token used is not granted the specific scope permissions required "
            "to complete this request."
        ),
        "missing_scope",
        "slack",
        200,
        "insufficient_permissions",
    ),
    (
        (
            "The request has been ratelimited. Refer to the Retry-After header for "
            "when to retry the request."
        ),
        "ratelimited",
        "slack",
        429,
        "rate_limited",
    ),
    (
        "API call exceeded rate limit due to too many requests.",
        "E0000047",
        "okta",
        429,
        "rate_limited",
    ),
    (
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        None,
        "github",
        403,
        "rate_limited",
    ),
    ("Daily Limit Exceeded", "dailyLimitExceeded", "google_drive", 403, "quota_exceeded"),
    (
        "The user's Drive storage quota has been exceeded.",
        "storageQuotaExceeded",
        "google_drive",
        403,
        "quota_exceeded",
    ),
    ("No such customer: cus_FAKE0000000042", "resource_missing", "stripe", 404, "not_found"),
    ("The resource could not be found.", "itemNotFound", "microsoft_graph", 404, "not_found"),
    (
        "Not found: Resource not found: 00ub0oNGTSWTBKOLGLNR (User)",
        "E0000007",
        "okta",
        404,
        "not_found",
    ),
    (
        "Api validation failed: email. email: Does not match required pattern",
        "E0000001",
        "okta",
        400,
        "validation_error",
    ),
    (
        "Invalid request errors arise when your request has invalid parameters.",
        "invalid_request_error",
        "stripe",
        400,
        "validation_error",
    ),
    (
        "Another object with the same value for property userPrincipalName already exists.",
        "Request_BadRequest",
        "microsoft_graph",
        400,
        "duplicate_record",
    ),
    ("Contact already exists. Existing ID: 51234", "CONFLICT", "hubspot", 409, "duplicate_record"),
    (
        "googleapi: Error 409: Entity already exists., duplicate",
        "duplicate",
        "google_directory",
        409,
        "duplicate_record",
    ),
    ("Channel has been archived.", "is_archived", "slack", 200, "conflict"),
    (
        "ETag does not match the current item's value.",
        "entityTagDoesNotMatch",
        "microsoft_graph",
        412,
        "conflict",
    ),
    ("Message text is too long.", "msg_too_long", "slack", 200, "payload_too_large"),
    (
        "There are problems with the request at the HTTP level. The request entity is too large.",
        "RequestEntityTooLargeException",
        "aws",
        413,
        "payload_too_large",
    ),
    ("httpx.ReadTimeout: timed out", "ReadTimeout", "bamboohr", None, "timeout"),
    (
        "The deadline expired before the operation could complete.",
        "DEADLINE_EXCEEDED",
        "google",
        504,
        "timeout",
    ),
    (
        "httpx.ConnectError: [Errno 111] Connection refused",
        "ConnectError",
        "hubspot",
        None,
        "network_error",
    ),
    (
        "Error: getaddrinfo ENOTFOUND api.example.invalid",
        "ENOTFOUND",
        "node",
        None,
        "network_error",
    ),
    (
        (
            "httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate "
            "verify failed: self-signed certificate (_ssl.c:1006)"
        ),
        "ConnectError",
        "slack",
        None,
        "network_error",
    ),
    (
        "The service is temporarily unavailable.",
        "service_unavailable",
        "slack",
        503,
        "provider_unavailable",
    ),
    ("Backend Error", "backendError", "google_drive", 500, "provider_unavailable"),
    (
        "The endpoint does not support the provided HTTP method",
        "E0000022",
        "okta",
        405,
        "configuration_error",
    ),
    (
        "The Admin APIs feature is not enabled for this team.",
        "feature_not_enabled",
        "slack",
        200,
        "configuration_error",
    ),
    (
        (
            "INVALID_FIELD: No such column 'Region__c' on entity 'Account'. If you "
            "are attempting to use a custom field, be sure to append the '__c'."
        ),
        "INVALID_FIELD",
        "salesforce",
        400,
        "mapping_error",
    ),
    (
        (
            "Step create_contact: mapping 'first_name' -> 'firstname' failed: "
            "source path 'first_name' is missing from the run payload."
        ),
        "mapping_error",
        "hubspot",
        None,
        "mapping_error",
    ),
    ("An unexpected error occurred.", None, None, None, "unknown"),
    ("TypeError: 'NoneType' object is not subscriptable", None, None, None, "unknown"),
]


@pytest.fixture(scope="module")
def classifier() -> ErrorClassifier:
    return ErrorClassifier.load()


@pytest.mark.parametrize(("message", "code", "provider", "status", "expected"), REAL_ERRORS)
def test_real_error_category(
    classifier: ErrorClassifier,
    message: str,
    code: str | None,
    provider: str | None,
    status: int | None,
    expected: str,
) -> None:
    record = {"message": message, "error_code": code, "provider": provider, "http_status": status}

    result = classifier.classify([record])[0]

    assert result.category == expected, result


def test_every_category_has_real_examples() -> None:
    covered = {row[-1] for row in REAL_ERRORS}

    assert covered == set(nova.CATEGORIES)


def test_seed_example_names_missing_scope() -> None:
    result = nova.classify_error(
        "User lacks write access to directory",
        error_code="invalid_permission",
        provider="google_directory",
        http_status=403,
    )

    assert result.category == "insufficient_permissions"
    assert "directory.write" in result.recommended_fix
    assert result.parameters["missing_permission"] == "directory.write"
    assert result.retryable is False


def test_classification_to_dict_shape() -> None:
    result = nova.classify_error(
        "Rate limited. Retry-After: 20", error_code="ratelimited", provider="slack", http_status=429
    )

    body = result.to_dict()

    assert set(body) == {
        "category",
        "recommended_fix",
        "confidence",
        "retryable",
        "retry_hint",
        "runner_up",
        "parameters",
    }
    assert body["category"] == "rate_limited"
    assert "20s" in body["recommended_fix"]
    assert 0.0 <= body["confidence"] <= 1.0
    assert body["runner_up"]["category"] != "rate_limited"
    assert body["runner_up"]["probability"] <= body["confidence"]


@pytest.mark.parametrize("noise", ["asdf qwerty", "lorem ipsum dolor", "zzzz", "12345"])
def test_noise_is_unknown(noise: str) -> None:
    assert nova.classify_error(noise).category == "unknown"


def test_cue_phrase_alone_is_signal() -> None:
    # No word of this Japanese message occurs in training, but its translated cue names a timeout.
    result = nova.classify_error("リクエストがタイムアウトしました")

    assert result.confidence > 0.0
    assert result.runner_up is not None
    assert "timeout" in {result.category, result.runner_up.category}


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_blank_message_is_unknown(blank: str) -> None:
    result = nova.classify_error(blank)

    assert result.category == "unknown"
    assert result.confidence == 0.0
    assert result.runner_up is None


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [("ratelimited", 429, "rate_limited"), ("ECONNREFUSED", None, "network_error")],
)
def test_blank_message_uses_code_and_status(code: str, status: int | None, expected: str) -> None:
    assert nova.classify_error("", error_code=code, http_status=status).category == expected


@pytest.mark.parametrize(
    ("message", "provider", "expected"),
    [
        ("invalid_auth", "slack", "invalid_credentials"),
        ("channel_not_found", "slack", "not_found"),
        ("TOKEN_EXPIRED", None, "token_expired"),
        ("rate-limited", None, "rate_limited"),
    ],
)
def test_bare_code_message_reads_as_code(message: str, provider: str | None, expected: str) -> None:
    alone = nova.classify_error(message, provider=provider)
    as_code = nova.classify_error(message, error_code=message, provider=provider)

    assert alone.category == expected
    assert alone.confidence == as_code.confidence


def test_plain_word_is_not_a_code() -> None:
    as_message = nova.classify_error("Unauthorized", http_status=401)
    as_code = nova.classify_error("Unauthorized", error_code="Unauthorized", http_status=401)

    assert as_message.confidence != as_code.confidence


def test_blank_message_with_status_alone_is_unsure() -> None:
    result = nova.classify_error("", http_status=429)

    # A bare 429 is a rate limit or an exhausted quota. The model leans to rate_limited but
    # stays unsure. Near the threshold it returns rate_limited with quota_exceeded as the
    # runner-up, and below it unknown with rate_limited as the runner-up.
    assert result.runner_up is not None
    if result.category == "unknown":
        assert result.runner_up.category == "rate_limited"
    else:
        assert (result.category, result.runner_up.category) == ("rate_limited", "quota_exceeded")
    assert result.confidence < 0.8


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"message": None}, TypeError, "message must be a string"),
        ({"message": b"bytes"}, TypeError, "message must be a string"),
        ({"message": "x", "http_status": 99}, ValueError, "100-599"),
        ({"message": "x", "http_status": 700}, ValueError, "100-599"),
        ({"message": "x", "http_status": "403"}, TypeError, "http_status must be an integer"),
        ({"message": "x", "http_status": True}, TypeError, "http_status must be an integer"),
        (
            {"message": "x", "error_code": 42},
            TypeError,
            r"error_code must be a string.*as a string, such as '42'",
        ),
        ({"message": "x", "provider": ["a"]}, TypeError, "provider must be a string or None"),
    ],
)
def test_bad_input_is_rejected(
    arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    message = arguments.pop("message")

    with pytest.raises(error, match=match):
        nova.classify_error(message, **arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize("unit", ["x", "1", "a-", "a.", "'a", "ab1_", "a@"])
def test_classify_long_unbroken_word(unit: str) -> None:
    # A pattern tried from every position of a 200,000-character run would take minutes.
    # The classifier reads the clipped text, so both calls must agree.
    message = unit * (200_000 // len(unit))

    result = nova.classify_error(message, http_status=400)

    assert result == nova.classify_error(clip_message(message), http_status=400)


def test_clip_message_head_and_tail() -> None:
    message = "Traceback (most recent call last):" + " frame" * 2_000 + " ValueError: bad date"

    clipped = clip_message(message)

    assert len(clipped) == MESSAGE_HEAD_CHARS + MESSAGE_TAIL_CHARS + len(" ... ")
    assert clipped.startswith("Traceback (most recent call last):")
    assert clipped.endswith("ValueError: bad date")
    assert clip_message("short message") == "short message"


def test_classify_long_trace_tail() -> None:
    trace = "Traceback (most recent call last):" + ' File "job.py", line 12' * 400
    trace_and_error = f"{trace}\nhttpx.ConnectError: [Errno 111] Connection refused"

    def top_two(message: str) -> set[str]:
        result = nova.classify_error(message)
        assert result.runner_up is not None
        return {result.category, result.runner_up.category}

    # The frames alone read as an unexplained crash. The exception after them, 9,000
    # characters in, brings in the network error.
    assert "network_error" in top_two(trace_and_error)
    assert "network_error" not in top_two(trace)


def test_runner_up_differs_from_category() -> None:
    records = [
        {"message": row[0], "error_code": row[1], "http_status": row[3]} for row in REAL_ERRORS
    ]
    # The model itself ranks "unknown" first for the n8n message, below the threshold.
    records += [
        {"message": 'ERROR: no data, execute "Lookup Contact" node first', "provider": "n8n"},
        *({"message": noise} for noise in ("asdf qwerty", "zzzz", "Error: [object Object]")),
    ]

    for result in nova.classify_errors(records):
        if result.runner_up is not None:
            assert result.runner_up.category != result.category


def test_batch_matches_single_calls() -> None:
    records = [
        {"message": row[0], "error_code": row[1], "provider": row[2], "http_status": row[3]}
        for row in REAL_ERRORS[:10]
    ]

    batch = nova.classify_errors(records)
    single = [
        nova.classify_error(
            r["message"],
            error_code=r["error_code"],
            provider=r["provider"],
            http_status=r["http_status"],
        )
        for r in records
    ]

    assert batch == single


def test_batch_of_nothing_is_empty() -> None:
    assert nova.classify_errors([]) == []


def test_committed_model_has_only_trusted_types() -> None:
    untrusted = skops.io.get_untrusted_types(file=model_path())

    assert set(untrusted) <= set(TRUSTED_TYPES)


def test_model_with_other_type_is_rejected(tmp_path: Path) -> None:
    skops.io.dump(
        {"pipeline": Fraction(1, 3), "unknown_threshold": 0.1}, tmp_path / "error_classifier.skops"
    )

    with pytest.raises(
        skops.io.exceptions.UntrustedTypesFoundException, match=r"fractions\.Fraction"
    ):
        ErrorClassifier.load(tmp_path / "error_classifier.skops")


def test_missing_model_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="synctoscale nova train errors"):
        ErrorClassifier.load(tmp_path / "error_classifier.skops")


def test_models_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NOVA_MODELS_DIR", str(tmp_path))

    assert models_dir() == tmp_path


def test_committed_model_meets_recorded_metrics() -> None:
    metrics = json.loads((models_dir() / METRICS_FILENAME).read_text())
    examples = load_examples()
    development, _ = split_examples(examples, load_split())
    artefact = skops.io.load(model_path(), trusted=TRUSTED_TYPES)

    fit = training_fit(artefact["pipeline"], development, artefact["unknown_threshold"])

    assert metrics["dataset"]["sha256"] == dataset_fingerprint(examples)
    assert metrics["unknown_threshold"] == artefact["unknown_threshold"]
    assert fit == metrics["training_set"]


def test_recorded_grouped_figures_are_complete() -> None:
    metrics = json.loads((models_dir() / METRICS_FILENAME).read_text())
    development = metrics["dataset"]["development"]

    assert metrics["setting"] == "full"
    assert metrics["split"] == "leave one development provider group out"
    assert metrics["folds"] == development["provider_groups"]
    assert set(metrics["grouped_cv"]["f1_per_category"]) == set(nova.CATEGORIES)
    assert 0.0 < metrics["grouped_cv"]["macro_f1"] <= 1.0


def test_recorded_frozen_figures_are_complete() -> None:
    metrics = json.loads((models_dir() / METRICS_FILENAME).read_text())
    frozen = metrics["dataset"]["frozen_test"]

    assert frozen["examples"] == load_split().frozen_rows
    assert set(metrics["frozen_test"]["f1_per_category"]) == set(nova.CATEGORIES)
    assert 0.0 < metrics["frozen_test"]["macro_f1"] <= 1.0
    assert 0.0 < metrics["frozen_test_without_threshold"]["macro_f1"] <= 1.0


@pytest.mark.parametrize("jobs", ["0", "-2"])
def test_train_rejects_bad_jobs(
    jobs: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The output folder keeps the committed model safe should the check ever let training run.
    with pytest.raises(SystemExit) as exit_info:
        train_main(["--jobs", jobs, "--quick", "--models-dir", str(tmp_path)])

    assert exit_info.value.code == 2
    assert f"--jobs must be 1 or more, not {jobs}" in capsys.readouterr().err
