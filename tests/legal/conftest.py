from tests.accounts.builders import agent_client_fixture, world_fixture  # noqa: F401  (fixtures shared with tests/diagnostic)
