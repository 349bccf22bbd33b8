"""GET /v1/tasks: Scale's task list with every filter the scaleapi client sends,
and cursor pagination (keyset on the internal id, oldest first).

A keyset cursor ("the rows after id N") stays correct while tasks are being
created: new rows get higher ids and show up on later pages, and no row is
skipped or repeated the way it would be with OFFSET paging."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest

from labeling import registry
from labeling.api.base import ApiError, api_view
from labeling.api.lookups import get_batch, get_project
from labeling.api.query import Query, decode_token, encode_token
from labeling.api.serializers import task_to_dict
from labeling.models import Account, Task

MAX_LIMIT = 100

PARAMS = {
    "project",
    "batch",
    "type",
    "status",
    "customer_review_status",
    "unique_id",
    "tags",
    "start_time",
    "end_time",
    "created_after",
    "created_before",
    "completed_after",
    "completed_before",
    "updated_after",
    "updated_before",
    "limit",
    "next_token",
    "include_attachment_url",
    "limited_response",
}

# field -> (query parameters giving its lower bound, upper bound); bounds are inclusive.
DATE_RANGES = {
    "created_at": (("created_after", "start_time"), ("created_before", "end_time")),
    "completed_at": (("completed_after",), ("completed_before",)),
    "updated_at": (("updated_after",), ("updated_before",)),
}


def _has_tag(tag: str) -> Q | RawSQL:
    """A filter() condition: the task's tags list contains `tag`. PostgreSQL
    has JSON containment; SQLite has no `contains` lookup on JSON, so it asks
    json_each (SQLite's JSON1, built in)."""
    if connection.vendor != "sqlite":
        return Q(tags__contains=[tag])
    table = Task._meta.db_table
    # The tag is a bound parameter; only our own table name is interpolated.
    return RawSQL(  # noqa: S611
        f'EXISTS (SELECT 1 FROM json_each("{table}"."tags") WHERE json_each.value = %s)',  # noqa: S608
        [tag],
        output_field=BooleanField(),
    )


def filtered_tasks(account: Account, query: Query) -> QuerySet[Task]:
    tasks = Task.objects.for_account(account)
    if (project := query.one("project")) is not None:
        tasks = tasks.filter(project=get_project(account, project))
    if (batch := query.one("batch")) is not None:
        tasks = tasks.filter(batch=get_batch(account, batch))
    if (type_name := query.one("type")) is not None:
        if registry.get(type_name) is None:
            supported = ", ".join(registry.names())
            raise ApiError(
                400, f"type: unsupported task type {type_name!r}; supported: {supported}"
            )
        tasks = tasks.filter(type=type_name)
    if statuses := query.choices("status", list(Task.Status.values)):
        tasks = tasks.filter(status__in=statuses)
    review_values = [v for v in Task.ReviewStatus.values if v]
    if reviews := query.choices("customer_review_status", review_values):
        tasks = tasks.filter(customer_review_status__in=reviews)
    if unique_ids := query.many("unique_id"):
        tasks = tasks.filter(unique_id__in=unique_ids)
    for tag in query.many("tags"):
        tasks = tasks.filter(_has_tag(tag))
    for field, (low_names, high_names) in DATE_RANGES.items():
        for name in low_names:
            if (moment := query.moment(name)) is not None:
                tasks = tasks.filter(**{f"{field}__gte": moment})
        for name in high_names:
            if (moment := query.moment(name)) is not None:
                tasks = tasks.filter(**{f"{field}__lte": moment})
    return tasks


def limited_dict(task: Task) -> dict[str, Any]:
    """`limited_response=true`: the few fields Scale documents for it."""
    return {
        "task_id": task.task_id,
        "status": task.status,
        "metadata": task.metadata,
        "project": task.project.name,
    }


def _list_tasks(request: HttpRequest, account: Account) -> dict[str, Any]:
    query = Query(request, PARAMS)
    limit = query.integer("limit", default=MAX_LIMIT, low=1, high=MAX_LIMIT)
    limited = query.boolean("limited_response")
    # Accepted for compatibility: attachments are served as given, never pre-signed.
    query.boolean("include_attachment_url", default=True)
    token = query.one("next_token")
    after_id, offset = decode_token(token) if token is not None else (0, 0)

    tasks = filtered_tasks(account, query)
    total = tasks.count()
    rows = list(
        tasks.filter(id__gt=after_id).select_related("project", "batch").order_by("id")[: limit + 1]
    )
    has_more = len(rows) > limit
    page = rows[:limit]
    serialize = limited_dict if limited else task_to_dict
    return {
        "docs": [serialize(task) for task in page],
        "total": total,
        "limit": limit,
        "offset": offset,
        "has_more": has_more,
        "next_token": encode_token(after_id=page[-1].id, offset=offset + len(page))
        if has_more
        else None,
    }


tasks = api_view({"GET": _list_tasks})
