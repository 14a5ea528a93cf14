from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_confirmed_at", timezone.now())  # created by an operator who vouches for it
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address.

    Role: staff (is_staff), Hub coordinator (hub set), commune agent (approved memberships).
    """

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    hub = models.ForeignKey(
        "territories.Hub",
        verbose_name="Hub coordonné",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinators",
    )
    # Set when the person proved they read this mailbox: the sign-up confirmation link, or a password (re)set link
    # (invitations included). Until then their membership requests wait ("unconfirmed") and reach nobody.
    email_confirmed_at = models.DateTimeField("adresse confirmée le", null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def email_domain(self) -> str:
        return self.email.rpartition("@")[2].lower()

    @property
    def is_coordinator(self) -> bool:
        return self.hub_id is not None


class Membership(models.Model):
    """An agent's membership of a commune, requested by the agent or offered by a coordinator."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Adresse e-mail à confirmer"
        PENDING = "pending", "En attente"
        APPROVED = "approved", "Acceptée"
        REFUSED = "refused", "Refusée"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    message = models.TextField("message", blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="decided_memberships"
    )
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="sent_invitations"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "commune"], name="unique_membership")]
        indexes = [models.Index(fields=["status", "commune"])]

    def __str__(self):
        return f"{self.user} → {self.commune_id} ({self.get_status_display()})"
