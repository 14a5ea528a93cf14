"""Role × URL permission table: every URL name of the URLconf must have an entry here.

Roles: anonymous, pending_agent, agent (of the commune), other_agent (of another commune), coordinator (in scope),
other_coordinator (out of scope), staff. Expected outcome per role for GET: an HTTP status code (200, 302 to login,
403, 404). `tests/test_url_permissions.py` walks the URLconf and fails when a URL name is missing.

Each team adds the entries for the URLs it creates.
"""

PUBLIC = dict.fromkeys(
    ["anonymous", "pending_agent", "agent", "other_agent", "coordinator", "other_coordinator", "staff"], 200
)

PERMISSIONS: dict[str, dict[str, int]] = {
    "territories:home": PUBLIC,
    "territories:search": PUBLIC,
    "territories:sources": PUBLIC,
    "territories:accessibility": PUBLIC,
    "territories:commune": PUBLIC,
    "territories:departement": PUBLIC,
    "territories:departement_map": PUBLIC,
}
