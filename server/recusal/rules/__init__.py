"""The rules, grouped by theme; `server.recusal.registry.RULES` lists the ones that run."""
