"""Keeping Python's cyclic garbage collector out of the hot paths.

`freeze_startup()`, once a web or worker process has started: what start-up made (the app, the models,
SQLAlchemy's compiled statements, the forms) lives as long as the process, yet every full collection walked
all of it again; on a feed page of 1,000 interviews that was a third of the time. Frozen, the collector
looks only at what came later. Never called by create_app: a test session makes thousands of apps.

`paused()`: the collector off while a batch is parsed, checked and written.

A 5,000-household batch allocates about a million dicts and lists; every 700 allocations the collector
walks the young ones and now and then all of them, ~20% of a batch's CPU for nothing: JSON has no
reference cycles, so reference counting frees it all anyway. Collection resumes when the batch ends.
"""
import gc
from contextlib import contextmanager


def freeze_startup():
    gc.collect()
    gc.freeze()


@contextmanager
def paused():
    # With threads, whoever found the collector enabled turns it back on, so it never stays off.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
