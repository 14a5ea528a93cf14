from django.urls import path

from inclusion.accounts import views, views_personal_data

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    path("inscription/confirmer/<uidb64>/<token>/", views.confirm_email_view, name="confirm_email"),
    path("inscription/communes/", views.commune_suggestions, name="commune_suggestions"),
    path("mon-espace/", views.home, name="home"),
    path("mon-espace/donnees/", views_personal_data.personal_data, name="personal_data"),
    path("mon-espace/donnees/telecharger/", views_personal_data.personal_data_export, name="personal_data_export"),
    path("mon-espace/supprimer-mon-compte/", views_personal_data.account_delete, name="account_delete"),
    path("adhesions/", views.memberships, name="memberships"),
    path("adhesions/demander/", views.join, name="join"),
    path("adhesions/inviter/", views.invite, name="invite"),
    path("adhesions/<int:pk>/decision/", views.membership_decide, name="membership_decide"),
    path(
        "adhesions/<int:pk>/renvoyer-invitation/",
        views.membership_resend_invitation,
        name="membership_resend_invitation",
    ),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/nouveau/termine/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
