"""The counter columns of a contribution row and of an area aggregate (kept apart: the models import it)."""

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
