from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("inclusion.accounts.urls")),
    path("", include("diagnostic.urls")),
    path("", include("territories.urls")),
    path("", include("inclusion.legal.urls")),
]

handler404 = "territories.views.page_not_found"
