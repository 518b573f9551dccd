"""A PC rebuilt from records alone (DESIGN §8): a new data folder holding this PC's identity (the
site, its keys and certificates, the gates: not state, they come with the join) and every record
this PC holds, applied through the exchange as if they arrived from elsewhere; its state tables
(roster, passes, users, settings, watch list) are then made from those records (db/state.py).

What the new folder's tables say is what the records say; comparing it with the PC it came from
shows any state that changed without a record. A site made before state records gets its state
as it stood written once as ``baseline`` records (:func:`write_baseline`)."""

from __future__ import annotations

from pathlib import Path

from checkpoint_app.db import baseline, site_repo, state
from checkpoint_app.db.connection import open_database
from checkpoint_app.errors import PermissionDenied
from checkpoint_app.exchange import merge
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.services.site import refuse_if_initialised

_ = Messages({
    "not_issuer": ("本机不是发放出入证的电脑；请在发证电脑（办公室）上建立原有状态记录。",
                   "This PC does not issue passes: write the baseline on the PC that does (the office)."),
})

#: identity, copied as it is (it never changes by records)
IDENTITY = ("site", "site_keys", "site_pki", "gates")


def rebuild_into(ctx: GateContext, data_dir: Path, *, batch: int = 5000) -> list[tuple[str, str]]:
    """Write a new data folder rebuilt from this PC's records; the problems met (an entity whose
    records do not fit the tables), else []. Refuses a folder already set up."""
    target = refuse_if_initialised(Path(data_dir))
    db = open_database(target, create=True)
    try:
        with ctx.db.read() as src:
            identity = {t: src.execute(f"SELECT * FROM {t}") for t in IDENTITY}
            identity = {t: ([d[0] for d in cur.description], cur.fetchall()) for t, cur in identity.items()}
        with db.write() as conn:
            for table, (cols, rows) in identity.items():
                conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                 rows)
        at = ctx.now().isoformat(timespec="seconds")
        with ctx.db.read() as src:
            for wires in merge.iter_all_above(src, {}, batch=batch):
                with db.write() as conn:
                    merge.apply(conn, wires, source="rebuild", at=at, check_rules=False)
        with db.write() as conn:
            return state.rebuild(conn, at=at)
    finally:
        db.close()



def baseline_due(ctx: GateContext) -> str | None:
    """Does this site hold state rows from before state records (db/baseline.py ``lacking``)?
    None: no; "here": this PC issues passes, ``write_baseline`` runs here; "office": it must run
    on the PC that issues passes. Managers, admins and auditors (it names nothing)."""
    require(ctx, "view_exchange_problems")
    with ctx.db.read() as conn:
        if not baseline.lacking(conn):
            return None
        return "here" if site_repo.signing_key(conn) is not None else "office"


def write_baseline(ctx: GateContext) -> dict[str, int]:
    """The one-time baseline of a site made before state records (db/baseline.py), on the PC that
    issues passes (it holds the roster the gates' copies came from): one transaction, all or
    nothing; how many rows of each kind it wrote ({}: the records already made every row)."""
    require(ctx, "change_settings")
    if site_repo.signing_key(ctx.db.conn) is None:
        raise PermissionDenied(_("not_issuer"), "no_site_key")
    now = ctx.now()
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        return baseline.write(conn, origin=ctx.gate.uid, at=now, by=ctx.user)
