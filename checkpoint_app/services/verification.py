"""``verify`` for auditors: is a PDF authentic for this database?

``verify_document(ctx, path)`` answers an auditor: is this PDF authentic? It holds when

1. the PDF's signature is valid, made with this site's certificate, and covers every byte of
   the file (nothing altered, nothing appended);
2. the checkpoint it carries belongs to this site, is signed by the gate that printed it, and
   matches the database (row count, first/last record, chain head); and
3. the records it covers still match their stored hashes and chain: someone who edits a row
   with SQL (after dropping the append-only triggers) but leaves the stored hashes alone would
   otherwise pass step 2.

A log printed before its day ended covers the records up to that moment (its checkpoint names
the last one and its chain hash; every page says "截至 HH:MM"). Records the gate made later
that day do not make it false: it is authentic for what it covers, and the verdict names the
range covered and how many records the day had afterwards (``DocumentCheck.later``). The
end-of-day log remains the complete one.

Each failure is a :class:`DocumentProblem` with one of the codes of :data:`PROBLEM_CODES`
and a sentence for the user.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from checkpoint_app.db import site_repo
from checkpoint_app.domain.checkpoint import (
    COMPOUND_INFO_KEY,
    Checkpoint,
    GateDay,
    compound_from_json,
    decode_checkpoint,
)
from checkpoint_app.errors import InvalidInput
from checkpoint_app.domain.text import shown
from checkpoint_app.i18n import Messages
from checkpoint_app.services import integrity, signed_pdf
from checkpoint_app.services.checkpoints import check_checkpoint, summarise_day
from checkpoint_app.services.context import GateContext

log = logging.getLogger(__name__)

_ = Messages({
    "unreadable": ("无法读取该文件：{error}", "Cannot read the file: {error}"),
    "not_pdf": ("该文件不是 PDF 文件。", "The file is not a PDF."),
    "empty": ("文件是空的（0 字节），里面没有日志。", "The file is empty (0 bytes): there is no log in it."),
    "not_found": ("找不到该文件。", "The file was not found."),
    # what pyHanko said ("byte 0x…") is in the log (reports/signing.py), not in the sentence
    "damaged": ("文件已损坏或被改动，无法读取其签名。",
                "The file is damaged or altered; its signature cannot be read."),
    "other_site_cert": ("该文件由其他小区（{site}）的证书签名，不是本小区的文件。",
                        "The file was signed with another site's certificate ({site}); it is not "
                        "a document of this site."),
    "no_checkpoint": ("文件中没有核验码（不是门岗通日报），无法与数据库核对。",
                      "The file carries no checkpoint (it is not a Checkpoint daily log); it "
                      "cannot be checked against the database."),
    "bad_checkpoint": ("文件中的核验码无法识别。", "The file's checkpoint cannot be read."),
    "other_site": ("文件的核验码属于其他小区（{site}），本数据库是 {ours}。",
                   "The file's checkpoint belongs to another site ({site}); this database is "
                   "{ours}."),
    "record_changed": (
        "数据库中 {day} 的记录 #{seq}（{kind}）已被改动：内容与其存储的哈希不符。",
        "Record #{seq} ({kind}) of {day} was altered in the database: its content no longer "
        "matches its stored hash.",
    ),
    "record_missing": ("数据库中 {day} 的记录 #{seq}（{kind}）已被删除。",
                       "Record #{seq} ({kind}) of {day} was deleted from the database."),
    "chain_broken": ("数据库中 {day} 的哈希链在记录 #{seq} 处断裂。",
                     "The database's hash chain of {day} is broken at record #{seq}."),
    "seq_gap": ("数据库中 {day} 的记录缺少 #{seq}。", "Record #{seq} of {day} is missing from the database."),
    "personal_changed": ("数据库中 {day} 的访客记录 #{seq} 的个人信息已被改动。",
                         "The personal data of visitor record #{seq} of {day} was altered in the "
                         "database."),
    "authentic_part": (
        "文件真实有效：签名有效、文件未被改动，核验码与本数据库一致（{site} {gate} {day}{as_of}，"
        "覆盖本门岗当日记录 #{first}–#{last} 共 {rows} 条）。此后当日又登记了 {n} 条记录，"
        "不在本文件中；完整记录以日终日志为准。",
        "The file is authentic for what it covers: the signature holds, the file is unaltered "
        "and its checkpoint matches this database ({site} {gate} {day}{as_of}, records "
        "#{first}–#{last}, {rows:record|records} of that gate and day). The day had {n:more record|more records} "
        "afterwards, not in this file; the end-of-day log is the complete one.",
    ),
    "as_of": ("，截至 {time}", ", as of {time}"),
    "authentic": ("文件真实有效：签名有效、文件未被改动，核验码与本数据库一致（{site} {gate} {day}{as_of}，"
                  "本门岗当日记录 {rows} 条）。",
                  "The file is authentic: the signature holds, the file is unaltered and its "
                  "checkpoint matches this database ({site} {gate} {day}{as_of}, {rows:record|records} of "
                  "that gate and day)."),
    "cat.unreadable": ("无法读取", "unreadable"),
    "cat.signature": ("签名无效", "signature"),
    "cat.altered": ("文件被改动", "altered bytes"),
    "cat.changed_after_signing": ("签名后被修改", "changed after signing"),
    "cat.checkpoint_mismatch": ("核验码与数据库不符", "checkpoint mismatch"),
    "cat.unknown_site": ("其他小区的文件", "unknown site"),
    "cat.not_registered": ("证书未登记", "certificate not registered"),
    "not_registered": (
        "该文件由 {site} 的证书签名，本机尚未登记该证书：请先登记该小区的证书（证书文件或登记单二维码）。",
        "The file is signed with the certificate of {site}, which is not registered on this PC: "
        "register the site's certificate first (its file or the registration sheet's QR).",
    ),
    "other_site_given": ("该文件由其他小区（{site}）签名，不是所给证书的小区（{ours}）。",
                         "The file was signed by another site ({site}), not by the site of the "
                         "certificate given ({ours})."),
    "not_the_registered": (
        "该文件自称属于 {site}，但签名证书不是本机登记的 {site} 证书：可能是其他同编号的小区，或是伪造。",
        "The file claims to be of {site}, but its signing certificate is not the one registered "
        "for {site}: another site with the same code, or a forgery.",
    ),
    "authentic_compound": (
        "全小区日志真实有效（凭小区证书）：签名有效、文件未被改动（{site} {day}{as_of}，{n} 个门岗共 {rows} 条记录）。",
        "The log of the whole compound is authentic (by the site certificate): the signature holds and the "
        "file is unaltered ({site} {day}{as_of}, {n:gate|gates}, {rows:record|records})."),
    "authentic_compound_db": (
        "全小区日志真实有效：签名有效、文件未被改动，各门岗的核验码与本数据库一致（{site} {day}{as_of}，{n} 个门岗共 {rows} 条记录）。",
        "The log of the whole compound is authentic: the signature holds, the file is unaltered and each gate's "
        "checkpoint matches this database ({site} {day}{as_of}, {n:gate|gates}, {rows:record|records})."),
    "compound_short": ("但制作时本机没有 {gates} 当日之后的记录：这些门岗的记录可能不全（未同步）。",
                       " But the PC that made it held no later record of {gates}: their records of the day "
                       "may be short (not synced)."),
    "compound_gates": ("全小区（{n} 个门岗）", "whole compound ({n:gate|gates})"),
    "compound_mismatch": ("全小区日志中 {gate} 的核验值与数据库不符：{field} 打印为 {printed}，数据库中为 {actual}。",
                          "The compound log's checkpoint of {gate} does not match the database: {field} printed "
                          "{printed}, database has {actual}."),
    "cp_gate": ("文件由门岗证书“{signer}”签名，但所载核验码是另一个门岗的：门岗证书只能签本门岗的日志。",
                "The file is signed with the gate certificate \"{signer}\" but carries another gate's "
                "checkpoint: a gate's certificate signs only that gate's logs."),
    "cp_site": ("核验码属于 {site}，与签名的小区 {ours} 不符。",
                "The checkpoint belongs to {site}, not to the site that signed the file ({ours})."),
    "authentic_offline": (
        "文件真实有效（凭小区证书）：签名有效、文件未被改动，核验码完整（{site} {gate} {day}{as_of}，"
        "本门岗当日记录 {rows} 条）。",
        "The file is authentic (by the site certificate): the signature holds, the file is "
        "unaltered and its checkpoint is whole ({site} {gate} {day}{as_of}, {rows:record|records} of "
        "that gate and day).",
    ),
})

#: What can fail, most basic first. ``detail`` of a problem says more precisely what.
PROBLEM_CODES = ("unreadable", "signature", "altered", "unknown_site", "checkpoint_mismatch")


@dataclass(frozen=True)
class DocumentProblem:
    code: str                 # one of PROBLEM_CODES
    message: str              # a sentence for the user
    # finer, for programs: "io", "empty", "not_pdf", "no_pki"; the signature's "none", "unreadable",
    # "altered", "appended", "invalid", "untrusted", "earlier"; "site"; the checkpoint's
    # "missing", "malformed", "checkpoint_mismatch", "unknown_gate",
    # "checkpoint_signature"; "records_row_hash", "records_missing_row", "records_chain",
    # "records_gap", "records_personal"
    detail: str = ""

    @property
    def _cat(self) -> str:
        if self.detail in ("appended", "not_registered"):
            return {"appended": "cat.changed_after_signing", "not_registered": "cat.not_registered"}[self.detail]
        return f"cat.{self.code}"

    @property
    def category(self) -> str:
        """What failed, in the user's language ("签名无效" / "signature")."""
        return _(self._cat)

    @property
    def label(self) -> str:
        """What failed, in English words, for scripts and the CLI ("altered bytes")."""
        return _(self._cat, lang="en")


