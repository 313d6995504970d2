"""Log formatting, installed from inside the application so that it holds in every worker.

``install(ops)`` gives the ``accord`` loggers one handler (standard error) in readable
text or, with ``ACCORD_LOG_FORMAT=json``, one JSON object per line, and puts the
credential filter (accord.ops.redact) on every handler of the process: Accord's, the root
logger's and uvicorn's (its error log and tracebacks, and its access log if it is on).
Lines carry the request id of the request they belong to.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import sys
from typing import Any

from accord.ops.redact import redact
from accord.settings import Operations

REQUEST_LOGGER = "accord.request"
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


class Redact(logging.Filter):
    """Rewrites the record in place: message, arguments, traceback and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg) if isinstance(record.msg, str) else record.msg
        if isinstance(record.args, tuple):
            record.args = tuple(_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _arg(v) for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def _arg(value: Any) -> Any:
    if isinstance(value, int | float | bool) or value is None:
        return value
    text = value if isinstance(value, str) else str(value)
    cleaned = redact(text)
    return cleaned if (cleaned != text or isinstance(value, str)) else value


def _timestamp(record: logging.LogRecord) -> str:
    when = datetime.datetime.fromtimestamp(record.created, datetime.UTC)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Text(logging.Formatter):
    """``2026-12-02T22:10:00.123Z INFO accord.request [id] message``."""

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", "")
        head = f"{_timestamp(record)} {record.levelname} {record.name}"
        line = f"{head} [{rid}] {record.getMessage()}" if rid else f"{head} {record.getMessage()}"
        if record.exc_text:
            line += "\n" + record.exc_text
        return line


class Json(logging.Formatter):
    """One JSON object per line; a request line's fields are top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        else:
            out["message"] = record.getMessage()
        rid = getattr(record, "request_id", "")
        if rid and "request_id" not in out:
            out["request_id"] = rid
        if record.exc_text:
            out["exception"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


_installed: list[logging.Handler] = []


def install(ops: Operations) -> None:
    """Idempotent: a second application in the same process replaces the handler."""
    accord = logging.getLogger("accord")
    for old in _installed:
        accord.removeHandler(old)
    _installed.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(Json() if ops.log_format == "json" else Text())
    accord.addHandler(handler)
    _installed.append(handler)
    accord.propagate = False
    # uvicorn's --log-level decides for Accord's lines too (warning hides request lines).
    level = logging.getLogger("uvicorn.error").level
    accord.setLevel(level if level != logging.NOTSET else logging.INFO)
    guard_every_handler()


def guard_every_handler() -> None:
    """The credential filter on every handler of every logger known now."""
    loggers = [logging.getLogger(), logging.getLogger("accord"),
               *(logging.getLogger(n) for n in _UVICORN),
               *(v for v in logging.Logger.manager.loggerDict.values()
                 if isinstance(v, logging.Logger))]
    handlers = {id(h): h for lg in loggers for h in lg.handlers}
    handlers.update({id(h): h for h in (logging.lastResort,) if h is not None})
    for handler in handlers.values():
        if not any(isinstance(f, Redact) for f in handler.filters):
            handler.addFilter(Redact())


def request_line(fields: dict[str, Any], text: str, level: int = logging.INFO) -> None:
    logging.getLogger(REQUEST_LOGGER).log(level, text, extra={"fields": fields})
