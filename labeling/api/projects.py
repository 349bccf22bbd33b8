"""The /v1 project endpoints (Scale's): create, list, retrieve, setParams."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from labeling import services
from labeling.api.base import api_view, read_json
from labeling.api.lookups import get_project
from labeling.api.serializers import project_to_dict
from labeling.models import Account, Project


def _create(request: HttpRequest, account: Account) -> dict[str, Any]:
    payload = read_json(request, allow_empty=False)
    return project_to_dict(services.create_project(account=account, payload=payload))


def _list(request: HttpRequest, account: Account) -> list[dict[str, Any]]:
    # A plain list, as the scaleapi client's projects() expects (no paging).
    projects = Project.objects.filter(account=account).order_by("created_at", "id")
    return [project_to_dict(project) for project in projects]


def _retrieve(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    return project_to_dict(get_project(account, name, field="name"))


def _set_params(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    project = get_project(account, name, field="name")
    payload = read_json(request, allow_empty=False)
    return project_to_dict(services.set_project_params(project=project, payload=payload))


projects = api_view({"GET": _list, "POST": _create})
project = api_view({"GET": _retrieve})
project_set_params = api_view({"POST": _set_params})