@dataclass(frozen=True)
class DocumentCheck:
    """Result of :func:`verify_document`. ``ok``: authentic (no problems)."""

    ok: bool
    path: Path
    problems: tuple[DocumentProblem, ...] = ()
    checkpoint: Checkpoint | None = None
    log_kind: str | None = None
    signer: str = ""
    message: str = ""         # the verdict in one sentence
    codes: tuple[str, ...] = field(default=())
    as_of: str | None = None  # a log printed before its day ended: the moment it covers (ISO)
    later: int = 0            # records of that gate and day made after the file was printed
    site: str = ""            # "和谐苑（HXY01）": the site that signed it, as far as known
    gate: str = ""            # the gate's name, as far as known
    offline: bool = False     # checked by the site certificate alone (no database)
    gates: tuple[GateDay, ...] = ()   # a log of the whole compound: each gate's day it holds
    # an authentic log under a name in the app's form (daily_logs.file_name): does the name say what it
    # holds (services/audit.py)? None: not asked (a name chosen freely, or a file that failed)
    name_ok: bool | None = None

    @property
    def readable(self) -> bool:
        return "unreadable" not in self.codes

    @property
    def signature_ok(self) -> bool | None:
        """The signature holds and is the site's; None when the file, or its signature, could not be read."""
        if not self.readable or any(p.detail == "unreadable" for p in self.problems):
            return None
        return not {"signature", "unknown_site"} & set(self.codes)

    @property
    def unaltered(self) -> bool | None:
        return None if not self.readable else "altered" not in self.codes

    @property
    def day(self) -> str:
        """The day the file covers (ISO), "" when unknown."""
        cp = self.checkpoint or (self.gates[0].checkpoint if self.gates else None)
        return cp.day.isoformat() if cp else ""

    @property
    def checkpoint_ok(self) -> bool | None:
        if not self.readable or (self.checkpoint is None and not self.gates
                                 and "checkpoint_mismatch" not in self.codes):
            return None
        return "checkpoint_mismatch" not in self.codes

    def as_json(self) -> dict:
        cp = self.checkpoint
        return {
            "file": str(self.path), "ok": self.ok, "authentic": self.ok, "log": self.log_kind,
            "signer": self.signer, "message": self.message, "site": self.site, "gate": self.gate,
            "day": self.day or None, "signature": self.signature_ok,
            "unaltered": self.unaltered, "checkpoint_ok": self.checkpoint_ok,
            "offline": self.offline,
            "checkpoint": None if cp is None else {
                "site": cp.site_code, "gate": cp.gate_id, "day": cp.day.isoformat(),
                "rows": cp.row_count, "first": cp.first_seq, "last": cp.last_seq,
                "chain_head": cp.chain_head, "version": cp.version, "prev_last": cp.prev_seq,
                "prev_head": cp.prev_head, "as_of": self.as_of, "later_records": self.later},
            "gates": [{"gate": g.checkpoint.gate_id, "name": g.name, "rows": g.checkpoint.row_count,
                       "first": g.checkpoint.first_seq, "last": g.checkpoint.last_seq,
                       "chain_head": g.checkpoint.chain_head, "complete": g.complete, "newest": g.newest}
                      for g in self.gates],
            "problems": [{"code": p.code, "what": p.label, "detail": p.detail,
                          "message": p.message} for p in self.problems],
        }


