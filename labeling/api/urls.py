"""/v1 routes, as the scaleapi client calls them.

Project and batch names are percent-encoded by the client and decoded by the
server (`%2F` becomes `/`), hence `<path:name>`; the action routes come first,
and names may not end with an action suffix (see labeling.schemas.check_name)."""

from django.urls import path

from labeling.api import batches, openapi, projects, task_list, views
from labeling.api.callbacks import task_callbacks

urlpatterns = [
    # The OpenAPI 3.1 document of this API (public: it holds no one's data).
    path("openapi.json", openapi.openapi_json, name="api-openapi"),
    # POST task/<type> creates a task; GET task/<task_id> retrieves one.
    path("task/<str:name>", views.task, name="api-task"),
    path("task/<str:task_id>/cancel", views.task_cancel, name="api-task-cancel"),
    path("task/<str:task_id>/unique_id", views.task_unique_id, name="api-task-unique-id"),
    path("task/<str:task_id>/setMetadata", views.task_set_metadata, name="api-task-metadata"),
    path("task/<str:task_id>/tags", views.task_tags, name="api-task-tags"),
    path("task/<str:task_id>/audit", views.task_audit, name="api-task-audit"),
    path("task/<str:task_id>/callbacks", task_callbacks, name="api-task-callbacks"),
    path("tasks", task_list.tasks, name="api-tasks"),
    path("projects", projects.projects, name="api-projects"),
    path("projects/<path:name>/setParams", projects.project_set_params, name="api-project-params"),
    path("projects/<path:name>", projects.project, name="api-project"),
    path("batches", batches.batches, name="api-batches"),
    path("batches/<path:name>/finalize", batches.batch_finalize, name="api-batch-finalize"),
    path("batches/<path:name>/status", batches.batch_status, name="api-batch-status"),
    path("batches/<path:name>/setMetadata", batches.batch_set_metadata, name="api-batch-metadata"),
    path("batches/<path:name>", batches.batch, name="api-batch"),
]
