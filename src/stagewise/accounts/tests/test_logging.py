"""Application logs never carry learner data."""

import logging

from stagewise.logging_filters import RedactQueryStrings


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
