from django.urls import path

from diagnostic.questionnaire import views

# Included by diagnostic/urls.py (namespace "diagnostic").
urlpatterns = [
    path("communes/<str:insee>/diagnostic/nouveau/", views.create, name="create"),
    path("diagnostics/<int:pk>/etapes/<int:step>/", views.step, name="step"),
    path("diagnostics/<int:pk>/relecture/", views.summary, name="summary"),
    path("diagnostics/<int:pk>/transmettre/", views.submit, name="submit"),
    path("diagnostics/<int:pk>/historique/", views.history, name="history"),
]
