"""Who gets a form on their phone: every enumerator, or the teams chosen (Enumerator.team).

The back-check questionnaire goes to the back-checkers' team only: the enumerators whose work it checks
must never see it. The formList, the form download, its manifest and media, and the submission endpoint
all ask `sees`. Only the caller commits.
"""
from sqlalchemy import select

from server.accounts import audit
from server.evaluation_settings.reconciliation import effective
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Enumerator, reaches

MAX_TEAMS = 50
MAX_TEAM_LENGTH = 80  # Enumerator.team


sees = reaches  # True if an enumerator of `team` (None: no team) gets a form whose audience is `audience`


def set_audience(form, teams, actor):
    """Give the form to every enumerator (`teams` None or empty) or to the teams named. Returns the
    audience stored. Raises Problem form.audience_invalid (422) naming the bad team."""
    audience = clean_teams(teams)
    previous, form.audience = form.audience, audience
    if previous != audience:
        audit.record(actor, "form.audience", f"form:{form.id}", {"from": previous, "to": audience},
                     form.evaluation_id)
    return audience


def clean_teams(teams):
    """None for "everyone", else the distinct team names, stripped, in the order given."""
    if teams is None:
        return None
    if isinstance(teams, str) or not all(isinstance(t, str) for t in teams):
        raise _invalid("Teams are a list of team names.")
    names = list(dict.fromkeys(t.strip() for t in teams if t.strip()))
    if len(names) > MAX_TEAMS:
        raise _invalid(msg("At most %(count)d teams.", count=MAX_TEAMS))
    too_long = [t for t in names if len(t) > MAX_TEAM_LENGTH]
    if too_long:
        raise _invalid(msg("A team name has at most %(count)d characters: %(name)s…", count=MAX_TEAM_LENGTH,
                           name=too_long[0][:20]))
    return names or None


def _invalid(reason):
    return Problem("form.audience_invalid", msg("The teams are not valid: %(reason)s", reason=reason), 422,
                   [{"field": "teams", "message": reason}])


def known_teams(evaluation):
    """{team: number of active enumerators in it}, teams in name order."""
    rows = db.session.execute(select(Enumerator.team, Enumerator.active).where(
        Enumerator.evaluation_id == evaluation.id, Enumerator.team.is_not(None), Enumerator.team != ""))
    teams = {}
    for team, active in rows:
        teams[team] = teams.get(team, 0) + (1 if active else 0)
    return dict(sorted(teams.items()))


def is_backcheck_form(evaluation, form):
    """Whether `form` is the evaluation's back-check questionnaire (its settings name it)."""
    return form.xml_form_id == effective(evaluation.settings)["backcheck"]["form_id"]


def receivers(evaluation, form):
    """How many active enumerators get the form."""
    query = select(Enumerator.team).where(Enumerator.evaluation_id == evaluation.id,
                                          Enumerator.active.is_(True))
    return sum(1 for (team,) in db.session.execute(query) if sees(form.audience, team))
