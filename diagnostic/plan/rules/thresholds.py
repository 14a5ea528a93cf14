"""The thresholds of the plan rules (listed in docs/plan-rules.md, "Seuils")."""

from diagnostic.plan.facts import LARGE, MEDIUM, SMALL, UNKNOWN_SIZE

# IFN parts are on a 1–10 scale, 10 = most fragile.
IFN_HIGH = 7.0  # a part at or above this is a clear fragility
IFN_MEDIUM_NO_MEDIAN = 5.0  # without a département median, a part at or above this is a partial fragility
# Distances to the nearest place offering digital help (km, from the commune's centre, computed at import).
NEAR_KM = 5.0
FAR_KM = 15.0
# Lieux de médiation numérique within 10 km
MEDIATION_WITHIN_10KM_ENOUGH = 3
# Share of "Je ne sais pas" among the answered questions
UNKNOWN_SHARE_HIGH = 0.25
UNKNOWN_SHARE_MEDIUM = 0.10
UNKNOWN_SHARE_MIN_ANSWERS = 5  # below this many answers, the share is not computed
# Trained agents expected by population band
TRAINED_AGENTS_TARGET = {SMALL: 1, MEDIUM: 2, LARGE: 4, UNKNOWN_SIZE: 2}
# Public computers
PUBLIC_COMPUTERS_ENOUGH = 3
# Hours a week the public computers are open
PUBLIC_COMPUTER_HOURS_ENOUGH = 10
# Partners the commune works with
PARTNERS_ENOUGH = 2
# A place of a kind at most this far (km, nearest place computed at import) is a partner to orient towards, instead of
# proposing that the commune does the same thing itself (e.g. an Aidants Connect structure 800 m away)
PARTNER_NEAR_KM = 10.0
# Hours a week the mairie answers the phone
PHONE_HOURS_ENOUGH = 10
# Priority from the ratio of points
HIGH_RATIO = 0.6
MEDIUM_RATIO = 0.25
# Confidence from the share of evaluable rules
CONFIDENCE_GOOD = 0.75
CONFIDENCE_FAIR = 0.5

# The constants of the documentation's table, in this order (the population bands come from `plan/facts.py`).
THRESHOLD_NAMES = (
    "IFN_HIGH",
    "IFN_MEDIUM_NO_MEDIAN",
    "NEAR_KM",
    "FAR_KM",
    "MEDIATION_WITHIN_10KM_ENOUGH",
    "UNKNOWN_SHARE_HIGH",
    "UNKNOWN_SHARE_MEDIUM",
    "UNKNOWN_SHARE_MIN_ANSWERS",
    "TRAINED_AGENTS_TARGET",
    "PUBLIC_COMPUTERS_ENOUGH",
    "PUBLIC_COMPUTER_HOURS_ENOUGH",
    "PARTNERS_ENOUGH",
    "PARTNER_NEAR_KM",
    "PHONE_HOURS_ENOUGH",
    "HIGH_RATIO",
    "MEDIUM_RATIO",
    "CONFIDENCE_GOOD",
    "CONFIDENCE_FAIR",
    "SMALL_COMMUNE_MAX",
    "MEDIUM_COMMUNE_MAX",
)
