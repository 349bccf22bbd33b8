"""The /v1 batch endpoints (Scale's): create, list (offset paging), retrieve,
finalize, status counts, setMetadata."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from labeling import services
from labeling.api.base import api_view, read_json
from labeling.api.lookups import get_batch, get_project
from labeling.api.query import Query
from labeling.api.serializers import batch_to_dict
from labeling.batches import progress
from labeling.models import Account, Batch

MAX_LIMIT = 100
LIST_PARAMS = {"project", "status", "start_time", "end_time", "exclude_archived", "limit", "offset"}


def _create(request: HttpRequest, account: Account) -> dict[str, Any]:
    payload = read_json(request, allow_empty=False)
    return batch_to_dict(services.create_batch(account=account, payload=payload))


def _list(request: HttpRequest, account: Account) -> dict[str, Any]:
    query = Query(request, LIST_PARAMS)
    limit = query.integer("limit", default=MAX_LIMIT, low=1, high=MAX_LIMIT)
    offset = query.integer("offset", default=0, low=0)
    # Accepted for compatibility: labelform does not archive batches.
    query.boolean("exclude_archived")
    batches = Batch.objects.filter(account=account)
    if (project := query.one("project")) is not None:
        batches = batches.filter(project=get_project(account, project))
    if statuses := query.choices("status", list(Batch.Status.values)):
        batches = batches.filter(status__in=statuses)
    if (start := query.moment("start_time")) is not None:
        batches = batches.filter(created_at__gte=start)
    if (end := query.moment("end_time")) is not None:
        batches = batches.filter(created_at__lte=end)
    total = batches.count()
    page = list(
        batches.select_related("project").order_by("created_at", "id")[offset : offset + limit]
    )
    return {
        "docs": [batch_to_dict(batch) for batch in page],
        "total": total,
        # The scaleapi client's batches() reads `totalDocs` (Scale's older name).
        "totalDocs": total,
        "limit": limit,
        "offset": offset,
        "has_more": offset + len(page) < total,
    }


def _retrieve(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    return batch_to_dict(get_batch(account, name, field="name"))


def _finalize(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    batch = services.finalize_batch(batch=get_batch(account, name, field="name"))
    return batch_to_dict(batch)


def _status(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    batch = get_batch(account, name, field="name")
    counts = progress(batch)
    return {
        "status": batch.status,
        "pending": counts.pending,
        "completed": counts.completed,
        "error": counts.error,
        "canceled": counts.canceled,
    }


def _set_metadata(request: HttpRequest, account: Account, name: str) -> dict[str, Any]:
    batch = get_batch(account, name, field="name")
    metadata = read_json(request, allow_empty=False)
    return batch_to_dict(services.set_batch_metadata(batch=batch, metadata=metadata))


batches = api_view({"GET": _list, "POST": _create})
batch = api_view({"GET": _retrieve})
batch_finalize = api_view({"POST": _finalize})
batch_status = api_view({"GET": _status})
batch_set_metadata = api_view({"POST": _set_metadata})
