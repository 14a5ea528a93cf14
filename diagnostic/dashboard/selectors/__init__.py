"""Reads of the Hub coordinators' dashboard, always scoped to the user, one module per concern.

Scope: a coordinator sees the communes of their Hub's départements, staff see every commune (see
inclusion.accounts.roles.communes_in_scope_q and diagnostic.access). Every function here starts from that
scope, so a filter value can only narrow it.

Query budget: each function runs a fixed number of queries whatever the number of communes or diagnostics
(annotations and one grouped query per list, never one query per row); bench/dashboard_bench.py checks it.
"""
