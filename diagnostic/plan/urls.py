"""URLs of the action plan (diagnostic.plan.views)."""

from django.urls import path

from diagnostic.plan import views

urlpatterns = [
    path("diagnostics/<int:pk>/plan/", views.plan, name="plan"),
    path("diagnostics/<int:pk>/plan/mesures/<int:measure>/", views.plan_measure, name="plan_measure"),
    path("diagnostics/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("diagnostics/<int:pk>/plan.csv", views.plan_csv_view, name="plan_csv"),
    path("diagnostics/<int:pk>/plan/publication/", views.plan_publication, name="plan_publication"),
    path("plans/<str:insee>/<int:year>/", views.published_plan, name="published_plan"),
    path(
        "diagnostics/<int:pk>/deliberation.odt",
        views.plan_deliberation,
        {"extension": "odt"},
        name="plan_deliberation_odt",
    ),
    path(
        "diagnostics/<int:pk>/deliberation.docx",
        views.plan_deliberation,
        {"extension": "docx"},
        name="plan_deliberation_docx",
    ),
]