def read_embedded(path: Path) -> tuple[str | None, str | None, str | None]:
    """(checkpoint text, log kind, as of) from the PDF's document information; None for each
    one missing."""
    from checkpoint_app.reports.daily_log import AS_OF_INFO_KEY, CHECKPOINT_INFO_KEY, LOG_INFO_KEY

    return _info(path, CHECKPOINT_INFO_KEY, LOG_INFO_KEY, AS_OF_INFO_KEY)  # type: ignore[return-value]


def _info(path: Path, *keys: str) -> tuple[str | None, ...]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(path, "rb") as f:
        reader = PdfFileReader(f, strict=False)
        try:
            info = reader.trailer["/Info"].get_object()
        except KeyError:
            return (None,) * len(keys)
        return tuple(None if (v := info.get(f"/{key}")) is None else str(v) for key in keys)


def verify_document(ctx: GateContext, path: Path) -> DocumentCheck:
    """Is the PDF at ``path`` authentic for this database? See the module documentation."""
    path = Path(path)
    problems: list[DocumentProblem] = []
    with ctx.db.read() as conn:
        row = site_repo.get_pki(conn)
    opened = _open(path, None if row is None else row[0])
    if isinstance(opened, DocumentProblem):
        return _verdict(path, [opened])
    sig, cp_text, kind, as_of, gates = opened

    # 1. the signature
    if not sig.valid:
        code, detail = _signature_problem(sig, ctx.site.code)
        message = sig.problem or ""
        if code == "unknown_site":
            message = _("other_site_cert", site=sig.signer_site)
        elif detail == "unreadable":
            message = _("damaged")
        problems.append(DocumentProblem(code, message, detail))

    if gates:
        return _compound_against_db(ctx, path, problems, sig, kind, as_of, gates)

    # 2. the checkpoint
    cp = _decoded(cp_text, problems)
    if cp is None:
        return _verdict(path, problems, None, kind, sig.signer)
    _check_signer_gate(sig, cp, problems)
    if cp.site_code != ctx.site.code:
        if not any(p.code == "unknown_site" for p in problems):
            problems.append(DocumentProblem(
                "unknown_site", _("other_site", site=cp.site_code, ours=ctx.site.code), "site"))
        return _verdict(path, problems, cp, kind, sig.signer)
    check = check_checkpoint(ctx, cp_text)
    later = 0
    if not check.ok and check.code == "checkpoint_mismatch":
        later = _records_added_since(ctx, cp)  # the day went on after printing: not a change
    if not check.ok and not later:
        if check.code == "unknown_gate":
            code = "unknown_site" if not sig.valid else "checkpoint_mismatch"
        elif check.code == "checkpoint_signature":
            code = "signature"
        elif check.code == "unknown_site":
            code = "unknown_site"
        else:
            code = "checkpoint_mismatch"
        message, detail = check.problem or "", check.code or ""
        if not any(p.code == code == "unknown_site" for p in problems):
            problems.append(DocumentProblem(code, message, detail))
        if check.code in ("unknown_gate", "unknown_site", "checkpoint_signature"):
            return _verdict(path, problems, cp, kind, sig.signer)

    # 3. the records behind the checkpoint, recomputed
    if cp.row_count:
        problems += _records_problems(ctx, cp)
    with ctx.db.read() as conn:
        row = conn.execute("SELECT name FROM gates WHERE uid = ?", (cp.gate_id,)).fetchone()
    gate_name = row[0] if row else _gate_of(sig.location, ctx.site.name)
    return _verdict(path, problems, cp, kind, sig.signer,
                    site=f"{ctx.site.name}（{ctx.site.code}）", gate=gate_name, as_of=as_of, later=later)


