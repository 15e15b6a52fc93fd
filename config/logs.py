"""Logs as JSON lines (django-structlog), each line of a request carrying its request id.

django-structlog's middleware binds `request_id` (from an `X-Request-ID` header set by the load
balancer, or a new one), `ip` and `user_id`; `partnerships.request_logging` adds the partner.
Django's and our own `logging.getLogger` lines go through the same JSON renderer, so every line
of a request can be found by its id. What is logged of a request is its method and path, with the
query string dropped and secret-looking path segments (calendar feed tokens) redacted;
passwords, API tokens (Authorization header) and file contents are never logged.
"""

from __future__ import annotations

import structlog

SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


def logging_dict(level: str, json: bool = True) -> dict:
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": SHARED_PROCESSORS,
            },
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        # One line per request (started, finished or failed) from django-structlog itself.
        "loggers": {"django_structlog": {"level": "INFO"}},
    }
