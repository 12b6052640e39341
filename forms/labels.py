"""The labels of a form's questions and groups, per language, read from the compiled XForm's body.

`label::中文 (zh)` columns become itext translations whose codes are the bracketed part ("zh");
a label written without a language is kept under "default".
"""

from __future__ import annotations

import re

from forms.xform import NS, itext_labels, parse

_ITEXT = re.compile(r"jr:itext\('([^']+)'\)")


def question_labels(xml: str | bytes) -> dict[str, dict[str, str]]:
    """{instance path: {language code: label}} for every question, group and repeat of the body."""
    doc = parse(xml)
    texts = itext_labels(doc)
    found: dict[str, dict[str, str]] = {}
    for element in doc.find("h:body", NS).iter():
        if not isinstance(element.tag, str):
            continue
        path = element.get("ref") or element.get("nodeset")
        label = element.find("xf:label", NS)
        if not path or label is None or path in found:
            continue
        match = _ITEXT.search(label.get("ref") or "")
        if match:
            found[path] = dict(texts.get(match.group(1), {}))
        elif "".join(label.itertext()).strip():
            found[path] = {"default": "".join(label.itertext()).strip()}
    return found


def pick(labels: dict[str, str] | None, language: str, fallback: str = "") -> str:
    """The label in `language` ("zh", "en", "zh_Hans", "zh-Hans" match "zh", "zh-CN"...), else the default
    language's, else Chinese, English or any, else `fallback`."""
    if not labels:
        return fallback
    if labels.get(language):
        return labels[language]
    wanted = language.replace("-", "_").split("_")[0].lower()
    for code, text in labels.items():
        if text and code.replace("-", "_").split("_")[0].lower() == wanted:
            return text
    for code in ("default", "zh", "en"):
        if labels.get(code):
            return labels[code]
    return next((v for v in labels.values() if v), fallback)
