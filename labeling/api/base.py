"""The /v1 plumbing: auth, JSON in and out, and errors as {"error": "..."}."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from labeling.api.auth import account_for_request
from labeling.errors import ValidationProblem
from labeling.schemas import check_storable
from labeling.services import Conflict, NotFound


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message
        super().__init__(message)


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message, "status_code": status}, status=status)


def read_json(request: HttpRequest, *, default: Any = None, allow_empty: bool = True) -> Any:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > settings.API_MAX_BODY_BYTES:
        raise ApiError(413, f"request body is larger than {settings.API_MAX_BODY_BYTES} bytes")
    try:
        body = request.body
    except RequestDataTooBig as exc:  # no (or a lying) Content-Length
        raise ApiError(
            413, f"request body is larger than {settings.API_MAX_BODY_BYTES} bytes"
        ) from exc
    if not body.strip():
        if allow_empty:
            return default
        raise ApiError(400, "request body: a JSON body is required")
    try:
        data = json.loads(body, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"request body: malformed JSON ({exc})") from exc
    except RecursionError as exc:
        raise ApiError(400, "request body: JSON nested too deeply") from exc
    # A \ud800 escape decodes to a lone surrogate, which no database can store.
    if b"\\ud" in body.lower():
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ApiError(
                400, "request body: contains an unpaired UTF-16 surrogate escape (\\ud800-\\udfff)"
            ) from exc
    try:
        check_storable(data)
    except ValidationProblem as exc:
        raise ApiError(400, f"request body: {exc}") from exc
    return data


# Found by tests/security/test_api_fuzz.py: NaN/Infinity (and 1e999) are not
# JSON, break PostgreSQL's jsonb and JavaScript clients, so they are refused.
def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"number {text[:30]} is out of range")
    return value


def api_view(methods: dict[str, Callable[..., Any]]) -> Callable[..., Any]:
    """Dispatch by HTTP method after authenticating; map our exceptions to statuses.

    Handlers take (request, account, **kwargs) and return a JSON-able value,
    answered with 200 (the scaleapi client treats any other 2xx as an error)."""

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> JsonResponse:
        account = account_for_request(request)
        if account is None:
            response = error(401, "missing or invalid API key (HTTP Basic, key as user name)")
            response["WWW-Authenticate"] = 'Basic realm="labelform"'
            return response
        handler = methods.get(request.method or "")
        if handler is None:
            response = error(405, f"method {request.method} not allowed")
            response["Allow"] = ", ".join(methods)
            return response
        try:
            result = handler(request, account, **kwargs)
        except ApiError as exc:
            return error(exc.status, exc.message)
        except ValidationProblem as exc:
            return error(400, str(exc))
        except NotFound as exc:
            return error(404, str(exc))
        except Conflict as exc:
            return error(409, str(exc))
        return JsonResponse(result, safe=False, json_dumps_params={"ensure_ascii": False})

    functools.update_wrapper(view, next(iter(methods.values())))
    # Read by the OpenAPI route test (tests/api/test_openapi.py) so the
    # document and the routes cannot drift apart.
    view.api_methods = tuple(methods)  # type: ignore[attr-defined]
    return view
