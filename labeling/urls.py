from django.urls import include, path

from labeling import registry, views
from labeling.review import views as review_views

urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue_home, name="queue"),
    path("queue/next/", views.queue_next, name="queue-next"),
    path("label/<str:task_id>/", views.label, name="label"),
    path("label/<str:task_id>/lease/", views.label_lease, name="label-lease"),
    path("label/<str:task_id>/release/", views.label_release, name="label-release"),
    path("label/<str:task_id>/done/", views.label_done, name="label-done"),
    path("batches/<str:name>/", views.batch_detail, name="batch-detail"),
    path("review/", review_views.review_list, name="review-list"),
    path("review/<str:task_id>/", review_views.review_task, name="review-task"),
    path("review/<str:task_id>/accept/", review_views.review_accept, name="review-accept"),
    path("review/<str:task_id>/reject/", review_views.review_reject, name="review-reject"),
    path("review/<str:task_id>/fix/", review_views.review_fix, name="review-fix"),
]

# Each task type may add HTMX endpoints of its own, mounted under /t/<name>/.
for _task_type in registry.all_types():
    _extra = _task_type.urls()
    if _extra:
        urlpatterns.append(path(f"t/{_task_type.name}/", include(_extra)))
