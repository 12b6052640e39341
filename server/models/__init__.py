"""All models, imported in one place so Alembic and the app see the whole schema."""
from server.models.access import TOKEN_SCOPES, ApiToken, JobRecord
from server.models.assignment import Assignment
from server.models.audit import AuditEntry
from server.models.backcheck import BackcheckDraw, BackcheckTarget
from server.models.enumerator import Enumerator
from server.models.evaluation import ROLES, Evaluation, Membership, User
from server.models.form import FORM_STATES, Form, FormMedia, FormVersion
from server.models.household import STATUSES, Household, HouseholdToken, Sample, SampleUnit
from server.models.imports import HouseholdCounter, ImportKey
from server.models.outbox import OutboxEvent
from server.models.reconciliation import ClassificationReview, FigureArea, FigureContribution, Reconciliation
from server.models.recusal import CheckRun, InterviewFact, ReviewDecision, RuleFinding
from server.models.submission import Attachment, Submission

__all__ = [
    "ApiToken", "Assignment", "Attachment", "AuditEntry", "Enumerator", "Evaluation", "Form",
    "FormMedia", "FormVersion", "FORM_STATES", "Household", "HouseholdCounter", "HouseholdToken",
    "ImportKey", "JobRecord", "Membership", "OutboxEvent", "ROLES", "Sample", "SampleUnit", "STATUSES",
    "Submission", "TOKEN_SCOPES", "User",
    "CheckRun", "InterviewFact", "ReviewDecision", "RuleFinding",
    "BackcheckDraw", "BackcheckTarget", "ClassificationReview", "FigureArea", "FigureContribution",
    "Reconciliation",
]
