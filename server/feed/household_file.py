"""One file per household (一户一档): a ZIP an archivist can file and check offline.

It holds each interview of the household (every version: an edit keeps the one it replaced) with its XML
as received, the interview as the feed gives it (answers, status, findings with evidence, reconciliation,
decisions, verdicts) and its media; the chain entries that cover them; a manifest with every file's
sha256; and a printable summary in Chinese. server/evidence/household_check.py checks it with nothing
but the file.
"""
import hashlib
import html
import os
import tempfile
import zipfile

import orjson
from sqlalchemy import select

from server.accounts import audit
from server.evidence import canonical
from server.evidence import sweep as chain_sweep
from server.feed import changes
from server.infra import media_store
from server.infra.errors import not_found
from server.infra.extensions import db
from server.models import (Attachment, ChainEntry, CheckRun, ClassificationReview, Household,
                           ReviewDecision, Submission)
from server.models.types import utcnow

FORMAT = "fieldcheck-household-file/1"


def find_household(evaluation, archive_id):
    household = db.session.execute(select(Household).where(
        Household.evaluation_id == evaluation.id, Household.archive_id == archive_id)).scalar()
    if household is None:
        raise not_found("household", archive_id)
    return household


def download(evaluation, archive_id, actor):
    """(temporary file at its start, download name) of a household's file, its handing out audited (the
    caller commits): the API and the dashboard both give it this way."""
    household = find_household(evaluation, archive_id)
    stream = tempfile.TemporaryFile()
    write(evaluation, household, stream, actor)
    audit.record(actor, "household.file", f"household:{archive_id}", {}, evaluation.id)
    stream.seek(0)
    return stream, f"{evaluation.code}-{archive_id}.zip"


