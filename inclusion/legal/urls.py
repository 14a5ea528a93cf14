from django.urls import path

from inclusion.legal import views

app_name = "legal"

urlpatterns = [
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data_policy, name="personal_data_policy"),
]
