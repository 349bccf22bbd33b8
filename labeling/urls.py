from django.urls import include, path

from labeling import registry, views

urlpatterns = [
    path("", views.home, name="home"),
    path("label/<str:task_id>/", views.label, name="label"),
    path("label/<str:task_id>/done/", views.label_done, name="label-done"),
]

# Each task type may add HTMX endpoints of its own, mounted under /t/<name>/.
for _task_type in registry.all_types():
    _extra = _task_type.urls()
    if _extra:
        urlpatterns.append(path(f"t/{_task_type.name}/", include(_extra)))
