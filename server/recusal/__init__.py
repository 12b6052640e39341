"""The recusal and quality rule engine (architecture decision 5).

types (Case, Finding) · rulebase (@rule) · rules/* · registry (RULES) · engine (evaluate, pure) ·
settings (per evaluation) · loader (DB -> Case, batched) · service (apply) · status · review.
"""
