"""The site, its gates, signing keys, certificates, settings and users."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from checkpoint_app.settings import SETTINGS, parse_setting, show_setting


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    created_at: str


@dataclass(frozen=True)
class Gate:
    uid: str
    name: str
    is_local: bool


@dataclass(frozen=True)
class SiteKey:
    key_id: int
    public_key: bytes
    private_key: bytes | None


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool


def get_site(conn: sqlite3.Connection) -> Site | None:
    row = conn.execute("SELECT code, name, created_at FROM site WHERE id = 1").fetchone()
    return Site(*row) if row else None


def insert_site(conn: sqlite3.Connection, code: str, name: str, at: str) -> Site:
    conn.execute("INSERT INTO site (id, code, name, created_at) VALUES (1, ?, ?, ?)", (code, name, at))
    return Site(code, name, at)


def insert_gate(conn: sqlite3.Connection, uid: str, name: str, at: str, *, local: bool) -> Gate:
    conn.execute("INSERT INTO gates (uid, name, is_local, created_at) VALUES (?, ?, ?, ?)",
                 (uid, name, 1 if local else 0, at))
    return Gate(uid, name, local)


def local_gate(conn: sqlite3.Connection) -> Gate | None:
    row = conn.execute("SELECT uid, name, is_local FROM gates WHERE is_local = 1").fetchone()
    return Gate(row[0], row[1], True) if row else None


def gates(conn: sqlite3.Connection) -> list[Gate]:
    return [Gate(u, n, bool(l)) for u, n, l in conn.execute("SELECT uid, name, is_local FROM gates ORDER BY name")]


def insert_key(conn: sqlite3.Connection, key_id: int, public: bytes, private: bytes | None, at: str) -> None:
    conn.execute("INSERT INTO site_keys (key_id, public_key, private_key, created_at) VALUES (?, ?, ?, ?)",
                 (key_id, public, private, at))


def keys(conn: sqlite3.Connection) -> dict[int, SiteKey]:
    return {k: SiteKey(k, bytes(pub), bytes(priv) if priv is not None else None)
            for k, pub, priv in conn.execute("SELECT key_id, public_key, private_key FROM site_keys")}


def signing_key(conn: sqlite3.Connection) -> SiteKey | None:
    """The newest key with its private half (only on the PC where passes are issued)."""
    row = conn.execute("SELECT key_id, public_key, private_key FROM site_keys "
                       "WHERE private_key IS NOT NULL AND retired_at IS NULL "
                       "ORDER BY key_id DESC LIMIT 1").fetchone()
    return SiteKey(row[0], bytes(row[1]), bytes(row[2])) if row else None


def save_pki(conn: sqlite3.Connection, ca_cert: bytes, signer_cert: bytes, signer_key: bytes | None,
             ca_key: bytes | None = None) -> None:
    """The site CA's certificate, this PC's document-signing certificate and key, and (only on the
    PC that made the site) the CA's key."""
    conn.execute("INSERT OR REPLACE INTO site_pki (id, ca_cert, signer_cert, signer_key, ca_key) "
                 "VALUES (1, ?, ?, ?, ?)", (ca_cert, signer_cert, signer_key, ca_key))


def ca_key(conn: sqlite3.Connection) -> bytes | None:
    """The site CA's private key, on the PC that made the site (not on sites made before it was kept)."""
    row = conn.execute("SELECT ca_key FROM site_pki WHERE id = 1").fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def get_pki(conn: sqlite3.Connection) -> tuple[bytes, bytes, bytes | None] | None:
    row = conn.execute("SELECT ca_cert, signer_cert, signer_key FROM site_pki WHERE id = 1").fetchone()
    return (bytes(row[0]), bytes(row[1]), bytes(row[2]) if row[2] is not None else None) if row else None


def load_settings(conn: sqlite3.Connection) -> dict[str, Any]:
    values = {k: s.default for k, s in SETTINGS.items()}
    for key, text in conn.execute("SELECT key, value FROM settings"):
        if key in SETTINGS:
            values[key] = parse_setting(key, text)
    return values


def save_setting(conn: sqlite3.Connection, key: str, value: Any, at: str, by: str | None) -> None:
    conn.execute("INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
                 "updated_by = excluded.updated_by", (key, show_setting(key, value), at, by))


def find_user(conn: sqlite3.Connection, name: str) -> User | None:
    row = conn.execute("SELECT id, name, role, disabled FROM users WHERE name = ?", (name,)).fetchone()
    return User(row[0], row[1], row[2], bool(row[3])) if row else None


def insert_user(conn: sqlite3.Connection, name: str, role: str, at: str) -> User:
    cur = conn.execute("INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)", (name, role, at))
    return User(cur.lastrowid, name, role, False)


def list_users(conn: sqlite3.Connection) -> list[User]:
    return [User(i, n, r, bool(d)) for i, n, r, d in
            conn.execute("SELECT id, name, role, disabled FROM users ORDER BY name")]
