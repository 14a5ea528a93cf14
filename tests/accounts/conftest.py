from tests.accounts.builders import agent_client, world  # noqa: F401  (fixtures shared with tests/diagnostic)
