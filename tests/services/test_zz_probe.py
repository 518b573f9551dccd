import io, sys, contextlib
from checkpoint_app import paths
from checkpoint_app.cli import main
from checkpoint_app.services import amendments, visitors, users, site, residents, passes, disinfection, gate as gs
S = "\ud800"
def test_probe(gate, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "log_dir", lambda: tmp_path / "log")
    calls = {
     "visitor_out": lambda: visitors.visitor_out(gate.ctx, S),
     "void": lambda: amendments.void_record(gate.ctx, S, "x"),
     "amend": lambda: amendments.amend_record(gate.ctx, S, {"a": "b"}, "x"),
     "sign_on": lambda: users.sign_on(gate.ctx, S, "1234"),
     "sign_on_secret": lambda: users.sign_on(gate.ctx, "x", S),
     "add_user": lambda: users.add_user(gate.ctx, S, "guard", "1234"),
     "add_user_secret": lambda: users.add_user(gate.ctx, "小王", "admin", S * 8),
     "disable_user": lambda: users.disable_user(gate.ctx, S),
     "set_setting_key": lambda: site.set_setting(gate.ctx, S, "1"),
     "set_setting_val": lambda: site.set_setting(gate.ctx, "fever_threshold", S),
     "search": lambda: residents.search_residents(gate.ctx, S),
     "revoke": lambda: passes.revoke_pass(gate.ctx, S, "x"),
     "revoke_reason": lambda: passes.revoke_pass(gate.ctx, "000001", S),
     "issue_hh": lambda: passes.issue_passes(gate.ctx, household=S),
     "round": lambda: disinfection.record_round(gate.ctx, area="a", agent="b", concentration="1", contact_minutes="3", method="wipe", operator="x", checker=S),
     "scan": lambda: gs.record_passage(gate.ctx, S),
     "handover_notes": lambda: __import__("checkpoint_app.services.handover", fromlist=["x"]).hand_over(gate.ctx, from_guard="张三", to_guard="李四", notes=S),
     "void_reason": lambda: amendments.void_record(gate.ctx, "x", S),
     "watch": lambda: visitors.add_to_watchlist(gate.ctx, name="张三", phone="13812345678", note=S),
    }
    for k, c in calls.items():
        try:
            c(); print(k, "OK")
        except Exception as e:
            print(k, type(e).__name__, str(e)[:60].encode("utf-8", "replace"))
    gate.ctx.close()
    for argv in (["visitor-out", S], ["void", S, "--reason", "x"], ["users", "disable", S], ["backup", "--to", S], ["restore", S], ["scan", S], ["settings", "set", S, "1"], ["purge", "--days", S], ["residents", "import", S]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try: code = main(["--data-dir", str(gate.data_dir), *argv])
            except SystemExit as e: code = e.code
            except Exception as e: code = repr(e)
        print(argv[0], code)
