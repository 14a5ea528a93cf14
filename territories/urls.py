from django.urls import path

from territories import staff_views, views

app_name = "territories"

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("communes/<str:insee>/", views.commune, name="commune"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path("departements/<str:code>/carte/", views.departement_map, name="departement_map"),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/carte/", views.region_map, name="region_map"),
    path("regions/<str:code>/carte/carte.js", views.region_map_script, name="region_map_script"),
    path("sources/", views.sources, name="sources"),
    path("equipe/donnees/", staff_views.staff_data, name="staff_data"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
