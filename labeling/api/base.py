"""The /v1 plumbing: auth, JSON in and out, and errors as {"error": "..."}."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from labeling.api.auth import account_for_request
from labeling.errors import ValidationProblem
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
    body = request.body
    if not body.strip():
        if allow_empty:
            return default
        raise ApiError(400, "request body: a JSON body is required")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"request body: malformed JSON ({exc})") from exc


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
    return view
