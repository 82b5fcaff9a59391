"""Keep learner data out of application logs.

Request lines carry query strings, and a learner search puts names in the query string, so query
strings are cut from every log record before it is written.
"""

import json
import logging
import re
from datetime import UTC, datetime

_QUERY_STRING = re.compile(r"\?[^\s\"']*")


def _redact(value: object) -> object:
    if isinstance(value, str):
        return _QUERY_STRING.sub("?[redacted]", value)
    return value


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact(value) for key, value in record.args.items()}
        return True


class JsonLinesFormatter(logging.Formatter):
    """One JSON object a line, for a log collector: time (UTC), level, logger, message, and the
    request id and path when written during a request. Runs after RedactQueryStrings."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in ("request_id", "path", "status_code"):
            if (value := getattr(record, field, None)) is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = _redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)
