"""The site certificate's registration sheet: one A4 page the manager prints and hands to the
district's auditor. A QR carrying the whole certificate (services/trust.py ``qr_text``), the
fingerprint in 16 groups of four and in 32 words, Chinese and English, whatever the sheet's language
(domain/fingerprint_words.py ``both``) to compare or read aloud over the phone, and what to do with it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from checkpoint_app.domain import fingerprint_words
from checkpoint_app.i18n import Messages
from checkpoint_app.reports.page import FRAME_WIDTH, ReportMeta, build_report, para, qr_flowable, styles

_ = Messages({
    "title": ("小区证书登记单", "Site certificate registration sheet"),
    "intro": ("请将本页交给区防控办的审计员。审计员在“核验”页登记本小区证书（扫描下方二维码，或导入证书文件 "
              "{code}.cer）后，无需本小区数据库即可核验本小区打印的每一份签名日志。",
              "Hand this page to the district prevention office's auditor. Once the auditor registers "
              "this site's certificate on the Verify page (by scanning the QR below or importing the "
              "file {code}.cer), every signed log this site prints can be checked without its database."),
    "site": ("小区：{name}（编号 {code}）", "Site: {name} (code {code})"),
    "valid": ("证书有效期至：{until}", "Certificate valid until: {until}"),
    "fingerprint": ("证书指纹（SHA-256）", "Certificate fingerprint (SHA-256)"),
    "words": ("指纹读法（中文与英文两种读法表示同一指纹；电话核对时逐词读出）",
              "Fingerprint in words (the Chinese and the English words say the same; read them aloud over the phone)"),
    "compare": ("登记后，请核对审计员屏幕上显示的指纹与本页逐组（或逐词）一致；也可电话逐词读出核对。"
                "指纹不一致时不要登记：那不是本小区的证书。",
                "After registering, check that the fingerprint on the auditor's screen matches this "
                "page group by group or word by word (or read the words out over the phone). If it "
                "differs, do not register: it is not this site's certificate."),
    "public": ("本页只含公开的证书，不含任何私钥，可以复印。",
               "This page holds only the public certificate, no private key; it may be copied."),
    "signature": ("小区负责人（签字）：____________    日期：____________",
                  "Site manager (signature): ____________    Date: ____________"),
})


def render_sheet(cert, out: Path, *, generated_by: str, generated_at: datetime) -> Path:
    """Write the sheet of ``cert`` (a services.trust.SiteCertificate) to ``out`` (atomically)."""
    st = styles()
    big = ParagraphStyle("cp-fingerprint", parent=st.body, fontSize=15, leading=19, alignment=TA_CENTER)
    words = {"zh_CN": ParagraphStyle("cp-fp-words", parent=st.body, fontSize=12, leading=15.5, alignment=TA_CENTER),
             "en": ParagraphStyle("cp-fp-words-en", parent=st.body, fontSize=10.5, leading=13.5, alignment=TA_CENTER)}
    groups = cert.grouped.split()
    rows = [" ".join(groups[i:i + 4]) for i in range(0, 16, 4)]
    qr_side = 86 * mm
    qr = Table([[qr_flowable(cert.qr_text(), qr_side)]], colWidths=[FRAME_WIDTH],
               style=TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    story = [
        para(_("title"), st.title),
        para(_("site", name=cert.site_name, code=cert.site_code), st.heading),
        para(_("valid", until=cert.not_after.isoformat()), st.body),
        Spacer(1, 3 * mm),
        para(_("intro", code=cert.site_code), st.body),
        Spacer(1, 3 * mm),
        qr,
        Spacer(1, 2 * mm),
        para(_("fingerprint"), ParagraphStyle("cp-fp-head", parent=st.heading, alignment=TA_CENTER)),
        *(para(r, big) for r in rows),
        Spacer(1, 1 * mm),
        para(_("words"), ParagraphStyle("cp-fp-words-head", parent=st.body, alignment=TA_CENTER)),
        *(para(line, words[lang]) for lang, lines in fingerprint_words.both(cert.fingerprint).items()
          for line in lines),
        Spacer(1, 3 * mm),
        para(_("compare"), st.body),
        para(_("public"), st.small),
        Spacer(1, 7 * mm),
        para(_("signature"), st.body),
    ]
    meta = ReportMeta(site_name=cert.site_name, gate_name=cert.site_code, day=generated_at.date(),
                      title=_("title"), generated_by=generated_by, generated_at=generated_at,
                      subject=f"{cert.site_name} {_('title')}", keywords=("Checkpoint", cert.site_code))
    return build_report(Path(out), meta, story)
