"""Signed PDFs of the site: its certificate, a folder to write into, a PDF signed in place of
its unsigned draft. Shared by the pass cards (services/pass_cards.py) and the daily logs
(services/daily_logs.py)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from checkpoint_app.db import site_repo
from checkpoint_app.errors import PermissionDenied, StorageError, UserError
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext

_ = Messages({
    "no_pki": ("本数据库没有文件签名证书，不能生成或核验签名文件。",
               "This database holds no document-signing certificate; signed documents cannot be "
               "made or checked."),
    "no_signer_key": ("此电脑没有文件签名私钥，不能生成签名文件（加入小区时未获签发本门岗的文件签名证书）；"
                      "本门岗的记录可在办公室电脑生成全小区日志。",
                      "This PC holds no document-signing key and cannot make signed documents (it got "
                      "no document-signing certificate of its own when it joined the site); its records "
                      "go into the whole compound's logs made on the office PC."),
    "generated_by_default": ("checkpoint", "checkpoint"),
    "generated_unasked": ("门岗通自动生成", "Checkpoint, unasked"),
    "cannot_write": ("无法写入 {dir}：{error}", "Cannot write to {dir}: {error}"),
})


def no_pki_sentence() -> str:
    return _("no_pki")


def author(ctx: GateContext) -> str:
    """Who a document names as its maker (the upkeep's unasked logs: the app, not "system")."""
    from checkpoint_app.services.permissions import SYSTEM

    if ctx.user == SYSTEM:
        return _("generated_unasked")
    return ctx.user or _("generated_by_default")


def pki_from(conn: sqlite3.Connection, *, need_key: bool):
    from checkpoint_app.reports.signing import SitePKI

    row = site_repo.get_pki(conn)
    if row is None:
        raise UserError(_("no_pki"), "no_pki")
    ca, signer, key = row
    if need_key and not key:
        raise PermissionDenied(_("no_signer_key"), "no_signer_key")
    return SitePKI(ca, signer, key or b"")


def pki(ctx: GateContext, *, need_key: bool):
    """The site's PKI, or None when there is none and no key is needed."""
    with ctx.db.read() as conn:
        try:
            return pki_from(conn, need_key=need_key)
        except UserError:
            if need_key:
                raise
            return None


@contextlib.contextmanager
def writing(folder: Path):
    """A folder that cannot be written (a full or write-protected USB stick...) is a storage
    problem with a sentence for the user, not a bug."""
    try:
        yield
    except OSError as exc:
        raise StorageError(_("cannot_write", dir=folder, error=exc.strerror or exc),
                           "cannot_write") from exc


@contextlib.contextmanager
def unsigned_beside(out: Path):
    """A temporary name beside ``out`` for the unsigned PDF; removed afterwards, so the real
    name only ever holds a signed file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.unsigned.pdf")
    try:
        yield tmp
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def sign(src: Path, out: Path, pki, *, reason: str, location: str) -> None:
    from checkpoint_app.reports.signing import sign_pdf

    sign_pdf(src, out, pki, reason=reason, location=location)
