"""Who is who: evaluations and memberships, web users, enumerators and their phones, API tokens,
the audit log."""
