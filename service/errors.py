"""One JSON error shape for every failure:

    {"error": {"status": 422, "code": "validation_error", "message": "...", "details": [{"loc": [...], "msg": "..."}]}}
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list | None = None) -> None:
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_body(status: int, code: str, message: str, details: list | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def _respond(status: int, code: str, message: str, details: list | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, details), status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError):
        return _respond(error.status, error.code, error.message, error.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError):
        details = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in error.errors()]
        if any(d["type"] in ("json_invalid", "json_type") for d in details):
            return _respond(400, "invalid_json", "the request body is not valid JSON in UTF-8", details)
        return _respond(422, "validation_error", "the request does not match the expected fields and values", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException):
        if error.status_code == 400 and "parsing the body" in str(error.detail):  # e.g. bytes that are not UTF-8
            return _respond(400, "invalid_json", "the request body is not valid JSON in UTF-8")
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}.get(error.status_code, "http_error")
        return _respond(error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _respond(500, "internal_error", "something went wrong on our side; the error has been logged")
