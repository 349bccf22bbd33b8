"""Writes to tasks, projects and batches: keyword-only functions called explicitly
by views, the API, management commands and imports (one code path for each write).

Every function validates first and changes nothing when it raises:
ValidationProblem (400), NotFound (404) or Conflict (409). Import from here
(`from labeling import services`); the submodules are an implementation detail.
"""

from labeling.services.base import Conflict, NotFound, get_task_type
from labeling.services.batches import (
    create_batch,
    finalize_batch,
    refresh_batch_status,
    set_batch_metadata,
)
from labeling.services.projects import create_project, set_project_params, validate_project_params
from labeling.services.tasks import (
    TagMode,
    audit_task,
    cancel_task,
    change_task_tags,
    clear_task_unique_id,
    create_task,
    merge_params,
    prepare_rendered,
    set_task_metadata,
    set_task_unique_id,
)

__all__ = [
    "Conflict",
    "NotFound",
    "TagMode",
    "audit_task",
    "cancel_task",
    "change_task_tags",
    "clear_task_unique_id",
    "create_batch",
    "create_project",
    "create_task",
    "finalize_batch",
    "get_task_type",
    "merge_params",
    "prepare_rendered",
    "refresh_batch_status",
    "set_batch_metadata",
    "set_project_params",
    "set_task_metadata",
    "set_task_unique_id",
    "validate_project_params",
]