def _compound_against_db(ctx: GateContext, path: Path, problems: list[DocumentProblem], sig, kind, as_of,
                         gates: tuple[GateDay, ...]) -> DocumentCheck:
    """A log of the whole compound against this database: each gate's values as the database says
    them now (records that reached this PC since it was made may follow them), and those records
    recomputed."""
    fields = ("row_count", "first_seq", "last_seq", "chain_head", "prev_seq", "prev_head")
    for g in gates:
        cp = g.checkpoint
        if cp.site_code != ctx.site.code:
            problems.append(DocumentProblem("unknown_site", _("other_site", site=cp.site_code, ours=ctx.site.code),
                                            "site"))
            break
        with ctx.db.read() as conn:
            actual = summarise_day(conn, cp.gate_id, cp.day, ctx.site.code)
        wrong = next((f for f in fields if getattr(cp, f) != getattr(actual, f)), None)
        if wrong and not _records_added_since(ctx, cp):
            problems.append(DocumentProblem("checkpoint_mismatch", _("compound_mismatch", gate=g.name, field=wrong,
                                            printed=shown(getattr(cp, wrong), 16), actual=shown(getattr(actual, wrong), 16)),
                                            "checkpoint_mismatch"))
        elif cp.row_count:
            problems += _records_problems(ctx, cp)
    return _verdict(path, problems, None, kind, sig.signer, site=f"{ctx.site.name}（{ctx.site.code}）",
                    gate=_("compound_gates", n=len(gates)), as_of=as_of, gates=gates)


