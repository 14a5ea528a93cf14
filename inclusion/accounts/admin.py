from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from inclusion.accounts.models import Membership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "hub", "is_staff", "email_confirmed_at"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "email_confirmed_at", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Rôle", {"fields": ["hub", "is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "commune", "status", "requested_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "commune", "decided_by", "invited_by"]
