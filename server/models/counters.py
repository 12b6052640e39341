"""The counter columns of a contribution row and of an area aggregate (kept apart: the models import it).

- COUNTERS: what the rates are made of; an area sums them over the interviews that count.
- ROW_ONLY: facts of one interview the aggregate routes elsewhere (a refusal, a substitute household).
- FIELDWORK: per area, the visits that count for fieldwork (interviews and refusals) and the substitutes.
- LEFT_OUT: per area, the interviews left out of the rates, by reason and by the population they belong to
  (so each figure can say "N awaiting review" of its own population).
"""

COUNTERS = (
    "interviews", "households", "persons",
    "registered_households", "registered_persons",
    "wrongly_registered_households", "wrongly_registered_persons",
    "nonregistered_households", "nonregistered_persons", "missed_households", "missed_persons",
    "exited_households", "exited_persons", "wrongly_exited_households", "wrongly_exited_persons",
    "endorsement_answered", "endorsed",
    "work_team_answered", "work_team_satisfied", "helper_answered", "helper_satisfied",
    "undetermined",
)
ROW_ONLY = ("refused", "substitute")
FIELDWORK = ("contacted", "substitutes")
REASONS = ("refused", "awaiting_review", "rejected", "duplicate")
POPULATIONS = ("all", "registered", "nonregistered", "exited")
LEFT_OUT = tuple(f"left_{reason}_{population}" for reason in REASONS for population in POPULATIONS)

CONTRIBUTION_COUNTERS = COUNTERS + ROW_ONLY
AREA_COUNTERS = COUNTERS + FIELDWORK + LEFT_OUT
