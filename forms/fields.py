"""List the fields of a parsed XForm: path, XLSForm type, choices, required, repeat.

The primary instance gives the paths; binds give types, preloads and required; body
controls give the question kind and the choice list (an itemset over a secondary instance).
"""

from __future__ import annotations

from lxml import etree

from forms.model import Choice, Field
from forms.xform import NS, itext_labels, model, primary_root

JR = "{%s}" % NS["jr"]
_PRELOADS = {
    ("timestamp", "start"): "start", ("timestamp", "end"): "end", ("date", "today"): "today",
    ("property", "deviceid"): "deviceid", ("property", "username"): "username",
    ("property", "phonenumber"): "phonenumber", ("property", "email"): "email",
    ("uid", None): "instanceID",
}
_INPUT_TYPES = {"string": "text", "int": "integer", "dateTime": "datetime", "binary": "file"}
_CONTROLS = {"select1": "select_one", "select": "select_multiple", "trigger": "acknowledge",
             "range": "range", "rank": "rank"}


def read_fields(doc: etree._Element) -> tuple[Field, ...]:
    """One Field per leaf of the primary instance, in document order."""
    binds = {b.get("nodeset"): b for b in model(doc).findall("xf:bind", NS)}
    body = doc.find("h:body", NS)
    controls = {e.get("ref"): e for e in body.iter() if isinstance(e.tag, str) and e.get("ref")}
    repeats = {e.get("nodeset") for e in body.iter("{%s}repeat" % NS["xf"])}
    labels = itext_labels(doc)
    instances = {i.get("id"): i for i in model(doc).findall("xf:instance[@id]", NS)}
    fields: dict[str, Field] = {}
    for path, name in _leaves(primary_root(doc)):
        if path in fields:  # a repeat's jr:template and its first copy share paths
            continue
        bind, control = binds.get(path), controls.get(path)
        choices, list_name = _choices(control, instances, labels)
        fields[path] = Field(
            path=path, name=name, type=_type(bind, control), choices=choices, list_name=list_name,
            required=_required(bind), repeat=_repeat_of(path, repeats),
        )
    return tuple(fields.values())


def _leaves(element: etree._Element, prefix: str = ""):
    """(path, name) of every element without element children, depth first."""
    path = f"{prefix}/{etree.QName(element).localname}"
    children = [c for c in element if isinstance(c.tag, str)]
    if not children and prefix:
        yield path, etree.QName(element).localname
    for child in children:
        yield from _leaves(child, path)


def _type(bind: etree._Element | None, control: etree._Element | None) -> str:
    """The XLSForm type name for a leaf, from its bind and its body control."""
    bind_get = bind.get if bind is not None else (lambda _k, _d=None: None)
    preload = (bind_get(JR + "preload"), bind_get(JR + "preloadParams"))
    if preload in _PRELOADS or (preload[0], None) in _PRELOADS:
        return _PRELOADS.get(preload) or _PRELOADS[(preload[0], None)]
    if control is None:
        return "calculate" if bind_get("calculate") else "hidden"
    tag = etree.QName(control).localname
    if tag == "upload":
        media = (control.get("mediatype") or "").split("/")[0]
        return media if media in ("image", "audio", "video") else "file"
    if tag in _CONTROLS:
        return _CONTROLS[tag]
    if bind_get("readonly") == "true()" and not bind_get("calculate"):
        return "note"
    bind_type = bind_get("type") or "string"
    return _INPUT_TYPES.get(bind_type, bind_type)


def _required(bind: etree._Element | None) -> bool:
    value = bind.get("required") if bind is not None else None
    return bool(value) and value != "false()"


def _repeat_of(path: str, repeats: set[str]) -> str | None:
    enclosing = [r for r in repeats if path.startswith(r + "/")]
    return max(enclosing, key=len) if enclosing else None


def _choices(control, instances: dict, labels: dict) -> tuple[tuple[Choice, ...] | None, str | None]:
    """Choices of a select control; None when they live in an external file."""
    itemset = control.find("xf:itemset", NS) if control is not None else None
    if itemset is None:
        return None, None
    # pyxform writes nodeset="instance('list_name')/root/item[...]"
    nodeset = itemset.get("nodeset", "")
    list_name = nodeset.split("'")[1] if nodeset.startswith("instance('") else None
    instance = instances.get(list_name)
    if instance is None or instance.get("src"):
        return None, list_name
    value_ref = itemset.find("xf:value", NS).get("ref", "name")
    items = instance.findall("xf:root/xf:item", NS)
    return tuple(_choice(item, value_ref, labels) for item in items), list_name


def _choice(item: etree._Element, value_ref: str, labels: dict) -> Choice:
    text_id = item.findtext("xf:itextId", namespaces=NS)
    label = labels.get(text_id, {}) if text_id else {"default": item.findtext("xf:label", "", NS)}
    return Choice(name=item.findtext(f"xf:{value_ref}", "", NS), label=dict(label))
