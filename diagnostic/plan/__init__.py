"""The action plan: the five measures prioritised from the answers and the territorial data."""
