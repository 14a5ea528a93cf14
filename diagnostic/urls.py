from django.urls import include, path

app_name = "diagnostic"

# Each part of the diagnostic app owns one URL module.
urlpatterns = [
    path("", include("diagnostic.questionnaire.urls")),
    path("", include("diagnostic.plan.urls")),
    path("", include("diagnostic.dashboard.urls")),
]
