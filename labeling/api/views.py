"""The /v1 task endpoints (Scale's). Views are thin: parse, call services, serialize."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from labeling import services
from labeling.api.base import api_view, read_json
from labeling.api.lookups import get_task
from labeling.api.query import Query
from labeling.api.serializers import task_to_dict
from labeling.models import Account


def _create_task(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    # POST task/<type> creates; GET task/<task_id> retrieves (same path shape).
    payload = read_json(request, allow_empty=False)
    task = services.create_task(account=account, type_name=name, payload=payload)
    return task_to_dict(task)


def _retrieve_task(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    return task_to_dict(get_task(account, name))


def _cancel(request: HttpRequest, account: Account, task_id: str) -> dict[str, Any]:
    clear = Query(request, {"clear_unique_id"}).boolean("clear_unique_id")
    task = services.cancel_task(task=get_task(account, task_id), clear_unique_id=clear)
    return task_to_dict(task)


def _set_unique_id(request: HttpRequest, account: Account, task_id: str) -> dict[str, Any]:
    payload = read_json(request, allow_empty=False)
    task = services.set_task_unique_id(task=get_task(account, task_id), payload=payload)
    return task_to_dict(task)


def _clear_unique_id(request: HttpRequest, account: Account, task_id: str) -> dict[str, Any]:
    return task_to_dict(services.clear_task_unique_id(task=get_task(account, task_id)))


def _set_metadata(request: HttpRequest, account: Account, task_id: str) -> dict[str, Any]:
    metadata = read_json(request, allow_empty=False)
    task = services.set_task_metadata(task=get_task(account, task_id), metadata=metadata)
    return task_to_dict(task)


def _tags_handler(mode: services.TagMode):
    def handler(request: HttpRequest, account: Account, task_id: str) -> dict[str, Any]:
        tags = read_json(request, allow_empty=False)
        task = services.change_task_tags(task=get_task(account, task_id), tags=tags, mode=mode)
        return task_to_dict(task)

    handler.__name__ = f"tags_{mode}"
    return handler


def _audit(request: HttpRequest, account: Account, task_id: str) -> dict[str, Any]:
    payload = read_json(request, allow_empty=False)
    task = services.audit_task(task=get_task(account, task_id), payload=payload)
    return task_to_dict(task)


task = api_view({"GET": _retrieve_task, "POST": _create_task})
task_cancel = api_view({"POST": _cancel})
task_unique_id = api_view({"POST": _set_unique_id, "DELETE": _clear_unique_id})
task_set_metadata = api_view({"POST": _set_metadata})
task_tags = api_view(
    {"POST": _tags_handler("set"), "PUT": _tags_handler("add"), "DELETE": _tags_handler("remove")}
)
task_audit = api_view({"POST": _audit})
