"""What the commands' options accept and the register layout `households import --help` shows, copied
from the domain so that --help imports none of it (tests/integration/test_cli_startup.py keeps each
equal to its source, named beside it)."""

RECUSAL_LEVELS = ("province", "county", "township", "village")  # server.recusal.review
SAMPLE_REASONS = ("absent", "refused", "moved", "not_found", "other")  # server.households.sampling
EXPORT_FORMATS = ("csv", "xlsx", "zip", "sav", "dta")  # server.exports.request.FORMATS
EXPORT_LABELS = ("zh-Hans", "en")  # server.exports.request.LABEL_LANGUAGES
EXPORT_TABLES = ("csv", "xlsx")  # server.exports.request.TABLE_FORMATS
REPORT_FORMATS = ("html", "xlsx")  # server.reports.service.FORMATS
REPORT_LANGUAGES = ("zh", "en")  # server.reports.service.LANGUAGES
FIGURE_LEVELS = ("evaluation", "county", "township", "village")  # server.figures.read.LEVELS
AUDIT_PAGE = 50  # server.accounts.audit_log.PAGE

# server.households.tabular's docstring after its first paragraph.
REGISTER_LAYOUT = """\
CSV/XLSX layout: one row per household, a header row with the record's field names
(archive_id, province, province_code, county, county_code, township, township_code, village,
village_code, group, head_name, phone, registration_year, poverty_attribute, main_cause, status,
exit_year, ...) plus:
- `other_causes`: keys separated by `|` (e.g. `lack_skills|lack_capital`);
- members as repeated columns `m1_name, m1_sex, m1_relation, m1_birth_date, m1_id_number, m1_health,
  m1_labour, m1_school`, then `m2_...`, as many as needed (a member whose cells are all empty is skipped);
- `income_<year>`: the per-capita net income of that year (e.g. `income_2019`);
- `food, clothing, water, education, medical, housing`: the 两不愁三保障 indicators (1/0, true/false);
- `latitude`, `longitude`: the dwelling;
- `helpers`, `measures`: JSON arrays, as in the API.
Empty cells are left out. ID numbers must be text cells in XLSX (a number loses digits).
"""
