"""Password hashing: Argon2id, with the first configuration of OWASP's Password Storage Cheat Sheet.

Why not Django's default (PBKDF2-SHA256, 1 500 000 iterations): on this project's 2-core machines one PBKDF2 hash
costs 0,5 to 0,85 s of CPU, so a handful of agents signing in at the start of a council meeting took both cores for
seconds and every other page waited (bench/load_bench.py: 25 sign-ins in the first seconds of a run). Argon2id is
memory-hard — far costlier than PBKDF2 to attack with GPUs at equal CPU — and OWASP's configuration "m=47104 (46 MiB),
t=1, p=1" costs about 70 ms here. Existing PBKDF2 hashes still verify and are re-hashed with Argon2id at the next
sign-in (Django does it when the preferred hasher changes). Sign-in attempts are also throttled (django-axes and
inclusion.accounts.security).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (argon2id) with OWASP's parameters; same algorithm name, so hashes made with Django's
    own defaults verify too and are brought to these parameters at the next sign-in (`must_update`)."""

    time_cost = 1
    memory_cost = 47_104  # KiB (46 MiB)
    parallelism = 1
