"""Joining a new PC to a site (DESIGN §8): ``site export-join`` on a PC that holds the site's pass
key writes a file; ``init --join`` on the new PC makes it a gate of the same site.

The file carries the site identity and public keys, the document CA's certificate, every gate's
public key, a new key pair for the new gate with a certificate for its public key signed by the
site's pass key, a second new key pair for the gate's own documents (daily logs, pass cards) with a
document-signing certificate for it issued by the site CA, and the state so far: settings, users,
roster, passes, disinfection areas, watchlist. No private *site* key is in it (neither the pass key,
nor the CA's, nor the office's document key): the two new keys are the gate's own, made here for it
alone and not kept here, so what the gate signs is told apart from what the office signs and
``verify --trust SITE.cer`` still accepts it (the chain leads to the site CA). A site made before
the CA's key was kept cannot issue that certificate: its new gates cannot sign, and
``export-join`` says so (:func:`no_document_ca`).

It holds names, phones and ID numbers and the new gate's private keys, so everything but a small
header is encrypted (AES-256-GCM, key from scrypt over a one-time code printed once at export;
the header is authenticated too) and it expires (default 24 hours).

A gate is one PC: two PCs set up from one join file would be one gate recording under the same
numbers, and the office would refuse the second one's records as a fork. So a join file is used
once: ``init_join`` renames it ``….ckp.used`` once this PC is a gate, and a file so named is
refused with the gate it made. A copy made before can still be used (nothing offline can stop that);
the office then names the cause (services/exchange_problems.py).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from checkpoint_app.db import records, site_repo
from checkpoint_app.db.connection import open_database
from checkpoint_app.domain import passcode
from checkpoint_app.errors import InvalidInput, PermissionDenied
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext, open_gate, system_clock
from checkpoint_app.services.permissions import require
from checkpoint_app.services.site import _clean_name, refuse_if_initialised

_ = Messages({
    "no_key": ("本机没有小区发证私钥，请在发放出入证的电脑上生成加入文件。",
               "This PC does not hold the site's pass key; write the join file on the PC that issues passes."),
    "gate_exists": ("已有名为 {name} 的门岗。", "There is already a gate named {name}."),
    "not_file": ("不是门岗通加入文件：{file}", "Not a Checkpoint join file: {file}"),
    "bad_code": ("加入码不对，或文件被改动。", "The join code is wrong, or the file was altered."),
    "expired": ("加入文件已于 {at} 过期，请重新生成。", "The join file expired at {at}; write a new one."),
    "used": ("这个加入文件已用过：它已把一台电脑设为门岗 {gate}。一个门岗只能是一台电脑；"
             "要再加一台电脑，请在发放出入证的电脑上另起门岗名生成新的加入文件。",
             "This join file was used already: it made a PC the gate {gate}. A gate is one PC; to add "
             "another PC, write a new join file with another gate name on the PC that issues passes."),
    "bad_cert": ("新门岗的证书与小区公钥不符，文件不可信。",
                 "The new gate's certificate does not match the site's key; the file cannot be trusted."),
    "no_ca": ("注意：本电脑没有小区文件签名根证书的私钥（小区建于保存该私钥的版本之前），新门岗 {gate} "
              "将不能生成签名的每日日志和出入证；它的记录可在办公室电脑生成全小区日志。",
              "Note: this PC does not hold the private key of the site's document CA (the site was made "
              "before that key was kept), so the new gate {gate} cannot make signed daily logs or pass "
              "cards; its records go into the whole compound's logs made on the office PC."),
})

FORMAT = "checkpoint-join-1"
USED_SUFFIX = ".used"       # a join file once it has made a PC a gate
log = logging.getLogger(__name__)
# Copied whole to the new PC (private columns left out below). Order: parents first.
_TABLES = ["settings", "users", "households", "residents", "passes", "disinfection_areas", "watchlist"]
_SCRYPT = dict(length=32, n=2 ** 15, r=8, p=1)


def _enc(value):
    return {"$b": value.hex()} if isinstance(value, bytes) else value


def _dec(value):
    return bytes.fromhex(value["$b"]) if isinstance(value, dict) else value


def _rows(conn, sql: str, params: tuple = ()) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [{n: _enc(v) for n, v in zip(names, row)} for row in cur]


def _key(code: str, salt: bytes) -> bytes:
    normal = "".join(code.split()).replace("-", "").upper()
    return Scrypt(salt=salt, **_SCRYPT).derive(normal.encode("ascii", "replace"))


def _cert_message(site_code: str, gate: dict) -> bytes:
    return json.dumps({"site": site_code, "gate": gate["uid"], "name": gate["name"], "public_key": gate["public_key"],
                       "issued_at": gate["issued_at"]}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def export_join(ctx: GateContext, gate_name: str, out: Path, *, hours: int = 24) -> tuple[Path, str]:
    """Write the join file for a new gate; returns the path and the one-time code to give by hand."""
    require(ctx, "change_settings")
    name = _clean_name(gate_name, "gate_name")
    key = site_repo.signing_key(ctx.db.conn)
    if key is None:
        raise PermissionDenied(_("no_key"), "no_site_key")
    now = ctx.now()
    with ctx.db.read() as conn:
        pki, ca_key = site_repo.get_pki(conn), site_repo.ca_key(conn)
    uid = records.new_uid()
    documents = {}
    if pki and ca_key:  # the gate's own document key and certificate, made for it alone (not kept)
        from checkpoint_app.reports.signing import issue_gate_signer

        cert_pem, key_pem = issue_gate_signer(pki[0], ca_key, name, uid, now=now)
        documents = {"document_cert": cert_pem.decode(), "document_key": key_pem.decode()}
    gate_private, gate_public = passcode.generate_keypair()
    gate = {"uid": uid, "name": name, "public_key": gate_public.hex(),
            "issued_at": now.isoformat(timespec="seconds")}
    with ctx.db.write() as conn:
        if conn.execute("SELECT 1 FROM gates WHERE name = ?", (name,)).fetchone():
            raise InvalidInput(_("gate_exists", name=name), "gate_exists")
        site_repo.insert_gate(conn, gate["uid"], name, gate["issued_at"], local=False)
        conn.execute("UPDATE gates SET public_key = ? WHERE uid = ?", (gate_public, gate["uid"]))
        cert = Ed25519PrivateKey.from_private_bytes(key.private_key).sign(_cert_message(ctx.site.code, gate))
        # the other PCs learn of the new gate, and can check its certificate, from a record
        records.append(conn, "gate", {"gate_uid": gate["uid"], "name": name, "public_key": gate["public_key"],
                                      "certificate": cert.hex(), "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now)
        state = {
            "site": _rows(conn, "SELECT code, name, created_at FROM site")[0],
            "site_keys": _rows(conn, "SELECT key_id, public_key, created_at, retired_at FROM site_keys"),
            "site_pki": _rows(conn, "SELECT id, ca_cert, signer_cert FROM site_pki"),
            "gates": _rows(conn, "SELECT uid, name, created_at, public_key FROM gates WHERE uid != ?",
                           (gate["uid"],)),
            "tables": {t: _rows(conn, f"SELECT * FROM {t}") for t in _TABLES},
        }
    state["gate"] = {**gate, "private_key": gate_private.hex(), "certificate": cert.hex(), "cert_key_id": key.key_id,
                     **documents}
    expires = (now + timedelta(hours=hours)).isoformat(timespec="seconds")
    code = "-".join(secrets.token_hex(2).upper() for _i in range(4))
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps({"format": FORMAT, "site": ctx.site.code, "gate": name, "expires": expires,
                         "salt": salt.hex(), "nonce": nonce.hex()}, ensure_ascii=False).encode()
    body = AESGCM(_key(code, salt)).encrypt(nonce, json.dumps(state).encode(), header)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(header + b"\n" + base64.b64encode(body) + b"\n")
    os.replace(tmp, out)
    return out, code


def no_document_ca(ctx: GateContext, gate_name: str) -> str | None:
    """The sentence to show with a join file when its gate gets no document-signing certificate
    (this PC does not hold the site CA's key), else None."""
    with ctx.db.read() as conn:
        if site_repo.ca_key(conn) is not None:
            return None
    return _("no_ca", gate=gate_name)


def read_join(path: Path, code: str, now: datetime) -> dict:
    try:
        header_bytes, body = Path(path).read_bytes().split(b"\n")[:2]
        header = json.loads(header_bytes)
        assert header["format"] == FORMAT
        salt, nonce = bytes.fromhex(header["salt"]), bytes.fromhex(header["nonce"])
        body = base64.b64decode(body, validate=True)
    except Exception:
        raise InvalidInput(_("not_file", file=path), "not_join_file") from None
    try:
        state = json.loads(AESGCM(_key(code, salt)).decrypt(nonce, body, header_bytes))
    except InvalidTag:
        raise InvalidInput(_("bad_code"), "bad_join_code") from None
    gate = state["gate"]
    if Path(path).name.endswith(USED_SUFFIX):
        raise InvalidInput(_("used", gate=gate["name"]), "join_file_used")
    if now >= datetime.fromisoformat(header["expires"]):
        raise InvalidInput(_("expired", at=header["expires"]), "join_expired")
    public = {k["key_id"]: _dec(k["public_key"]) for k in state["site_keys"]}
    try:
        Ed25519PublicKey.from_public_bytes(public[gate["cert_key_id"]]).verify(
            bytes.fromhex(gate["certificate"]), _cert_message(state["site"]["code"], gate))
    except (InvalidSignature, KeyError, ValueError):
        raise InvalidInput(_("bad_cert"), "bad_gate_certificate") from None
    if "document_cert" in gate:
        from checkpoint_app.reports.signing import issued_by

        ca_cert = _dec(state["site_pki"][0]["ca_cert"])
        if not issued_by(gate["document_cert"].encode(), gate["document_key"].encode(), ca_cert):
            raise InvalidInput(_("bad_cert"), "bad_gate_certificate")
    return state


def init_join(data_dir: Path, path: Path, code: str, *,
              clock: Callable[[], datetime] = system_clock) -> GateContext:
    """Make this PC a gate of the site in the join file. Refuses a folder already set up."""
    data_dir = Path(data_dir)
    state = read_join(path, code, clock())
    db_path = refuse_if_initialised(data_dir)
    gate = state["gate"]
    db = open_database(db_path, create=True)
    try:
        with db.write() as conn:
            s = state["site"]
            site_repo.insert_site(conn, s["code"], s["name"], s["created_at"])
            site_repo.insert_gate(conn, gate["uid"], gate["name"], gate["issued_at"], local=True)
            conn.execute("UPDATE gates SET public_key = ?, private_key = ? WHERE uid = ?",
                         (bytes.fromhex(gate["public_key"]), bytes.fromhex(gate["private_key"]), gate["uid"]))
            for table, rows in [("site_keys", state["site_keys"]), ("site_pki", state["site_pki"]),
                                ("gates", state["gates"]), *((t, state["tables"][t]) for t in _TABLES)]:
                for row in rows:
                    cols = list(row)
                    conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                 [_dec(row[c]) for c in cols])
            if "document_cert" in gate:  # this gate signs its documents with its own certificate
                conn.execute("UPDATE site_pki SET signer_cert = ?, signer_key = ?",
                             (gate["document_cert"].encode(), gate["document_key"].encode()))
    finally:
        db.close()
    mark_used(Path(path))
    return open_gate(data_dir, clock=clock)


def used_path(path: Path) -> Path:
    """The name a join file takes once it has made a PC a gate."""
    return path.with_name(path.name + USED_SUFFIX)


def mark_used(path: Path) -> Path | None:
    """Rename a join file that has made this PC a gate to ``….used`` (see the module's docstring);
    where it cannot be renamed (a write-protected stick) the join stands and the log says so."""
    used = used_path(path)
    try:
        os.replace(path, used)
    except OSError as err:
        log.warning("join file %s could not be marked used: %s", path, err)
        return None
    log.info("join file marked used: %s", used)
    return used
