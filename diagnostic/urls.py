from django.urls import include, path

app_name = "diagnostic"

# Each part of the diagnostic app owns one URL module.
urlpatterns = [
    path("", include("diagnostic.urls_questionnaire")),
    path("", include("diagnostic.urls_plan")),
    path("", include("diagnostic.urls_dashboard")),
]
