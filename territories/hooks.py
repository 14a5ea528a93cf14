""" "Data changed" hooks: how the apps above territories react to a successful open data import.

territories is the bottom layer (territories ← inclusion ← diagnostic): it never imports the apps that build on it.
An app that keeps something derived from the open data registers a receiver in its `AppConfig.ready()`:

    from territories.hooks import on_data_changed
    on_data_changed(refresh_my_cache)  # called as refresh_my_cache(echo=print_a_line)

The import (`territories.importers.orchestrator.load_open_data`) calls `data_changed(echo=...)` once, after its
transaction, and only when a row or a source's metadata changed (never on a dry run, never when nothing changed).
"""

from __future__ import annotations

from collections.abc import Callable

Receiver = Callable[..., None]
_receivers: list[Receiver] = []


def on_data_changed(receiver: Receiver) -> Receiver:
    """Register `receiver(*, echo)` (once, however often this is called). Usable as a decorator."""
    if receiver not in _receivers:
        _receivers.append(receiver)
    return receiver


def disconnect(receiver: Receiver) -> None:
    if receiver in _receivers:
        _receivers.remove(receiver)


def receivers() -> list[Receiver]:
    return list(_receivers)


def data_changed(*, echo: Callable[[str], None] = print) -> None:
    """The open data changed: run every receiver, in registration order; `echo` prints a line of the report."""
    for receiver in list(_receivers):
        receiver(echo=echo)
