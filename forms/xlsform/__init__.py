"""The questionnaires fieldcheck ships. Each `<name>.md` is the reviewed source of truth;
`<name>.xlsx` is generated from it by build.py for evaluators who work in Excel.
"""

from pathlib import Path

DIR = Path(__file__).resolve().parent
NAMES = ("household_interview", "backcheck")


def source(name: str) -> Path:
    """Path of a shipped questionnaire's Markdown source."""
    return DIR / f"{name}.md"
