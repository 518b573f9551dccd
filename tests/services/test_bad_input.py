"""The Bad-input proof of issue #5: random bytes, huge strings, control characters, SQL, emoji and
lone surrogates at the roster import, the gate's write services and the command line. Nothing
crashes (only a ``UserError``, with a sentence), and a refused input writes nothing at all."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from checkpoint_app import paths
from checkpoint_app.cli import main
from checkpoint_app.errors import UserError
from checkpoint_app.services import amendments, disinfection, gate as gate_service, residents, users, visitors

NASTY = st.sampled_from([
    "", " ", "\x00", "\r\n", "\t\x0b\x0c", "'; DROP TABLE passages; --", "\" OR 1=1 --", "😷🧪", "𠮷",
    "\ud800", "\udfff", "a\ud800b", "\u202e", "\ufeff", "365\x00", "3-2-501\x00", "ＡＢＣ", "٣٦٥",
    "x" * 100_000, "1e308", "-0", "NaN", "36.5°C", "３６．５",
])
SURROGATES = st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3)
TEXT = st.one_of(NASTY, st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=12), SURROGATES)

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _state(g) -> tuple:
    conn = g.ctx.db.conn
    return (g.count("journal"), g.count("residents"), g.count("households"), g.count("users"),
            g.count("visitor_personal"), g.count("disinfection_areas"), g.count("watchlist"),
            conn.execute("SELECT group_concat(value) FROM settings").fetchone()[0])


def _refused_cleanly(g, call) -> object:
    """Run ``call``; a UserError must leave the database exactly as it was."""
    before = _state(g)
    changes = g.ctx.db.conn.total_changes
    try:
        return call()
    except UserError as err:
        assert str(err).strip()         # a sentence (which may echo the input, control characters and all)
        assert _state(g) == before
        assert g.ctx.db.conn.total_changes == changes or err.code in ("wrong_secret", "locked")
        assert not g.ctx.db.conn.in_transaction
        return err


# --- the roster import --------------------------------------------------------------------------

HEADER = "楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至\n"


@SETTINGS
@given(blob=st.binary(max_size=4096), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
@example(blob=b"PK\x03\x04" + b"\x00" * 100, suffix=".xlsx")
@example(blob=b"\xff\xfe" + "楼栋,单元".encode("utf-16-le"), suffix=".csv")
def test_roster_import_of_random_bytes(gate, tmp_path, blob, suffix):
    p = tmp_path / f"roster{suffix}"
    p.write_bytes(blob)
    _refused_cleanly(gate, lambda: residents.import_roster(gate.ctx, p))


@SETTINGS
@given(cells=st.lists(TEXT, min_size=9, max_size=9), strict=st.booleans())
def test_roster_import_of_nasty_cells(gate, tmp_path, cells, strict):
    def esc(c: str) -> str:
        return '"' + c.replace('"', '""') + '"'

    p = tmp_path / "roster.csv"
    row = ",".join(esc(c) for c in cells)
    p.write_bytes((HEADER + "3,2,501,张三,13812345678,,户主,正常,\n" + row + "\n")
                  .encode("utf-8", errors="surrogatepass"))
    result = _refused_cleanly(gate, lambda: residents.import_roster(gate.ctx, p, strict=strict))
    if not isinstance(result, UserError):
        assert result.accepted >= 1                       # the good row; the bad one is reported
        assert gate.ctx.db.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


# --- the gate's write services --------------------------------------------------------------------

@SETTINGS
@given(payload=TEXT, temperature=st.one_of(st.none(), TEXT), direction=st.sampled_from([None, "in", "out"]))
def test_scan_with_nasty_payloads_and_temperatures(gate, payload, temperature, direction):
    gate.clock.advance(seconds=30)
    before = gate.count("passages")
    result = _refused_cleanly(gate, lambda: gate_service.record_passage(
        gate.ctx, payload, temperature=temperature, direction=direction))
    if not isinstance(result, UserError) and not result.recorded:
        assert gate.count("passages") == before
    if not isinstance(result, UserError) and result.recorded:
        excerpt = gate.ctx.db.conn.execute("SELECT payload_excerpt FROM passages WHERE uid = ?",
                                           (result.passage_id,)).fetchone()[0]
        assert excerpt is None or (len(excerpt) <= 64 and excerpt.isascii())


@SETTINGS
@given(fields=st.fixed_dictionaries({k: TEXT for k in ("name", "phone", "id_number", "purpose", "host",
                                                          "from_place", "health_code", "temperature")}))
def test_visitor_in_with_nasty_fields(gate, fields):
    gate.clock.advance(seconds=30)
    _refused_cleanly(gate, lambda: visitors.visitor_in(gate.ctx, **fields))


@SETTINGS
@given(area=TEXT, agent=TEXT, concentration=TEXT, minutes=TEXT, method=TEXT, operator=TEXT)
def test_disinfection_round_with_nasty_fields(gate, area, agent, concentration, minutes, method, operator):
    _refused_cleanly(gate, lambda: disinfection.record_round(
        gate.ctx, area=area, agent=agent, concentration=concentration, contact_minutes=minutes, method=method,
        operator=operator))


@SETTINGS
@given(uid=TEXT, field=TEXT, value=TEXT, reason=TEXT)
def test_amendments_with_nasty_input(gate, uid, field, value, reason):
    _refused_cleanly(gate, lambda: amendments.amend_record(gate.ctx, uid, {field: value}, reason))
    _refused_cleanly(gate, lambda: amendments.void_record(gate.ctx, uid, reason))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, role=st.sampled_from(["guard", "admin", "root", ""]), secret=TEXT)
def test_users_with_nasty_names_and_secrets(gate, name, role, secret):
    _refused_cleanly(gate, lambda: users.add_user(gate.ctx, name, role, secret))
    _refused_cleanly(gate, lambda: users.sign_on(gate.ctx, name, secret))


# --- the command line --------------------------------------------------------------------------

COMMANDS = [
    lambda a, b: ["scan", a, "--temp", b],
    lambda a, b: ["visitor-in", "--name", a, "--phone", b, "--id-number", a, "--purpose", b, "--host", a,
                  "--from", b, "--temp", a, "--health-code", "green"],
    lambda a, b: ["disinfect", "--area", a, "--agent", b, "--concentration", a, "--contact-minutes", b,
                  "--operator", a, "--method", "spray"],
    lambda a, b: ["settings", "set", a, b],
    lambda a, b: ["amend", a, "--set", b, "--reason", a],
    lambda a, b: ["void", a, "--reason", b],
    lambda a, b: ["visitor-out", a],
    lambda a, b: ["residents", "set-status", "1", "--status", "quarantine", "--until", a],
    lambda a, b: ["passes", "revoke", a, "--reason", b],
    lambda a, b: ["users", "disable", a],
    lambda a, b: ["purge", "--days", a],
    lambda a, b: ["backup", "--to", a],
    lambda a, b: ["restore", a],
    lambda a, b: [a, b],
]


def _fingerprint(data_dir) -> str:
    conn = sqlite3.connect(paths.db_path(data_dir))
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def cli_gate(gate, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "log_dir", lambda: tmp_path / "log")
    cwd = tmp_path / "cwd"              # "backup --to ''" writes into the current folder
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    users.add_user(gate.ctx, "物业管理员", "manager", "manager-pass-2026")   # so that writes get past sign-on
    gate.ctx.close()
    monkeypatch.setenv("CHECKPOINT_SECRET", "manager-pass-2026")
    return gate


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(command=st.sampled_from(COMMANDS), a=TEXT, b=TEXT, as_json=st.booleans())
def test_cli_never_crashes_and_a_refusal_writes_nothing(cli_gate, monkeypatch, command, a, b, as_json):
    argv = command(a, b)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    before = _fingerprint(cli_gate.data_dir)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--data-dir", str(cli_gate.data_dir), "--user", "物业管理员",
                         *(["--json"] if as_json else []), *argv])
        except SystemExit as exit_:           # argparse: usage errors
            code = exit_.code
    assert code in (0, 1, 2, 3), (code, argv, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if as_json and code != 2:
        json.loads(out.getvalue().split("\n")[0])   # not splitlines(): U+0085 is a "line" to it
    if code != 0:
        assert _fingerprint(cli_gate.data_dir) == before, (code, argv)


# --- lone surrogates, one row per entry point -------------------------------------------------------
# Python strings may hold lone surrogates (argv's surrogateescape, a clipboard, a .csv decoded with
# surrogatepass); SQLite and the canonical JSON need UTF-8, so such text must be refused with a
# sentence; each of these rows crashed with UnicodeEncodeError (exit 4 on the command line) once.

S = "\ud800"
SURROGATE_CASES = {
    "visitor_out(id)": lambda g: visitors.visitor_out(g.ctx, S),
    "void_record(id)": lambda g: amendments.void_record(g.ctx, S, "重复"),
    "amend_record(id)": lambda g: amendments.amend_record(g.ctx, S, {"temp_tenths": "36.5"}, "错"),
    "sign_on(name)": lambda g: users.sign_on(g.ctx, S, "1234"),
    "disable_user(name)": lambda g: users.disable_user(g.ctx, S),
    "add_user(secret)": lambda g: users.add_user(g.ctx, "老王", "admin", S * 8),
    "search_residents(text)": lambda g: residents.search_residents(g.ctx, S),
    "revoke_pass(reason)": lambda g: __import__("checkpoint_app.services.passes", fromlist=["x"]).revoke_pass(
        g.ctx, "000001", S),
    "hand_over(notes)": lambda g: __import__("checkpoint_app.services.handover", fromlist=["x"]).hand_over(
        g.ctx, from_guard="李建国", to_guard="王海波", notes=S),
    "add_to_watchlist(note)": lambda g: visitors.add_to_watchlist(g.ctx, name="张三", phone="13812345678", note=S),
}


@pytest.mark.parametrize("case", SURROGATE_CASES)
def test_lone_surrogates_are_refused_not_crashed(gate, case):
    _refused_cleanly(gate, lambda: SURROGATE_CASES[case](gate))


@pytest.mark.parametrize("case", ["scan", "visitor_in(name)", "set_setting", "record_round(checker)"])
def test_lone_surrogates_already_refused(gate, case):
    from checkpoint_app.services import site

    call = {"scan": lambda: gate_service.record_passage(gate.ctx, S, temperature="365"),
            "visitor_in(name)": lambda: visitors.visitor_in(gate.ctx, name=S, phone="13800138000",
                                                             id_number="11010519491231002X", purpose="x",
                                                             host="3-2-501", from_place="y", health_code="green",
                                                             temperature="36.5"),
            "set_setting": lambda: site.set_setting(gate.ctx, "fever_threshold", S),
            "record_round(checker)": lambda: disinfection.record_round(
                gate.ctx, area="a", agent="b", concentration="1", contact_minutes="3", method="wipe",
                operator="x", checker=S)}[case]
    result = _refused_cleanly(gate, call)
    assert isinstance(result, UserError) or not result.recorded