def _records_problems(ctx: GateContext, cp: Checkpoint) -> list[DocumentProblem]:
    """The records behind a checkpoint, recomputed: what no longer matches its hash or chain."""
    from checkpoint_app.domain.record_kinds import label as kind_label

    found = integrity.verify_records(ctx, cp.gate_id, cp.first_seq, cp.last_seq, limit=5).problems
    keys = {"row_hash": "record_changed", "missing_row": "record_missing", "day": "record_changed",
            "unknown_kind": "record_changed", "chain": "chain_broken", "gap": "seq_gap", "personal": "personal_changed"}
    return [DocumentProblem("checkpoint_mismatch", _(keys[p.problem], day=cp.day.isoformat(), seq=p.seq,
                                                     kind=kind_label(p.kind)), f"records_{p.problem}")
            for p in found]


def verify_offline(path: Path, certificates, *, given: bool = False) -> DocumentCheck:
    """Is the PDF at ``path`` authentic by the site certificates alone (services/trust.py), with
    no database? The signature must hold with one of ``certificates`` as the trust root and cover
    the whole file, and the checkpoint it carries must be readable and the signing site's.
    ``given``: the certificates were named for this check (``--trust``), so a file of any other
    site is "another site's", not "not registered". Continuity across days: services/audit.py."""
    from checkpoint_app.reports.signing import verify_pdf_signature

    path = Path(path)
    problems: list[DocumentProblem] = []
    certificates = list(certificates)
    opened = _open(path, b"".join(c.pem for c in certificates))
    if isinstance(opened, DocumentProblem):
        return _verdict(path, [opened], offline=True)
    sig, cp_text, kind, as_of, gates = opened
    same_code = [c for c in certificates if c.site_code == sig.signer_site]
    cert = None
    if sig.valid:
        cert = next((c for c in same_code if len(same_code) == 1
                     or verify_pdf_signature(path, c.pem).valid), None)
    elif sig.code == "untrusted" and sig.signer_site:
        if same_code:
            message, detail = _("not_the_registered", site=sig.signer_site), "untrusted"
        elif given:
            message, detail = _("other_site_given", site=sig.signer_site,
                                ours="、".join(c.label for c in certificates) or "-"), "site"
        else:
            message, detail = _("not_registered", site=sig.signer_site), "not_registered"
        problems.append(DocumentProblem("unknown_site", message, detail))
    else:
        code, detail = _signature_problem(sig, sig.signer_site)
        message = _("damaged") if detail == "unreadable" else sig.problem or ""
        problems.append(DocumentProblem(code, message, detail))
    site_name = cert.site_name if cert else ""
    label = cert.label if cert else sig.signer_site
    if cert is not None and len(same_code) > 1:   # two sites chose the same code: which one, by its fingerprint
        label = f"{label} {cert.short}…"
    words = dict(site=label, gate=_gate_of(sig.location, site_name),
                 offline=True)
    if gates:   # a log of the whole compound: each gate's checkpoint values, under the site's signature
        if cert is not None and (other := next((g for g in gates if g.checkpoint.site_code != cert.site_code), None)):
            problems.append(DocumentProblem("checkpoint_mismatch", _("cp_site", site=other.checkpoint.site_code,
                                                                     ours=cert.label), "site"))
        words["gate"] = _("compound_gates", n=len(gates))
        return _verdict(path, problems, None, kind, sig.signer, as_of=as_of, gates=gates, **words)
    cp = _decoded(cp_text, problems)
    if cp is not None and cert is not None and cp.site_code != cert.site_code:
        problems.append(DocumentProblem("checkpoint_mismatch", _("cp_site", site=cp.site_code, ours=cert.label),
                                        "site"))
    _check_signer_gate(sig, cp, problems)
    return _verdict(path, problems, cp, kind, sig.signer, as_of=as_of, **words)


