"""Demo accounts and diagnostics, clearly labelled as a demonstration (Diagnostic.is_demo=True).

    python manage.py seed_demo

Needs the communes of Boulleret (18032) and Villeurbanne (69266) and their Hubs (load_open_data). Idempotent: run it
again and nothing is duplicated; existing demo diagnostics are left as they are, and a real (non-demo) diagnostic
is never touched. Every demo account uses DEMO_PASSWORD; never run this on a production site.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from diagnostic.models import Diagnostic
from diagnostic.questionnaire.services import create_diagnostic, save_answers, submit_diagnostic
from inclusion.accounts.models import Membership, User
from territories.models import Commune

DEMO_PASSWORD = "demo-inclusion-2026"
BOULLERET, VILLEURBANNE = "18032", "69266"

# Plausible answers for a small rural commune of the Cher (demonstration only).
BOULLERET_ANSWERS = {
    "eq_public_computers": 1,
    "eq_public_computer_hours": 6,
    "eq_printer_scanner": "yes",
    "eq_wifi_public_buildings": "no",
    "eq_loan_refurbished": "none",
    "eq_needs_reported": ["seniors", "jobseekers"],
    "co_fixed_gaps": "some",
    "co_mobile_gaps": "some",
    "co_complaints": "sometimes",
    "co_reported_gaps": "no",
    "co_outdoor_wifi": "no",
    "co_fibre_schedule": "yes",
    "sk_trained_agents": 1,
    "sk_aidants_connect": "no",
    "sk_conseiller_numerique": "visits",
    "sk_drop_in": "monthly",
    "sk_workshops": "unknown",
    "sk_referral": "yes",
    "ac_online_procedures": ["civil_status", "school"],
    "ac_offline_alternative": "all",
    "ac_statement": "unknown",
    "ac_plain_language": "no",
    "ac_desk_help": "yes",
    "ac_phone_hours": 18,
    "st_hub_contact": "no",
    "st_fne_roadmap": "not_aware",
    "st_partners": ["ccas", "epci"],
    "st_budget": "no",
    "st_referent": "no",
    "st_elections_help": "yes",
}
BOULLERET_COMMENTS = {
    "sk_conseiller_numerique": "Une conseillère numérique de la communauté de communes passe un mardi sur deux.",
    "co_fixed_gaps": "Deux hameaux attendent la fibre (exemple de démonstration).",
}
# A city's draft: equipment, connectivity and the commune's own services filled in (demonstration only).
VILLEURBANNE_ANSWERS = {
    "eq_public_computers": 24,
    "eq_public_computer_hours": 35,
    "eq_printer_scanner": "yes",
    "eq_wifi_public_buildings": "yes",
    "eq_loan_refurbished": "refurbished",
    "eq_needs_reported": ["seniors", "young", "families"],
    "co_fixed_gaps": "none",
    "co_mobile_gaps": "none",
    "co_complaints": "sometimes",
    "co_reported_gaps": "unknown",
    "co_outdoor_wifi": "yes",
    "co_fibre_schedule": "yes",
    "ac_online_procedures": ["civil_status", "school", "planning", "payment", "booking"],
    "ac_offline_alternative": "most",
    "ac_statement": "yes",
    "ac_plain_language": "unknown",
    "ac_desk_help": "yes",
    "ac_phone_hours": 35,
}

ACCOUNTS = [
    # (e-mail, first name, last name, role, commune or hub of the commune)
    ("agent.boulleret@demo.invalid", "Camille", "Martin (démo)", "agent", BOULLERET),
    ("agent.villeurbanne@demo.invalid", "Samir", "Benali (démo)", "agent", VILLEURBANNE),
    ("agent.attente@demo.invalid", "Lucie", "Petit (démo)", "pending", BOULLERET),
    ("coordination.hub-lo@demo.invalid", "Hélène", "Coordination Hub-Lo (démo)", "coordinator", BOULLERET),
    ("coordination.hinaura@demo.invalid", "Marc", "Coordination Hinaura (démo)", "coordinator", VILLEURBANNE),
    ("equipe@demo.invalid", "Équipe", "Démonstration", "staff", None),
]


class Command(BaseCommand):
    help = "Crée les comptes et diagnostics de démonstration (idempotent). Nécessite les données ouvertes."

    def handle(self, *args, **options):
        communes = {
            c.insee: c
            for c in Commune.objects.select_related("departement__hub").filter(insee__in=[BOULLERET, VILLEURBANNE])
        }
        missing = [code for code in (BOULLERET, VILLEURBANNE) if code not in communes]
        if missing:
            raise CommandError(
                "Communes de démonstration absentes (" + ", ".join(missing) + ") : chargez d'abord les données "
                "ouvertes, par exemple « python manage.py load_open_data --departements 18 69 » (ou « make data »)."
            )
        with transaction.atomic():
            users = {
                email: self._account(email, first, last, role, communes.get(code))
                for email, first, last, role, code in ACCOUNTS
            }
            year = timezone.localdate().year
            self._diagnostic(
                communes[BOULLERET],
                users["agent.boulleret@demo.invalid"],
                year,
                BOULLERET_ANSWERS,
                BOULLERET_COMMENTS,
                submit=True,
            )
            self._diagnostic(
                communes[VILLEURBANNE],
                users["agent.villeurbanne@demo.invalid"],
                year,
                VILLEURBANNE_ANSWERS,
                {},
                submit=False,
            )
        self.stdout.write(self.style.SUCCESS(f"Comptes de démonstration prêts (mot de passe : {DEMO_PASSWORD})."))
        for email, *_ in ACCOUNTS:
            self.stdout.write(f"  {email}")

    def _account(self, email, first_name, last_name, role, commune):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                email_confirmed_at=timezone.now(),  # demo addresses count as confirmed
            )
        if role == "staff":
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        elif role == "coordinator":
            hub = commune.departement.hub
            if hub is None:
                self.stderr.write(f"{commune} n'a pas de Hub : {email} reste sans Hub.")
            elif user.hub_id != hub.pk:
                user.hub = hub
                user.save(update_fields=["hub"])
        else:
            status = Membership.Status.APPROVED if role == "agent" else Membership.Status.PENDING
            Membership.objects.get_or_create(
                user=user,
                commune=commune,
                defaults={
                    "status": status,
                    "message": "Compte de démonstration",
                    "decided_at": (timezone.now() if status == Membership.Status.APPROVED else None),
                },
            )
        return user

    def _diagnostic(self, commune, agent, year, answers, comments, *, submit):
        existing = Diagnostic.objects.filter(commune=commune, year=year).first()
        if existing is not None:
            if not existing.is_demo:
                self.stderr.write(f"{commune} a déjà un vrai diagnostic {year} : il n'est pas modifié.")
            return existing
        diagnostic = create_diagnostic(commune=commune, user=agent, year=year, is_demo=True)
        save_answers(diagnostic=diagnostic, user=agent, answers=answers, comments=comments)
        if submit:
            submit_diagnostic(diagnostic=diagnostic, user=agent)
        return diagnostic
