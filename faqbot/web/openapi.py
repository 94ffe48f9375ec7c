"""The OpenAPI description of the HTTP API, written by hand (``GET /openapi.json``)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, get_args

from faqbot.answer import EntryRef
from faqbot.bot import MAX_QUESTION
from faqbot.models import EntryKind
from faqbot.outcome import Reason, Status

__all__ = ["ENTRY_KINDS", "MAX_DRUGS", "openapi_schema"]

MAX_DRUGS = 1000  # most drug titles one /api/drugs response lists
ENTRY_KINDS = list(get_args(EntryKind))

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "What was wrong, and the field."}},
}
_ENTRY = {
    "type": ["object", "null"],
    "description": "The knowledge entry used; null when none was.",
    "required": [f.name for f in fields(EntryRef)],
    "properties": {
        "id": {"type": "string", "example": "milnacipran:side-effects/nausea"},
        "drug": {"type": "string", "description": "The drug's title."},
        "kind": {"type": "string", "enum": ENTRY_KINDS},
        "title": {"type": "string"},
    },
}
_ANSWER = {
    "type": "object",
    "required": [
        "question",
        "answer",
        "entry",
        "confidence",
        "suggestions",
        "urgent",
        "disclaimer",
        "status",
        "reason",
        "session_id",
        "drug",
    ],
    "properties": {
        "question": {"type": "string", "description": "The question answered."},
        "answer": {
            "type": "string",
            "description": "The text to show: the answer, the fallback or a small-talk reply. "
            "When urgent, it starts with the urgent notice and a blank line.",
        },
        "entry": _ENTRY,
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "suggestions": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Topics or drugs to offer; sending one's text (or its number, "
            "from 1) picks it.",
        },
        "urgent": {"type": "boolean", "description": "The question may describe an emergency."},
        "disclaimer": {"type": "string", "description": "Always shown under the answer."},
        "status": {
            "type": "string",
            "enum": [s.value for s in Status],
            "description": "answered: an entry answers; abstained: the knowledge does not "
            "(said so, with what it covers); clarify: which drug?; smalltalk.",
        },
        "reason": {
            "type": ["string", "null"],
            "enum": [r.value for r in Reason if r.value] + [None],
            "description": "Why no entry answers (unknown_drug: no page for the drug named; "
            "topic_not_covered: the page has nothing on the topic asked; low_confidence; "
            "no_drug; ambiguous_drug), or how the entry was found (overview, topic, chosen, "
            "overdose); null when answered on the question's own words.",
        },
        "session_id": {"type": "string", "description": "Send it back to continue."},
        "drug": {"type": ["string", "null"], "description": "The drug in focus, if any."},
    },
}
_ASK = {
    "type": "object",
    "required": ["question"],
    "additionalProperties": False,
    "properties": {
        "question": {"type": "string", "maxLength": MAX_QUESTION},
        "session_id": {
            "type": ["string", "null"],
            "description": "From an earlier answer; unknown or expired ids start a new session.",
        },
    },
}


def _json(schema: object) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, **_json({"$ref": "#/components/schemas/Error"})}


# Sent by `faqbot serve` itself (faqbot.web.connections), on any path.
_SERVER = {
    "408": _error("The request head or body did not arrive in time."),
    "431": _error("The request head (line and headers) is too large."),
    "503": _error("The server holds as many connections as it may; try again."),
}
_LIMITED = {
    "429": {
        **_error("Too many requests from this client."),
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
    }
}


def openapi_schema(version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document for faqbot ``version``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "faqbot",
            "version": version,
            "description": "Answers medication questions from knowledge files. Every answer "
            "carries a disclaimer; it is not medical advice.",
        },
        "paths": {
            "/api/ask": {"post": _ask_operation()},
            "/api/drugs": {"get": _drugs_operation()},
            "/healthz": {"get": _health_operation()},
        },
        "components": {"schemas": {"AskRequest": _ASK, "Answer": _ANSWER, "Error": _ERROR}},
    }


def _ask_operation() -> dict[str, Any]:
    return {
        "summary": "Ask a question, in a session",
        "operationId": "ask",
        "requestBody": {"required": True, **_json({"$ref": "#/components/schemas/AskRequest"})},
        "responses": {
            "200": {"description": "The answer.", **_json({"$ref": "#/components/schemas/Answer"})},
            "400": _error("Malformed JSON, or a missing or wrong field (named)."),
            "413": _error("The request body is too large (it is read and dropped first)."),
            **_LIMITED,
            **_SERVER,
        },
    }


def _drugs_operation() -> dict[str, Any]:
    listing = {
        "type": "object",
        "required": ["drugs", "total"],
        "properties": {
            "drugs": {"type": "array", "items": {"type": "string"}},
            "total": {"type": "integer", "description": "How many titles match in all."},
        },
    }
    return {
        "summary": "The drugs faqbot knows, by title",
        "operationId": "drugs",
        "parameters": [
            {
                "name": "q",
                "in": "query",
                "schema": {"type": "string"},
                "description": "Only titles containing this text (any case).",
            },
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DRUGS, "default": 100},
            },
        ],
        "responses": {
            "200": {"description": "Titles in alphabetical order.", **_json(listing)},
            "400": _error("A bad query parameter (named)."),
            **_LIMITED,
            **_SERVER,
        },
    }


def _health_operation() -> dict[str, Any]:
    health = {
        "type": "object",
        "required": ["status", "drugs", "sessions"],
        "properties": {
            "status": {"type": "string", "enum": ["ok"]},
            "drugs": {"type": "integer"},
            "sessions": {"type": "integer", "description": "Sessions held now."},
        },
    }
    return {
        "summary": "Liveness",
        "operationId": "health",
        "responses": {"200": {"description": "Up.", **_json(health)}, **_SERVER},
    }
