from django.urls import path

from labeling.api import views
from labeling.api.callbacks import task_callbacks

urlpatterns = [
    # POST task/<type> creates a task; GET task/<task_id> retrieves one.
    path("task/<str:name>", views.task, name="api-task"),
    path("task/<str:task_id>/callbacks", task_callbacks, name="api-task-callbacks"),
]