def _check_signer_gate(sig, cp: Checkpoint | None, problems: list[DocumentProblem]) -> None:
    """A log signed with a gate's own certificate (exchange/join.py) must be that gate's."""
    if sig.valid and sig.signer_gate and cp is not None and cp.gate_id != sig.signer_gate:
        problems.append(DocumentProblem("checkpoint_mismatch", _("cp_gate", signer=sig.signer), "gate"))


def _open(path: Path, roots: bytes | None):
    """(signature check, checkpoint text, log kind, as of, the gates' days of a compound's log) of
    a readable PDF, or the problem that stops there. ``roots``: the trusted site CA(s), PEM; None:
    this database has none."""
    from checkpoint_app.reports.signing import verify_pdf_signature

    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except FileNotFoundError:
        return DocumentProblem("unreadable", _("not_found"), "io")
    except OSError as exc:
        return DocumentProblem("unreadable", _("unreadable", error=exc.strerror or exc), "io")
    if not head:
        return DocumentProblem("unreadable", _("empty"), "empty")
    if b"%PDF-" not in head:
        return DocumentProblem("unreadable", _("not_pdf"), "not_pdf")
    if roots is None:
        return DocumentProblem("signature", signed_pdf.no_pki_sentence(), "no_pki")
    sig = verify_pdf_signature(path, roots)
    from checkpoint_app.reports.daily_log import AS_OF_INFO_KEY, CHECKPOINT_INFO_KEY, LOG_INFO_KEY

    try:
        cp_text, kind, as_of, compound = _info(path, CHECKPOINT_INFO_KEY, LOG_INFO_KEY, AS_OF_INFO_KEY,
                                               COMPOUND_INFO_KEY)
    except Exception as exc:  # a damaged file: say so, do not crash
        log.warning("cannot read the document information of %s: %s", path, exc)
        if sig.valid:  # pyHanko read it a moment ago: not expected
            return DocumentProblem("altered", _("damaged"), "unreadable")
        cp_text, kind, as_of, compound = None, None, None, None
    gates: tuple[GateDay, ...] = ()
    if compound is not None and cp_text is None:
        try:
            gates = tuple(compound_from_json(compound))
        except InvalidInput:
            pass   # said as a checkpoint that cannot be read
        if not gates:
            cp_text = compound
    return sig, cp_text, kind, as_of, gates


