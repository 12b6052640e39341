"""Reproducible samples from the register: strata, random or systematic draws, screening villages,
substitutes. The seed is recorded; the same seed on the same register draws the same households.

A design (stored on the Sample) is a dict:
  method: "random" | "systematic"             (default "random")
  per_village: bool                           (strata per village too; default false)
  size: int  or  share: float (0-1]           (per stratum; `sizes` {"exited": n, ...} overrides)
  village_codes: [..]                         (limit the frame to these villages; optional)
  screening_villages: int                     (villages drawn for 漏评 screening; default 0)
Strata: "exited" (status exited) and "not_exited" (not exited or returned to poverty).
"""
import math
import random
import secrets

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from server.accounts import audit
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.households.service import flatten
from server.models import Household, Sample, SampleUnit

REASONS = ("absent", "refused", "moved", "not_found", "other")


class DesignSchema(Schema):
    method = fields.String(load_default="random", validate=validate.OneOf(("random", "systematic")))
    per_village = fields.Boolean(load_default=False)
    size = fields.Integer(validate=validate.Range(1, 100_000))
    share = fields.Float(validate=validate.Range(0, 1, min_inclusive=False))
    sizes = fields.Dict(keys=fields.String(validate=validate.OneOf(("exited", "not_exited"))),
                        values=fields.Integer(validate=validate.Range(0, 100_000)))
    village_codes = fields.List(fields.String(validate=validate.Regexp(r"^\d{12}$")))
    screening_villages = fields.Integer(load_default=0, validate=validate.Range(0, 1000))

    @validates_schema
    def _one_size(self, data, **kwargs):
        if ("size" in data) == ("share" in data) and "sizes" not in data:
            raise ValidationError("give exactly one of size or share (or sizes)")


def stratum_of(status, village_code, per_village):
    group = "exited" if status == "exited" else "not_exited"
    return f"{village_code}/{group}" if per_village else group


def draw_sample(evaluation, name, design, actor, seed=None):
    """Draw and store a sample. Raises Problem sample.bad_design (422, every error in details as
    {field, message}) and sample.empty (422: nothing in the register matches the design)."""
    design = check_design(name, design, seed)
    seed = seed or secrets.token_hex(8)
    frame = _frame(evaluation.id, design)
    if not frame:
        raise Problem("sample.empty", msg("No active household of the register matches this design; import "
                                          "the register first, or check the villages chosen."), 422)
    sample = Sample(evaluation_id=evaluation.id, name=name, seed=seed, design=design)
    db.session.add(sample)
    db.session.flush()
    units = [SampleUnit(sample_id=sample.id, household_id=hid, stratum=stratum, rank=rank)
             for stratum, rank, hid in draw(frame, design, seed)]
    units += [SampleUnit(sample_id=sample.id, village_code=code, stratum="screening", rank=rank)
              for rank, code in enumerate(screening(frame, design, seed))]
    db.session.add_all(units)
    db.session.flush()
    audit.record(actor, "sample.draw", f"sample:{sample.id}",
                 {"seed": seed, "design": design, "units": len(units)}, evaluation.id)
    return sample


def check_design(name, design, seed=None):
    """The loaded design; the name (1-200 characters) and a given seed (1-64) are checked with it."""
    errors = []
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 200:
        errors.append({"field": "name", "message": "Length must be between 1 and 200."})
    if seed is not None and not (isinstance(seed, str) and 1 <= len(seed) <= 64):
        errors.append({"field": "seed", "message": "Length must be between 1 and 64."})
    try:
        design = DesignSchema().load(design if isinstance(design, dict) else {})
    except ValidationError as exc:
        errors += [{"field": field, "message": message} for field, message in flatten(exc.messages)]
    if errors:
        raise Problem("sample.bad_design", msg("The sample design is not valid."), 422, errors)
    return design


def _frame(evaluation_id, design):
    query = (select(Household.id, Household.archive_id, Household.status, Household.village_code)
             .where(Household.evaluation_id == evaluation_id, Household.withdrawn_at.is_(None)))
    if design.get("village_codes"):
        query = query.where(Household.village_code.in_(design["village_codes"]))
    return db.session.execute(query.order_by(Household.archive_id)).all()


def draw(frame, design, seed):
    """Pure: [(stratum, rank, household id)] drawn from frame rows (id, archive_id, status, village)."""
    strata = {}
    for row in frame:
        strata.setdefault(stratum_of(row.status, row.village_code, design["per_village"]), []).append(row)
    drawn = []
    for stratum in sorted(strata):
        rows = strata[stratum]  # already in archive_id order, so the draw depends only on the seed
        k = min(len(rows), _size(stratum, len(rows), design))
        rng = random.Random(f"{seed}:{stratum}")
        picked = _systematic(rows, k, rng) if design["method"] == "systematic" else rng.sample(rows, k)
        drawn += [(stratum, rank, row.id) for rank, row in enumerate(picked)]
    return drawn


def _size(stratum, population, design):
    group = stratum.rsplit("/", 1)[-1]
    if group in design.get("sizes", {}):
        return design["sizes"][group]
    if "size" in design:
        return design["size"]
    return math.ceil(population * design["share"])


def _systematic(rows, k, rng):
    if k == 0:
        return []
    interval = len(rows) / k
    start = rng.uniform(0, interval)
    return [rows[int(start + i * interval)] for i in range(k)]


def screening(frame, design, seed):
    villages = sorted({row.village_code for row in frame})
    k = min(len(villages), design["screening_villages"])
    return random.Random(f"{seed}:screening").sample(villages, k)
