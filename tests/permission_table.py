"""Role × URL permission table: every URL name of the URLconf must have an entry here.

Roles: anonymous, pending_agent, agent (of the commune), other_agent (of another commune), coordinator (in scope),
other_coordinator (out of scope), staff. Expected outcome per role for GET: an HTTP status code (200, 302 to login,
403, 404). `tests/test_url_permissions.py` walks the URLconf and fails when a URL name is missing.

Each team adds the entries for the URLs it creates.
"""

PUBLIC = dict.fromkeys(
    ["anonymous", "pending_agent", "agent", "other_agent", "coordinator", "other_coordinator", "staff"], 200
)

PLAN_READERS = {
    "anonymous": 302,
    "pending_agent": 404,
    "agent": 200,
    "other_agent": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}

# Hub dashboard (issue D): coordinators and staff; agents and pending agents 403; outside the Hub's territory 404.
DASHBOARD = {
    "anonymous": 302,
    "pending_agent": 403,
    "agent": 403,
    "other_agent": 403,
    "coordinator": 200,
    "other_coordinator": 200,  # their own territory's dashboard
    "staff": 200,
}
DASHBOARD_IN_SCOPE = {**DASHBOARD, "other_coordinator": 404}

# Accounts and questionnaire (issue B). URLs with a diagnostic id use the agent's own commune's (draft) diagnostic;
# accounts:membership_decide uses the pending agent's request for that commune. A pending agent sees no diagnostic
# (404, like any non-member); a coordinator or staff may read a diagnostic in scope but not edit it (403).
SIGNED_IN = {**PUBLIC, "anonymous": 302}
DECIDERS = {
    "anonymous": 302,
    "pending_agent": 403,
    "agent": 403,
    "other_agent": 403,
    "coordinator": 200,
    "other_coordinator": 200,
    "staff": 200,
}
AGENTS_ONLY = {
    "anonymous": 302,
    "pending_agent": 200,
    "agent": 200,
    "other_agent": 200,
    "coordinator": 403,
    "other_coordinator": 403,
    "staff": 403,
}
DIAGNOSTIC_READERS = {
    "anonymous": 302,
    "pending_agent": 404,
    "agent": 200,
    "other_agent": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}
DIAGNOSTIC_EDITORS = {**DIAGNOSTIC_READERS, "coordinator": 403, "staff": 403}

PERMISSIONS: dict[str, dict[str, int]] = {
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,  # GET: a confirmation button; POST signs out
    "accounts:signup": PUBLIC,  # signed-in users get a note and a link to "rejoindre une commune"
    "accounts:signup_done": PUBLIC,  # "vérifiez votre messagerie", the same page whether the address had an account
    "accounts:confirm_email": PUBLIC,  # an invalid link shows "ce lien n'est plus valable"
    "accounts:commune_suggestions": PUBLIC,  # <datalist> options for the commune field (htmx)
    "accounts:home": SIGNED_IN,
    "accounts:memberships": DECIDERS,
    "accounts:invite": DECIDERS,
    "accounts:membership_decide": {**DECIDERS, "other_coordinator": 404},
    # GET: a confirmation button (or "already has a password"); the membership must be in the decider's scope.
    "accounts:membership_resend_invitation": {**DECIDERS, "other_coordinator": 404},
    "accounts:join": AGENTS_ONLY,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,  # an invalid link shows "ce lien n'est plus valable"
    "accounts:password_reset_complete": PUBLIC,
    # Starting a diagnostic: the commune is public, so a wrong role is a 403 (never a 404).
    "diagnostic:create": {**DIAGNOSTIC_EDITORS, "pending_agent": 403, "other_agent": 403, "other_coordinator": 403},
    "diagnostic:step": DIAGNOSTIC_EDITORS,
    "diagnostic:submit": DIAGNOSTIC_EDITORS,
    "diagnostic:summary": DIAGNOSTIC_READERS,
    "diagnostic:history": DIAGNOSTIC_READERS,
    "diagnostic:dashboard": DASHBOARD,
    "diagnostic:dashboard_export_csv": DASHBOARD,
    "diagnostic:dashboard_export_xlsx": DASHBOARD,
    "diagnostic:dashboard_commune": DASHBOARD_IN_SCOPE,
    "diagnostic:dashboard_review": DASHBOARD_IN_SCOPE,
    # Progress over the years: also the commune's approved agents; other signed-in users 404 (as for diagnostics).
    "diagnostic:commune_progress": {**DASHBOARD_IN_SCOPE, "pending_agent": 404, "agent": 200, "other_agent": 404},
    "territories:home": PUBLIC,
    "territories:search": PUBLIC,
    "territories:sources": PUBLIC,
    "territories:accessibility": PUBLIC,
    # Open data updates (issue J): staff only; every other signed-in role 403.
    "territories:staff_data": {**dict.fromkeys(PUBLIC, 403), "anonymous": 302, "staff": 200},
    "territories:commune": PUBLIC,
    "territories:departement": PUBLIC,
    "territories:departement_map": PUBLIC,
    # Région maps and the list of régions (issue G): public like the département maps.
    "territories:regions": PUBLIC,
    "territories:region_map": PUBLIC,
    "territories:region_map_script": PUBLIC,
    # Action plan (issue C): seen by the commune's agents, its Hub's coordinator and staff; POST edits: agents only.
    "diagnostic:plan": PLAN_READERS,
    "diagnostic:plan_pdf": PLAN_READERS,
    "diagnostic:plan_csv": PLAN_READERS,
    # Draft deliberation adopting the plan (issue H): the plan PDF's readers.
    "diagnostic:plan_deliberation_odt": PLAN_READERS,
    "diagnostic:plan_deliberation_docx": PLAN_READERS,
    # Opt-in publication (issue H): the page and its POST are the commune's agents' only (the draft shows why it
    # cannot be published yet). The public page of a plan answers 404 to everyone while the plan is not published
    # (the dataset's diagnostic is a draft); published, it is 200 for everyone (tests/diagnostic/test_plan_publication).
    "diagnostic:plan_publication": DIAGNOSTIC_EDITORS,
    "diagnostic:published_plan": dict.fromkeys(PUBLIC, 404),
    # GET without htmx sends readers back to the plan page (302); POST by a coordinator or staff is a 403.
    "diagnostic:plan_measure": {**PLAN_READERS, "agent": 302, "coordinator": 302, "staff": 302},
    # Personal data (issue K): legal pages are public; "Mes données personnelles" is every signed-in user's own.
    # The deletion page answers 200 to all: a Hub's last coordinator or the last staff member reads why not.
    "legal:legal_notice": PUBLIC,
    "legal:personal_data_policy": PUBLIC,
    "accounts:personal_data": SIGNED_IN,
    "accounts:personal_data_export": SIGNED_IN,
    "accounts:account_delete": SIGNED_IN,
}
