"""Schemathesis against the app's own OpenAPI: generated requests (valid and invalid) as users
of several roles in two tenants never get a 5xx, nor a response the OpenAPI does not describe.

GIAMSAT_FUZZ_EXAMPLES sets the examples per operation and mode (default small enough for CI),
GIAMSAT_FUZZ_ONLY limits the run to the operations whose label contains it.
Every operation runs, and the test reports every failing one at once, without shrinking."""

from __future__ import annotations

import os
from traceback import format_exc

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks

EXAMPLES = int(os.environ.get("GIAMSAT_FUZZ_EXAMPLES", "5"))
#: Only the operations whose label (`POST /api/v1/…`) contains this text (to chase one failure).
ONLY = os.environ.get("GIAMSAT_FUZZ_ONLY", "")

#: (tenant, fixture user) whose tokens the requests carry.
IDENTITIES = (
    ("alpha", "admin"),
    ("alpha", "x-staff"),
    ("alpha", "x-reader"),
    ("beta", "y-admin"),
    ("beta", "x-admin"),
)

#: A crash, or a response the OpenAPI does not describe (status, content type, headers, body).
#: Not "a schema-valid request is accepted": the operations' own rules refuse many of those.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=False,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: report, do not minimise
    suppress_health_check=list(HealthCheck),
)


def _fuzz(operation, mode: GenerationMode, tokens: dict, found: list[str]) -> None:
    @FUZZ_SETTINGS
    @given(who=st.sampled_from(IDENTITIES), case=operation.as_strategy(generation_mode=mode))
    def run(who, case):
        if found:
            return  # one failure per operation is enough to report it
        case.path_parameters = {**(case.path_parameters or {}), "tenant": who[0]}
        try:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {tokens[who]}"}, checks=CHECKS
            )
        except (Exception, BaseExceptionGroup) as error:  # reported below, with the request
            detail = str(error) if isinstance(error, BaseExceptionGroup) else format_exc()
            found.append(f"{operation.label} [{mode.value}, {who}]:\n{detail}")

    run()


def _failures_of(operation, tokens: dict[tuple[str, str], str]) -> list[str]:
    found: list[str] = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        _fuzz(operation, mode, tokens, found)
    return found


def test_api_never_fails_on_input(app, api_token):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash must come back as the 500 it would be
    tokens = {who: api_token(*who) for who in IDENTITIES}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if ONLY in operation.label:
            failures += _failures_of(operation, tokens)
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
