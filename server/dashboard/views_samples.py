"""Samples and assignments: draw a reproducible sample, see its units, substitutes and coverage, replace a
unit with a reason, and assign a sample's units to an enumerator (refused, with the reason, when the
recusal rule says the enumerator comes from the place)."""
import shlex

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server.dashboard import once
from server.dashboard.access import actor, in_evaluation, may
from server.dashboard.blueprint import bp
from server.dashboard.errors import problem_message
from server.dashboard.field_messages import refusal_text, translated
from server.households import assignments, coverage, sampling, search, substitutes
from server.households import samples as sample_reads
from server.infra.errors import Problem
from server.infra.extensions import db

GROUPS = ("exited", "not_exited")
UNITS_SHOWN = 500  # rows of the units table per page; coverage counts them all
# Where a design error shows: the form's field for each field path of the domain's errors.
_DESIGN_FIELDS = {"_schema": "size", "sizes.exited.value": "size_exited",
                  "sizes.not_exited.value": "size_not_exited"}
_UNIT_FIELDS = {"sample.bad_reason": "reason", "sample.bad_note": "note"}  # the rest are about the unit


@bp.get("/dashboard/<code>/samples")
@in_evaluation("read")
def samples_page(evaluation):
    return _samples_page(evaluation)


def _samples_page(evaluation, form=None, field_errors=None, problem=None, status=200):
    rows = sample_reads.list_samples(evaluation.id)
    for row in rows:
        row["coverage"] = coverage.coverage(substitutes.get_sample(evaluation.id, row["id"]))["totals"]
    page = render_template("dashboard/samples.html", evaluation=evaluation, rows=rows,
                           villages=search.villages(evaluation.id), form=form or {},
                           errors=field_errors or {}, problem=problem, groups=GROUPS)
    return page, status


@bp.post("/dashboard/<code>/samples")
@in_evaluation("samples")
@once.guarded
def draw_post(evaluation):
    form = request.form
    try:
        sample = sampling.draw_sample(evaluation, form.get("name", "").strip(), design_from(form), actor(),
                                      seed=form.get("seed", "").strip() or None)
    except Problem as problem:
        db.session.rollback()
        fields = {}
        for detail in problem.details:
            name = _DESIGN_FIELDS.get(detail["field"], detail["field"].split(".")[0])
            fields.setdefault(name, translated(detail["message"]))
        return _samples_page(evaluation, form, fields, problem_message(problem), 422)
    db.session.commit()
    flash(_("Sample %(name)s drawn with seed %(seed)s.", name=sample.name, seed=sample.seed), "info")
    return redirect(url_for("dashboard.sample_page", code=evaluation.code, sample_id=sample.id))


def design_from(form):
    """The design as the domain takes it, from the form's fields (the domain converts and checks them)."""
    design = {"method": form.get("method") or "random", "per_village": form.get("per_village") == "1",
              "screening_villages": form.get("screening_villages", "").strip() or 0}
    for name in ("size", "share"):
        if form.get(name, "").strip():
            design[name] = form[name].strip()
    sizes = {g: form[f"size_{g}"].strip() for g in GROUPS if form.get(f"size_{g}", "").strip()}
    if sizes:
        design["sizes"] = sizes
    villages = [v for v in form.getlist("village_codes") if v]
    if villages:
        design["village_codes"] = villages
    return design


@bp.get("/dashboard/<code>/samples/<int:sample_id>")
@in_evaluation("read")
def sample_page(evaluation, sample_id):
    return _sample_page(evaluation, substitutes.get_sample(evaluation.id, sample_id))


def _sample_page(evaluation, sample, assign=None, replace=None, status=200):
    units = sample_reads.units_of(sample)
    state = coverage.coverage(sample, units)
    start = max(0, request.args.get("from", 0, type=int))
    page = render_template(
        "dashboard/sample.html", evaluation=evaluation, sample=sample, total_units=len(units),
        units=sample_reads.unit_rows(units[start:start + UNITS_SHOWN]), start=start, shown=UNITS_SHOWN,
        replaced_by={u.substitute_for_id: u.id for u in units if u.substitute_for_id}, coverage=state,
        enumerators=assignments.active_enumerators(evaluation.id), reasons=sampling.REASONS,
        command=reproduce_command(evaluation, sample), assign=assign or {}, replace=replace or {},
        names=unit_names(state),
        chosen_unit=request.args.get("unit", type=int) or (replace or {}).get("unit"))
    return page, status


