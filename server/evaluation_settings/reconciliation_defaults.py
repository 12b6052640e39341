"""The documented defaults of an evaluation's reconciliation settings
(`Evaluation.settings["reconciliation"]`).

Everything the matching and the classification decide by is here, as data: poverty lines, tolerances,
the 两不愁三保障 failure conditions, the 错评 negative list, the 漏评 / 错退 rules, which answers count as
认可, and the code maps between the questionnaire and the archive record. An evaluation overrides any
part; `settings.effective` merges the overrides over these values.
"""

# Poverty lines (yuan per person per year) by year; "national" is used unless the household's province
# (code or name) has its own table. Only the two lines with a source are shipped (evaluation.md §2.1):
# no other year is guessed, and a year without a line makes the income comparison `cannot_compare`.
# An exited household (错退) is judged against the line of its exit year, any other household (漏评)
# against the line of the income year (reconciliation/facts.py judged_line).
POVERTY_LINES = {"national": {"2013": 2736, "2020": 4000}}

TOLERANCES = {
    "household_size": 0,        # persons
    "income_ratio": 0.2,        # |answer - record| / record, for the same year's per-capita income
    "registration_year": 0,     # years
    "exit_year": 0,             # years
}

# A 两不愁三保障 item fails when ANY of its conditions holds (answers through the form contract).
ASSURANCES = {
    "food": [{"key": "c1", "in": ["no"]}],
    "clothing": [{"key": "c3", "in": ["no"]}],
    "water": [{"key": "c5", "in": ["often_short"]}, {"key": "c7", "in": ["yes"]}],
    "education": [{"key": "d2", "in": ["yes"]}],
    "medical": [{"key": "d3", "in": ["none", "partial"]}],
    "housing": [{"key": "d7", "in": [0]}, {"key": "d10", "in": ["grade_c", "grade_d"]},
                {"key": "d12", "in": ["yes"]}],
}
# The answers each item reads: if all are missing the item cannot be judged.
ASSURANCE_KEYS = {"food": ["c1"], "clothing": ["c3"], "water": ["c5", "c7"], "education": ["d2", "d1"],
                  "medical": ["d3"], "housing": ["d7", "d10", "d12"]}

# The classification rules. `applies_to` is the household type (exited / poor / non_registered);
# a flag is suspected when ANY condition holds. Conditions: {"key", "in"} on an answer, or
# {"test": "below_line" | "assurance_failed"}.
RULES = {
    "wrongly_registered": {   # 错评: a registered household on the negative list (A9-A13)
        "applies_to": ["exited", "poor"],
        "any": [
            {"key": "a9", "in": ["yes"], "reason": "civil_servant"},
            {"key": "a10", "in": ["yes"], "reason": "village_cadre"},
            {"key": "a11", "in": ["yes"], "reason": "vehicle_over_30000"},
            {"key": "a12", "in": ["yes"], "reason": "town_house_or_shop"},
            {"key": "a13", "in": ["yes"], "reason": "company"},
        ],
    },
    "missed": {               # 漏评: a non-registered household below the line or failing 两不愁三保障
        "applies_to": ["non_registered"],
        "any": [{"test": "below_line", "reason": "below_line"},
                {"test": "assurance_failed", "reason": "assurance_failed"}],
    },
    "wrongly_exited": {       # 错退: an exited household below the line or failing 两不愁三保障
        "applies_to": ["exited"],
        "any": [{"test": "below_line", "reason": "below_line"},
                {"test": "assurance_failed", "reason": "assurance_failed"}],
    },
}

# 认可 (evaluation.md §1.4): a household endorses when every item it answered is in `answers`;
# items it was not asked (not relevant) are skipped; with none answered, endorsement is unknown.
ENDORSEMENT = {"items": ["f1", "f2", "f3", "f4", "f5"], "answers": ["yes", "5", "4"]}
# Satisfaction with the work team (F3) and the helper (F4): satisfied answers; `skip` answers are
# left out of the denominator (不了解: the household cannot judge).
SATISFACTION = {"work_team": "f3", "helper": "f4", "satisfied": ["5", "4"], "skip": ["unknown"]}

# Questionnaire codes -> archive record codes (server/households/codes.py).
CAUSE_MAP = {"schooling": "education", "land": "lack_land", "water": "lack_water", "skills": "lack_skills",
             "labour": "lack_labour", "funds": "lack_capital", "transport": "poor_transport",
             "motivation": "lack_motivation"}
ASSISTANCE_MAP = {"medical": "health", "dibao": "social_security", "ecological": "ecology",
                  "training": "employment"}

# Income: per-capita net = (B1+B2+B3+B4-B5+B6+B7) / divisor; the reference year is the year before
# the interview unless `income_year` is set.
INCOME = {"divisor": "hh_size", "income_year": None}

# Figures: interviews with these statuses count (the recusal status; `excluded` never does). By default an
# interview awaiting review is left out and reported beside each figure; add "review" to count it
# provisionally.
COUNT_STATUSES = ["clean", "cleared"]
THRESHOLDS = {"wrongly_exited_rate": ["<", 0.02], "missed_rate": ["<", 0.02],
              "endorsement_rate": [">=", 0.90]}
# 识别准确率 has no official formula (evaluation.md §1.3): "both" = 1 - (错评 + 漏评) / (registered +
# non-registered sample), "wrongly_registered" = 1 - 错评率. 错评率 counts persons or households.
IDENTIFICATION = {"formula": "both", "wrongly_registered_unit": "persons"}

BACKCHECK = {
    "share": 0.10,
    "form_id": "fc_backcheck",
    "interview_form_id": "fc_household_interview",
    # bcstats types: 1 never changes (flags the enumerator), 2 hard to ask, 3 stability.
    "fields": {"hh_type": {"type": 1}, "reg_year": {"type": 1}, "head_present": {"type": 1},
               "hh_size": {"type": 1, "okrange": 0}, "hh_resident": {"type": 1, "okrange": 1},
               "b8": {"type": 2}, "f3": {"type": 3}, "f4": {"type": 3}},
}

DEFAULTS = {
    "poverty_lines": POVERTY_LINES, "tolerances": TOLERANCES, "assurances": ASSURANCES,
    "assurance_keys": ASSURANCE_KEYS, "rules": RULES, "endorsement": ENDORSEMENT,
    "satisfaction": SATISFACTION, "cause_map": CAUSE_MAP, "assistance_map": ASSISTANCE_MAP,
    "income": INCOME, "count_statuses": COUNT_STATUSES, "thresholds": THRESHOLDS,
    "identification": IDENTIFICATION, "backcheck": BACKCHECK,
}