def write(evaluation, household, stream, actor):
    """Write the household's file as a ZIP to the binary `stream` (a file: ZIP needs to seek)."""
    ids = _submission_ids(evaluation.id, household.id)
    items = changes.interviews(evaluation.id, ids)
    entries = _chain_entries(evaluation.id, ids)
    files, interviews, missing = [], [], []
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (submission_id, item) in enumerate(zip(sorted(ids), items), 1):
            folder = f"interviews/{number:02d}"
            interviews.append(_interview(archive, files, missing, folder, submission_id, item))
        manifest = _manifest(evaluation, household, actor, interviews, entries, missing)
        _add(archive, files, "summary.html", _summary(manifest, items).encode("utf-8"))
        manifest["files"] = files
        archive.writestr(zipfile.ZipInfo("manifest.json", _now_tuple()),
                         orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    return manifest


def _submission_ids(evaluation_id, household_id):
    """Every version of every interview the checks tied to the household."""
    roots = select(Submission.root_instance_id).join(CheckRun, CheckRun.submission_id == Submission.id).where(
        CheckRun.household_id == household_id, Submission.evaluation_id == evaluation_id)
    return list(db.session.execute(select(Submission.id).where(
        Submission.evaluation_id == evaluation_id, Submission.root_instance_id.in_(roots))
        .order_by(Submission.id)).scalars())


def _chain_entries(evaluation_id, ids):
    reviews = select(ReviewDecision.id).where(ReviewDecision.submission_id.in_(ids))
    verdicts = select(ClassificationReview.id).where(ClassificationReview.submission_id.in_(ids))
    rows = db.session.execute(select(ChainEntry).where(ChainEntry.evaluation_id == evaluation_id).where(
        ((ChainEntry.kind == "submission") & ChainEntry.source_id.in_(ids))
        | ((ChainEntry.kind == "review") & ChainEntry.source_id.in_(reviews))
        | ((ChainEntry.kind == "classification") & ChainEntry.source_id.in_(verdicts)))
        .order_by(ChainEntry.seq)).scalars()
    return [{"seq": e.seq, "kind": e.kind, "source_id": e.source_id, "at": canonical.instant(e.at),
             "actor": e.actor,
             "covers": e.covers, "content_sha256": e.content_sha256, "prev_hash": e.prev_hash,
             "hash": e.hash} for e in rows]


def _interview(archive, files, missing, folder, submission_id, item):
    xml = db.session.execute(select(Submission.xml).where(Submission.id == submission_id)).scalar()
    _add(archive, files, f"{folder}/submission.xml", xml.encode("utf-8"))
    _add(archive, files, f"{folder}/interview.json", orjson.dumps(item, option=orjson.OPT_INDENT_2))
    for attachment in db.session.execute(select(Attachment).where(
            Attachment.submission_id == submission_id).order_by(Attachment.name)).scalars():
        path = _stored(attachment)
        if path is None:
            missing.append({"interview": item["instance_id"], "name": attachment.name})
            continue
        _add_file(archive, files, f"{folder}/media/{attachment.name}", path)
    decisions = db.session.execute(select(ReviewDecision.id, ReviewDecision.decision, ReviewDecision.reason)
                                   .where(ReviewDecision.submission_id == submission_id)
                                   .order_by(ReviewDecision.id)).all()
    return {"instance_id": item["instance_id"], "submission_id": submission_id, "folder": folder,
            "current": item["current"], "status": item["status"],
            "decisions": [{"id": d.id, "decision": d.decision, "reason": d.reason} for d in decisions]}


def _manifest(evaluation, household, actor, interviews, entries, missing):
    seq, head = chain_sweep.head(evaluation.id)
    return {"format": FORMAT, "evaluation": evaluation.code, "evaluation_id": evaluation.id,
            "household": {"archive_id": household.archive_id, "head_name": household.head_name,
                          "county": household.county, "township": household.township,
                          "village": household.village, "village_code": household.village_code,
                          "status": household.status},
            "generated_at": _instant(utcnow()), "generated_by": actor,
            "chain_head": {"seq": seq, "hash": head}, "interviews": interviews, "chain_entries": entries,
            "missing_files": missing,
            "how_to_check": "fieldcheck chain check-file THIS.zip (or python -m "
                            "server.evidence.household_check THIS.zip); then compare chain_head with the "
                            "daily digest kept outside fieldcheck"}


def _summary(manifest, items):
    """The printable page (A4), in Chinese: who, which interviews, what was found and decided."""
    h, e = manifest["household"], html.escape
    rows = "".join(
        f"<tr><td>{e(i['instance_id'])}</td><td>{e(str(i['received_at'])[:19])}</td>"
        f"<td>{e(i['enumerator'] or '')}</td><td>{e(_STATUS.get(i['status'], i['status'] or '未检查'))}</td>"
        f"<td>{e('；'.join(f['message']['zh'] for f in i['findings'] if f['outcome'] == 'found') or '无')}</td>"
        f"<td>{e('；'.join(d['decision'] + '：' + d['reason'] for d in i['decisions']) or '无')}</td></tr>"
        for i in items)
    return f"""<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>一户一档 {e(h['archive_id'])}</title><style>@page {{ size: A4; margin: 15mm }}
body {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 10pt }} table {{ border-collapse: collapse;
width: 100% }} td, th {{ border: 1px solid #888; padding: 3px; vertical-align: top; word-break: break-all }}
</style></head><body><h1>一户一档：{e(h['archive_id'])}</h1>
<p>户主：{e(h['head_name'] or '')}　地址：{e(h['county'] or '')}{e(h['township'] or '')}{e(h['village'] or '')}
　评估：{e(manifest['evaluation'])}　生成时间：{e(manifest['generated_at'][:19])}</p>
<table><thead><tr><th>访谈编号</th><th>收到时间</th><th>调查员</th><th>状态</th><th>发现</th><th>审核</th></tr>
</thead><tbody>{rows}</tbody></table>
<p>证据链：本档案含{len(manifest['chain_entries'])}条链记录；生成时链头为第{manifest['chain_head']['seq']}条，
哈希 <code>{e(manifest['chain_head']['hash'])}</code>。核验：<code>fieldcheck chain check-file 本文件.zip</code>，
再将链头与在系统外保存的每日摘要比对。</p></body></html>"""


_STATUS = {"clean": "无问题", "review": "待审核", "excluded": "已排除", "cleared": "审核通过",
           "encrypted_not_checked": "加密未检查"}


def _add(archive, files, name, data):
    archive.writestr(zipfile.ZipInfo(name, _now_tuple()), data, zipfile.ZIP_DEFLATED)
    files.append({"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})


def _add_file(archive, files, name, path):
    """A media file, streamed into the ZIP and hashed on the way (never read whole into memory)."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source, archive.open(name, "w", force_zip64=True) as target:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
            target.write(block)
    files.append({"path": name, "sha256": digest.hexdigest(), "size": size})


def _stored(attachment):
    try:
        path = media_store.resolve(attachment.path)
    except ValueError:
        return None
    return path if path and os.path.isfile(path) else None


def _instant(value):
    return value.isoformat(timespec="microseconds") if value is not None else None


def _now_tuple():
    return utcnow().timetuple()[:6]
