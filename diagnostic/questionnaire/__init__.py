"""The self-assessment questionnaire: a versioned definition in code, and its scoring."""
