from django.contrib import admin
from django.urls import include, path

from labeling import auth_views

urlpatterns = [
    # Both log-in forms count failed attempts (labeling/auth_views.py).
    path("admin/login/", auth_views.admin_login),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.login, name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("v1/", include("labeling.api.urls")),
    path("", include("labeling.urls")),
]
