"""All models, imported in one place so Alembic and the app see the whole schema."""
from server.models.access import TOKEN_SCOPES, ApiToken, JobRecord
from server.models.assignment import Assignment
from server.models.audit import AuditEntry
from server.models.chain import CHAIN_KINDS, ChainEntry
from server.models.backcheck import BackcheckDraw, BackcheckTarget
from server.models.enumerator import Enumerator
from server.models.evaluation import ROLES, Evaluation, Membership, User
from server.models.form import FORM_STATES, Form, FormMedia, FormVersion, reaches
from server.models.household import STATUSES, Household, HouseholdToken, Sample, SampleUnit
from server.models.imports import HouseholdCounter, ImportKey
from server.models.outbox import OutboxEvent
from server.models.reconciliation import (ClassificationReview, FigureArea, FigureContribution, HouseholdLink,
                                          Reconciliation)
from server.models.recusal import CheckRun, InterviewFact, ReviewDecision, RuleFinding
from server.models.session import UserSession
from server.models.submission import Attachment, Submission
from server.models.webhook import DELIVERY_STATES, WebhookDelivery, WebhookSubscription

__all__ = [
    "ApiToken", "Assignment", "Attachment", "AuditEntry", "Enumerator", "Evaluation", "Form",
    "FormMedia", "FormVersion", "FORM_STATES", "reaches", "Household", "HouseholdCounter", "HouseholdToken",
    "ImportKey", "JobRecord", "Membership", "OutboxEvent", "ROLES", "Sample", "SampleUnit", "STATUSES",
    "Submission", "TOKEN_SCOPES", "User", "UserSession",
    "CheckRun", "InterviewFact", "ReviewDecision", "RuleFinding",
    "BackcheckDraw", "BackcheckTarget", "CHAIN_KINDS", "ChainEntry", "ClassificationReview", "FigureArea",
    "FigureContribution", "HouseholdLink", "Reconciliation",
    "DELIVERY_STATES", "WebhookDelivery", "WebhookSubscription",
]