def _decoded(cp_text: str | None, problems: list[DocumentProblem]) -> Checkpoint | None:
    """The checkpoint the file carries; None (and the problem noted) when it has none or it
    cannot be read. No problem is added for a missing one after the file already failed as
    altered or another site's."""
    if cp_text is None:
        if not problems or problems[0].code not in ("altered", "unknown_site"):
            problems.append(DocumentProblem("checkpoint_mismatch", _("no_checkpoint"), "missing"))
        return None
    try:
        return decode_checkpoint(cp_text)[0]
    except InvalidInput:
        problems.append(DocumentProblem("checkpoint_mismatch", _("bad_checkpoint"), "malformed"))
        return None


def _gate_of(location: str, site_name: str) -> str:
    """The gate's name in a daily log's signature location ("<site name> <gate name>")."""
    if site_name and location.startswith(site_name + " "):
        return location[len(site_name) + 1:]
    return location.rsplit(" ", 1)[-1]


def _records_added_since(ctx: GateContext, cp: Checkpoint) -> int:
    """How many records of the checkpoint's day were added after it was made, when that is
    the only difference (its last record is still there with the same chain hash); else 0."""
    with ctx.db.read() as conn:
        now = summarise_day(conn, cp.gate_id, cp.day, cp.site_code)
        if cp.row_count == 0:
            same_start = True
            head = bytes(32).hex()
        else:
            same_start = now.first_seq == cp.first_seq
            row = conn.execute("SELECT chain_hash FROM journal WHERE origin = ? AND origin_seq = ?",
                               (cp.gate_id, cp.last_seq)).fetchone()
            head = bytes(row[0]).hex() if row else ""
    if same_start and head == cp.chain_head and now.row_count > cp.row_count:
        return now.row_count - cp.row_count
    return 0


def _signature_problem(sig, site_code: str) -> tuple[str, str]:
    """(code, detail) for an invalid signature."""
    detail = sig.code or "invalid"
    if detail in ("altered", "appended"):
        return "altered", detail
    if detail == "unreadable":
        return "altered", detail
    if detail == "untrusted" and sig.signer_site and sig.signer_site != site_code:
        return "unknown_site", detail
    return "signature", detail


def _verdict(path: Path, problems: list[DocumentProblem], cp: Checkpoint | None = None,
             kind: str | None = None, signer: str = "", *, site: str = "",
             gate: str = "", as_of: str | None = None, later: int = 0,
             offline: bool = False, gates: tuple[GateDay, ...] = ()) -> DocumentCheck:
    # most basic first, keeping the order found within a code
    problems = sorted(problems, key=lambda p: PROBLEM_CODES.index(p.code))
    if problems:
        message = problems[0].message
    elif gates:
        short = [g.name for g in gates if not g.complete]
        message = _("authentic_compound" if offline else "authentic_compound_db", site=site or gates[0].checkpoint.site_code, day=gates[0].checkpoint.day,
                    n=len(gates), rows=sum(g.checkpoint.row_count for g in gates),
                    as_of=_("as_of", time=_as_of_time(as_of)) if as_of else "")
        if short and not as_of:
            message += _("compound_short", gates="、".join(short))
    elif cp is not None:
        words = dict(site=site or cp.site_code, gate=gate or cp.gate_id[:8], day=cp.day.isoformat(),
                     rows=cp.row_count, as_of=_("as_of", time=_as_of_time(as_of)) if as_of else "")
        message = (_("authentic_part", first=cp.first_seq, last=cp.last_seq, n=later, **words) if later
                   else _("authentic_offline" if offline else "authentic", **words))
    else:  # pragma: no cover - a verdict without problems always has a checkpoint
        message = ""
    return DocumentCheck(ok=not problems, path=path, problems=tuple(problems), checkpoint=cp,
                         log_kind=kind, signer=signer, message=message,
                         codes=tuple(dict.fromkeys(p.code for p in problems)), as_of=as_of,
                         later=later if not problems else 0, site=site, gate=gate, offline=offline,
                         gates=gates)


def _as_of_time(as_of: str) -> str:
    """"09:30" of the ISO moment a partial log covers (the text itself if it is not one)."""
    try:
        return datetime.fromisoformat(as_of).strftime("%H:%M")
    except ValueError:
        return as_of
