from django.urls import path

from diagnostic.dashboard import views

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/export.csv", views.export, {"fmt": "csv"}, name="dashboard_export_csv"),
    path("tableau-de-bord/export.xlsx", views.export, {"fmt": "xlsx"}, name="dashboard_export_xlsx"),
    path("tableau-de-bord/communes/<str:insee>/", views.commune_page, name="dashboard_commune"),
    path("tableau-de-bord/diagnostics/<int:pk>/avis/", views.review, name="dashboard_review"),
    path("communes/<str:insee>/progression/", views.commune_progress, name="commune_progress"),
]
