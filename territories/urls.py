from django.urls import path

from territories import views

app_name = "territories"

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("sources/", views.sources, name="sources"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
