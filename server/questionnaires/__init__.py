"""Questionnaires of an evaluation: uploads, published versions, their media and states
(compiled by forms/)."""
