from django.urls import path

from labeling.api import views

urlpatterns = [
    # POST task/<type> creates a task; GET task/<task_id> retrieves one.
    path("task/<str:name>", views.task, name="api-task"),
]
