"""URLs of the action plan (diagnostic.views_plan)."""

from django.urls import path

from diagnostic import views_plan

urlpatterns = [
    path("diagnostics/<int:pk>/plan/", views_plan.plan, name="plan"),
    path("diagnostics/<int:pk>/plan/mesures/<int:measure>/", views_plan.plan_measure, name="plan_measure"),
    path("diagnostics/<int:pk>/plan.pdf", views_plan.plan_pdf, name="plan_pdf"),
    path("diagnostics/<int:pk>/plan.csv", views_plan.plan_csv_view, name="plan_csv"),
]
