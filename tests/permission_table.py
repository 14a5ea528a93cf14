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

PERMISSIONS: dict[str, dict[str, int]] = {
    "territories:home": PUBLIC,
    "territories:search": PUBLIC,
    "territories:sources": PUBLIC,
    "territories:accessibility": PUBLIC,
    "territories:commune": PUBLIC,
    "territories:departement": PUBLIC,
    "territories:departement_map": PUBLIC,
    # Action plan (issue C): seen by the commune's agents, its Hub's coordinator and staff; POST edits: agents only.
    "diagnostic:plan": PLAN_READERS,
    "diagnostic:plan_pdf": PLAN_READERS,
    "diagnostic:plan_csv": PLAN_READERS,
    # GET without htmx sends readers back to the plan page (302); POST by a coordinator or staff is a 403.
    "diagnostic:plan_measure": {**PLAN_READERS, "agent": 302, "coordinator": 302, "staff": 302},
}
