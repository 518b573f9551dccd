"""The auditor's commands (an EXTENSIONS module of cli.py).

``verify FILE_OR_FOLDER… [--trust SITE.cer]``: one line per PDF (site, gate, day, signature,
unaltered, checkpoint, the verdict in one sentence), then the gaps between days; with ``--json``
one object ``{"ok", "files": [...], "gaps": [...]}``. Exit 0 when every file is authentic and
nothing is missing, else 1. Needs no data folder with ``--trust`` or with the site's
certificate registered (``trust add``); a site database in the data folder checks its own
files against its records too.

``trust add SITE.cer|SHEET.png`` / ``trust list`` / ``trust remove FINGERPRINT``: the auditor's
trust store (services/trust.py), in the user's folder, never in a site's data folder.

``site certificate --out SITE.cer [--sheet SHEET.pdf]``: the site's certificate (public only) and
the registration sheet to print.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from checkpoint_app import paths
from checkpoint_app.cli import emit
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

_ = Messages({
    "not_authentic": ("NOT authentic（未通过核验）：{file}", "NOT authentic: {file}"),
    "col.signature": ("签名", "signature"), "col.unaltered": ("未改动", "unaltered"),
    "col.checkpoint": ("核验码", "checkpoint"),
    "gaps": ("日志之间的缺口 {n} 处：", "{n:gap|gaps} between the logs:"),
    "summary": ("共 {n} 个文件：{ok} 个真实有效，{bad} 个未通过；缺口 {gaps} 处。",
                "{n:file|files}: {ok} authentic, {bad} not; {gaps:gap|gaps}."),
    "nothing": ("没有找到 PDF 文件：{paths}", "No PDF files found: {paths}"),
    "registered": ("已登记 {site} 的证书，指纹 {fp}。", "Registered the certificate of {site}, fingerprint {fp}."),
    "same_code": ("注意：本机已登记另一份 {site} 的证书（指纹 {fp}…）：两个小区用了同一编号，或其中一份是伪造的。"
                  "请与登记单逐词核对指纹。",
                  "Note: another certificate of {site} is registered on this PC (fingerprint {fp}…): two sites "
                  "chose the same code, or one of them is forged. Compare the fingerprint with the registration "
                  "sheet word by word."),
    "removed": ("已移除 {site} 的证书（{fp}）。", "Removed the certificate of {site} ({fp})."),
    "none_registered": ("本机尚未登记任何小区证书。", "No site certificate is registered on this PC."),
    "too_short": ("请至少给出指纹的第一组（4 位），例如 {example}。",
                  "Give at least the fingerprint's first group (4 characters), e.g. {example}."),
    "no_such": ("本机没有指纹以 {fp} 开头的证书。", "No registered certificate's fingerprint starts with {fp}."),
    "written": ("小区证书已写入 {file}，指纹 {fp}", "Site certificate written to {file}, fingerprint {fp}"),
    "sheet": ("登记单已写入 {file}", "Registration sheet written to {file}"),
    "words": ("指纹读法（与登记单逐词核对）：", "Fingerprint in words (compare with the sheet word by word):"),
})


def add_commands(sub: argparse._SubParsersAction) -> dict:
    s = sub.add_parser("verify", help="check PDF logs (files or folders): authentic, unaltered, no day missing")
    s.add_argument("files", type=Path, nargs="+", metavar="FILE_OR_FOLDER")
    s.add_argument("--trust", type=Path, action="append", metavar="SITE.cer",
                   help="check by this site certificate (repeatable); no data folder needed")

    s = sub.add_parser("trust", help="the site certificates this PC's auditor trusts (in the user's folder)")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("add", help="register a site: its certificate file or a picture of its registration sheet")
    x.add_argument("file", type=Path, metavar="SITE.cer|SHEET.png")
    ss.add_parser("list")
    x = ss.add_parser("remove")
    x.add_argument("fingerprint", help="the fingerprint, or its first groups (at least one group of 4)")

    site = sub.choices["site"]
    x = next(a for a in site._actions if isinstance(a, argparse._SubParsersAction)).add_parser(
        "certificate", help="write the site's certificate (public only) and its registration sheet")
    x.add_argument("--out", type=Path, required=True, metavar="SITE.cer")
    x.add_argument("--sheet", type=Path, metavar="SHEET.pdf", help="also write the one-page registration sheet")

    def site_command(ctx, args) -> int:  # ``site`` itself is cli_exchange.py's
        from checkpoint_app.cli_exchange import _site

        return _certificate(ctx, args) if args.action == "certificate" else _site(ctx, args)

    _verify.without_gate = True
    _trust.without_gate = True
    return {"verify": _verify, "trust": _trust, "site": site_command}


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("✓" if value else "✗")


def _verify(_none, args) -> int:
    from checkpoint_app.services import audit, trust

    certificates = [trust.read_file(f) for f in args.trust] if args.trust else None
    if not audit.collect(args.files):
        raise InvalidInput(_("nothing", paths=" ".join(map(str, args.files))), "no_files")
    ctx = gate = None
    data_dir = args.data_dir or paths.default_data_dir()
    if certificates is None and paths.db_path(data_dir).exists():  # this site's own files: by its records
        from checkpoint_app import cli_identity
        from checkpoint_app.services import context

        gate = context.open_gate(data_dir)
        ctx = cli_identity.act(gate, args.user, None)
    try:
        result = audit.verify_files(args.files, certificates=certificates, ctx=ctx)
    finally:
        if gate is not None:
            gate.close()
    lines = []
    for f in result.files:
        where = " · ".join(x for x in (f.site, f.gate, f.day) if x)
        marks = " · ".join(f"{_(f'col.{k}')} {_mark(v)}" for k, v in (
            ("signature", f.signature_ok), ("unaltered", f.unaltered), ("checkpoint", f.checkpoint_ok)))
        lines.append(f"{'authentic' if f.ok else 'NOT authentic'}  {result.shown(f.path)}  {where}  {marks} — {f.message}")
    if result.gaps:
        lines.append(_("gaps", n=len(result.gaps)))
        lines += [f"  - {g.message}" for g in result.gaps]
    bad = sum(not f.ok for f in result.files)
    lines.append(_("summary", n=len(result.files), ok=len(result.files) - bad, bad=bad, gaps=len(result.gaps)))
    emit(args, result.as_json(), lines)
    if not args.json:
        details = []
        for f in result.files:
            if not f.ok:
                details.append(_("not_authentic", file=f.path))
                details += [f"  {p.label}（{p.category}）：{p.message}" if p.label != p.category
                            else f"  {p.label}: {p.message}" for p in f.problems]
        if details:
            print("\n".join(details), file=sys.stderr)
    return 0 if result.ok else 1


def _trust(_none, args) -> int:
    from checkpoint_app.services import trust

    if args.action == "add":
        cert = trust.register(trust.read_file(args.file))
        others = [c for c in trust.trusted() if c.site_code == cert.site_code and c.fingerprint != cert.fingerprint]
        emit(args, {"registered": cert.as_json(), "same_code": [c.as_json() for c in others]},
             [_("registered", site=cert.label, fp=cert.grouped), *_in_words(cert),
              *(_("same_code", site=c.label, fp=c.short) for c in others)])
        return 0
    certs = trust.trusted()
    if args.action == "remove":
        wanted = "".join(args.fingerprint.split()).upper()
        if len(wanted) < 4:   # a slip of the finger, not a choice of certificate
            example = certs[0].grouped[:4] if certs else "C0A1"
            raise InvalidInput(_("too_short", example=example), "fingerprint_too_short")
        found = [c for c in certs if c.fingerprint.startswith(wanted)]
        if len(found) != 1:
            raise InvalidInput(_("no_such", fp=args.fingerprint), "no_such_certificate")
        trust.unregister(found[0])
        emit(args, {"removed": found[0].as_json()}, _("removed", site=found[0].label, fp=found[0].short))
        return 0
    emit(args, {"sites": [c.as_json() for c in certs]},
         [line for c in certs for line in (f"{c.label}  {c.grouped}  → {c.not_after}", *_in_words(c))]
         or [_("none_registered")])
    return 0


def _in_words(cert) -> list[str]:
    return [_("words"), *(f"  {line}" for line in cert.words())]


def _certificate(ctx, args) -> int:
    from checkpoint_app.services import trust

    cert = trust.of_site(ctx)
    out = {"file": str(trust.write_certificate(cert, args.out)), **cert.as_json()}
    lines = [_("written", file=args.out, fp=cert.grouped), *_in_words(cert)]
    if args.sheet:
        from checkpoint_app.services.trust import print_sheet

        out["sheet"] = str(print_sheet(ctx, cert, args.sheet))
        lines.append(_("sheet", file=args.sheet))
    emit(args, out, lines)
    return 0
