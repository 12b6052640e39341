"""The compiled fast path accepts only what the schema accepts, and returns exactly what it returns."""
import copy
import random

import pytest
from marshmallow import ValidationError

from server.households.compiled_schema import Defer, compile_schema
from server.households.schema import HOUSEHOLD, HouseholdSchema
from testkit.household_factories import make_record

FAST = compile_schema(HouseholdSchema())
ODD_VALUES = (None, "", "x", 0, 1, -1, 1.5, float("nan"), True, False, [], {}, "2019", "2020-02-30",
              "2020-01-01", 2014, 99999, "male", "head", "illness", "150782", "150782101201")


def _mutations(rng, record, count):
    for _ in range(count):
        mutated = copy.deepcopy(record)
        target = mutated
        path = []
        while isinstance(target, (dict, list)) and target and rng.random() < 0.7:
            key = rng.choice(list(target)) if isinstance(target, dict) else rng.randrange(len(target))
            if not isinstance(target[key], (dict, list)):
                break
            path.append(key)
            target = target[key]
        if isinstance(target, dict):
            action = rng.random()
            key = rng.choice(list(target)) if target else "x"
            if action < 0.15:
                target.pop(key, None)
            elif action < 0.25:
                target["unexpected"] = 1
            else:
                target[key] = rng.choice(ODD_VALUES)
        elif isinstance(target, list) and target:
            target[rng.randrange(len(target))] = rng.choice(ODD_VALUES)
        yield mutated


def _reference(record):
    try:
        return HOUSEHOLD.load(record)
    except ValidationError:
        return "invalid"


@pytest.mark.parametrize("seed", range(4))
def test_fast_path_agrees_with_marshmallow(seed):
    rng = random.Random(seed)
    base = make_record(seed, status=("exited", "not_exited", "returned", None)[seed])
    assert FAST(copy.deepcopy(base)) == HOUSEHOLD.load(copy.deepcopy(base))
    for mutated in _mutations(rng, base, 400):
        try:
            fast = FAST(copy.deepcopy(mutated))
        except Defer:
            continue  # undecided: the service asks marshmallow
        assert fast == _reference(copy.deepcopy(mutated)), mutated


def test_unsupported_schemas_are_refused_at_compile_time():
    from marshmallow import Schema, fields

    class Odd(Schema):
        when = fields.DateTime()

    with pytest.raises(TypeError):
        compile_schema(Odd())
