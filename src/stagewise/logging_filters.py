"""Keep learner data out of application logs.

Request lines carry query strings, and a learner search puts names in the query string, so query
strings are cut from every log record before it is written.
"""

import logging
import re

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
