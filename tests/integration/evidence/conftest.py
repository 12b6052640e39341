"""Fixtures for the evidence chain tests: the OpenRosa world (a survey with photos, an enumerator) and
the recusal world (the shipped interview form, households), re-exported; a burst worker."""
from tests.integration.openrosa.conftest import world as collect_world  # noqa: F401
from tests.integration.recusal.conftest import world as interview_world  # noqa: F401
