"""What a plan rule or a next step reads, declared as data: question ids of the questionnaire and fields of
`PlanFacts`. The tests check every declared name exists, and `docs/plan-rules.md` lists them.

A data field is a `PlanFacts` field (`population`, `hub_name`, `answers` = all the answers at once) or one entry of
its `ifn` / `access` mappings (`ifn.total`, `access.mediation`).
"""

from __future__ import annotations

from dataclasses import dataclass

# Every data field a rule or step may declare, with what it means (French: listed in docs/plan-rules.md).
DATA_FIELDS = {
    "population": "population municipale (taille de la commune)",
    "hub_name": "Hub territorial de la région",
    "departement_code": "code du département (pages France Numérique Ensemble du département)",
    "answers": "l'ensemble des réponses du questionnaire",
    "ifn.total": "indice de fragilité numérique (IFN) total de la commune, et médiane du département",
    "ifn.no_thd_coverage": "IFN : non-couverture en très haut débit, et médiane du département",
    "ifn.no_4g_coverage": "IFN : non-couverture en 4G, et médiane du département",
    "ifn.poverty": "IFN : taux de pauvreté (sinon celui de l'intercommunalité), et médiane du département",
    "ifn.older_65": "IFN : part des 65 ans et plus, et médiane du département",
    "ifn.low_diploma": "IFN : part des personnes peu ou pas diplômées, et médiane du département",
    "access.mediation": (
        "lieux de médiation numérique : le plus proche (nom, distance, contact), nombre à moins de 10 km"
    ),
    "access.france_services": "France services : la plus proche (nom, distance, contact), nombre à moins de 10 km",
    "access.aidants_connect": (
        "structures Aidants Connect : la plus proche (nom, distance, contact), nombre à moins de 10 km"
    ),
}


@dataclass(frozen=True)
class Reads:
    """Question ids (`diagnostic.questionnaire.definition.QUESTIONS`) and data fields (`DATA_FIELDS`) read."""

    questions: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    note: str = ""  # how they are read, in French, when it is not obvious ("la plus fragile des deux")

    def __or__(self, other: Reads) -> Reads:
        """Both reads, each name once, in order of first appearance."""
        return Reads(
            questions=tuple(dict.fromkeys(self.questions + other.questions)),
            data=tuple(dict.fromkeys(self.data + other.data)),
            note=" ; ".join(n for n in (self.note, other.note) if n),
        )
