"""The error codes runs store and ``POST /actions/run`` returns each have a Nova table entry."""

from __future__ import annotations

from nova.errors.service_codes import service_code
from synctoscale.api.actions import FAILURE_STATUS
from synctoscale.engine import steps, sweeper

# A provider failure of no known kind: the provider's own message decides its category.
LEFT_TO_MODEL = {"provider_error"}


def test_emitted_codes_have_entries() -> None:
    codes = {code for _status, code in FAILURE_STATUS.values()}
    codes |= {
        steps.MAPPING_ERROR,
        steps.VALIDATION_FAILED,
        steps.INTERNAL_ERROR,
        steps.CONNECTION_REQUIRED,
        sweeper.WORKER_LOST,
    }

    missing = sorted(code for code in codes - LEFT_TO_MODEL if service_code(code, None) is None)

    assert missing == []
