"""French formatting filters (`{% load fr %}`), thin wrappers of territories.formatting.

    {{ commune.population|number }}                     1 397
    {{ score|decimal }} / {{ score|decimal:2 }}          7,8 / 7,84
    {{ place.km|km }}                                    0,9 km
    {{ share|percent }}                                  12,5 %
    {{ n|plural:"lieu,lieux" }}                          0 lieu, 1 lieu, 3 lieux
    {{ n|plural:"agent formé,agents formés" }}           1 agent formé, 2 agents formés
    <span>{{ n|number }}</span> {{ n|agree:"lieu,lieux" }}   the words alone, when the number is styled apart
    {{ diagnostic.submitted_at|date_fr }}                1er décembre 2026
    {{ event.at|date_time_fr }}                          1er décembre 2026 à 09 h 05

A missing value gives "—", or the text given after the words: {{ n|plural:"lieu,lieux,aucune donnée" }}.
"""

from __future__ import annotations

from django import template

from territories import formatting

register = template.Library()


def _forms(arg: str) -> tuple[str, str, str]:
    parts = [part.strip() for part in str(arg).split(",")]
    if len(parts) not in (2, 3):
        raise template.TemplateSyntaxError(f'Expected "singular,plural" or "singular,plural,missing", got "{arg}".')
    return parts[0], parts[1], parts[2] if len(parts) == 3 else formatting.MISSING


@register.filter
def number(value, digits=1):
    return formatting.number(value, int(digits))


@register.filter
def decimal(value, digits=1):
    return formatting.decimal(value, int(digits))


@register.filter
def km(value):
    return formatting.km(value)


@register.filter
def percent(value, digits=1):
    return formatting.percent(value, int(digits))


@register.filter
def plural(value, arg):
    singular, plural_form, missing = _forms(arg)
    return formatting.plural(value, singular, plural_form, missing=missing)


@register.filter
def agree(value, arg):
    singular, plural_form, _missing = _forms(arg)
    return formatting.agree(value, singular, plural_form)


@register.filter
def date_fr(value):
    return formatting.date(value)


@register.filter
def date_time_fr(value):
    return formatting.date_time(value)
