"""Every operation, called with values generated from the OpenAPI schema, answers without a
server error and as the schema says (schemathesis, against the WSGI application)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from biaoshuai.api.testing import make_token
from config.wsgi import application

EXAMPLES = 25
# A schema-valid cursor may still not be one the API issued (422): "positive data
# acceptance" does not apply; everything else must hold.
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@pytest.fixture
def keep_test_connection():
    """Called straight through WSGI, Django would close the connection that holds the test's
    transaction at the end of each request (as the test client prevents): not here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_server_errors_and_responses_match_the_schema(db, org, campaign, keep_test_connection):
    _, secret = make_token(rate_limit=1_000_000)
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append((case.operation.label, case.path_parameters, case.query, case.body))
            case.validate_response(response, checks=CHECKS, headers=headers)

        run()
    assert not failures, failures
