"""Application logs never carry learner data."""

import io
import json
import logging
from collections.abc import Iterator
from sys import exc_info as sys_exc_info

import pytest

from stagewise.logging_filters import JsonLinesFormatter, RedactQueryStrings
from stagewise.request_logging import AddRequestContext


def make_record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("django.server", logging.INFO, __file__, 1, message, args, None)


def test_a_search_for_a_learner_by_name_leaves_no_name_in_the_request_log():
    record = make_record('"%s" %s %s', "GET /learners/?name=Ailsa+Campbell HTTP/1.1", "200", "9")

    RedactQueryStrings().filter(record)

    line = record.getMessage()
    assert "Ailsa" not in line
    assert "/learners/?[redacted]" in line


def test_messages_without_query_strings_are_left_alone():
    record = make_record("Not Found: %s", "/learners/3f1c/")

    RedactQueryStrings().filter(record)

    assert record.getMessage() == "Not Found: /learners/3f1c/"


def test_the_console_handler_applies_the_redaction():
    from django.conf import settings

    console: dict = settings.LOGGING["handlers"]["console"]  # type: ignore[index]
    assert "redact_query_strings" in console["filters"]


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """What django.request writes, through the production console handler's filters and format."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.addFilter(RedactQueryStrings())
    handler.addFilter(AddRequestContext())
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield written
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_logged_request_is_one_json_line_with_its_id_and_path_and_no_query(client, request_log):
    response = client.get(
        "/no-such-page/?name=Ailsa+Campbell", HTTP_X_REQUEST_ID="proxy-request-1234"
    )

    lines = request_log.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert entry["request_id"] == "proxy-request-1234" == response["X-Request-ID"]
    assert entry["path"] == "/no-such-page/"
    assert entry["status_code"] == 404
    assert {"time", "message"} <= entry.keys()
    assert "Ailsa" not in request_log.getvalue()


@pytest.mark.django_db
def test_a_request_id_that_could_forge_log_lines_is_replaced(client):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID='x"}\n{"level": "forged"')

    assert response["X-Request-ID"] != 'x"}\n{"level": "forged"'
    assert len(response["X-Request-ID"]) == 32


def test_an_exception_in_the_log_has_its_query_strings_cut_too():
    try:
        raise ValueError("bad page /learners/?name=Ailsa+Campbell")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Failed", (), exc_info=sys_exc_info()
        )

    entry = json.loads(JsonLinesFormatter().format(record))

    assert "Ailsa" not in entry["exception"] and "ValueError" in entry["exception"]