def unit_names(state):
    """The words of the units table in the page's language, made once per page."""
    groups = {"exited": _("exited"), "not_exited": _("not exited or returned"),
              "screening": _("screening villages")}
    strata = {}
    for stratum in {*state["strata"], *(["screening"] if state["totals"]["screening_villages"] else [])}:
        village, _slash, group = stratum.rpartition("/")
        place = _("village %(code)s", code=village) + " · " if village else ""
        strata[stratum] = place + groups.get(group, group)
    return {"strata": _Strata(strata),
            "states": {"interviewed": _("interviewed"), "assigned": _("assigned, not interviewed"),
                       "unassigned": _("not assigned"), "replaced": _("replaced"),
                       "screening": _("screening village")},
            "reasons": {"absent": _("absent"), "refused": _("refused"), "moved": _("moved away"),
                        "not_found": _("not found"), "other": _("other")},
            "unit": _("unit"), "replaces": _("replaces unit"), "village": _("village")}


class _Strata(dict):
    def __missing__(self, stratum):  # a replaced unit's stratum is in no count: name it as it is
        return stratum


def reproduce_command(evaluation, sample):
    """The `fieldcheck samples draw` line that draws this sample again from the same register."""
    design = sample.design or {}
    parts = ["fieldcheck", "samples", "draw", evaluation.code, "--name", sample.name, "--seed", sample.seed,
             "--method", design.get("method", "random")]
    for key in ("size", "share"):
        if key in design:
            parts += [f"--{key}", str(design[key])]
    for group, size in (design.get("sizes") or {}).items():
        parts += [f"--size-{group.replace('_', '-')}", str(size)]
    if design.get("per_village"):
        parts.append("--per-village")
    for village in design.get("village_codes") or ():
        parts += ["--village", village]
    if design.get("screening_villages"):
        parts += ["--screening-villages", str(design["screening_villages"])]
    return shlex.join(parts)


@bp.post("/dashboard/<code>/samples/<int:sample_id>/assign")
@in_evaluation("samples")
@once.guarded
def assign_post(evaluation, sample_id):
    sample = substitutes.get_sample(evaluation.id, sample_id)
    form = request.form
    chosen = form.get("scope") == "selected"
    unit_ids = [int(u) for u in form.getlist("unit") if u.isdigit()] if chosen else None
    field_errors = {}
    if not form.get("enumerator"):
        field_errors["enumerator"] = _("Choose an enumerator.")
    if chosen and not unit_ids:
        field_errors["units"] = _("Tick the units to assign, or choose every live unit.")
    if field_errors:
        return _sample_page(evaluation, sample, {"errors": field_errors, "form": form}, status=422)
    try:
        enumerator = assignments.get_enumerator(evaluation.id, form["enumerator"])
        made = sample_reads.assign_units(evaluation, sample, enumerator, actor(), unit_ids,
                                         form.get("justification", "").strip() or None,
                                         actor_is_admin=may("override_recusal"))
    except Problem as problem:
        db.session.rollback()
        refusals = [{**d, "reason": refusal_text(d)} for d in problem.details if d.get("level")]
        where = "units" if problem.code.startswith("sample.") else "enumerator"
        said = {"errors": {where: problem_message(problem)}, "refusals": refusals, "form": form}
        return _sample_page(evaluation, sample, said, status=problem.status)
    db.session.commit()
    flash(_("%(n)s unit(s) assigned to %(name)s.", n=len(made),
            name=enumerator.display_name or enumerator.username), "info")
    return redirect(url_for("dashboard.sample_page", code=evaluation.code, sample_id=sample.id))


@bp.post("/dashboard/<code>/samples/<int:sample_id>/substitute")
@in_evaluation("samples")
@once.guarded
def substitute_post(evaluation, sample_id):
    sample = substitutes.get_sample(evaluation.id, sample_id)
    form = request.form
    unit_id = form.get("unit", type=int) or 0
    try:
        new = substitutes.substitute(sample, unit_id, form.get("reason", ""), actor(),
                                     form.get("note", "").strip())
    except Problem as problem:
        db.session.rollback()
        field = _UNIT_FIELDS.get(problem.code, "unit")
        replace = {"errors": {field: problem_message(problem)}, "form": form, "unit": unit_id}
        return _sample_page(evaluation, sample, replace=replace, status=problem.status)
    db.session.commit()
    flash(_("Unit %(old)s is replaced by unit %(new)s.", old=unit_id, new=new.id), "info")
    here = url_for("dashboard.sample_page", code=evaluation.code, sample_id=sample.id)
    return redirect(f"{here}#unit-{new.id}")
