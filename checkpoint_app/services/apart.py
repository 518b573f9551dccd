"""Work run in a child process, so that the app's own interpreter stays free.

Rendering and signing PDFs (reportlab, pyHanko, cryptography, QtPdf) keep the interpreter busy
in C for long stretches; in a thread of the app that holds the GIL and the window — or the gate's
scan screen — freezes for 0.3–0.6 s at a time. A spawned child has an interpreter of its own; the
parent only waits on a pipe (which releases the GIL). The child runs at a lower priority (nice
10 where the OS has it), so that on a PC with few cores the window is not kept from the CPU either.

- ``stream(target, *args)`` runs ``target(out, *args)`` in a child: what it ``out.send``s is
  yielded here, ``out.step`` reports progress, and its return value is the generator's
  (``result = yield from stream(...)``). Used by the print rendering (ui/office/pdf_bands.py).
- ``call_as(ctx, service, *args)`` runs ``service(child_ctx, *args, progress=...)`` in a child
  that opens the same data folder, acting for the same person at this moment (the clock stands
  still there), and returns its result: card making (services/pass_cards.py) and the daily logs
  (services/daily_logs.py).

Progress and cancel work as for a thread (services/progress.py): the child's steps reach the
parent's ``Progress``; a cancel asked there stops the child at its next step (``Cancelled`` is
raised here, after the child stopped: nothing is left half-written). A ``UserError`` in the
child is raised here as the same kind with the same sentence (in the app's language: the child
speaks it too); anything else as a RuntimeError with the child's traceback.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from checkpoint_app.services.progress import Cancelled, Progress

CHILD_NICENESS = 10      # background work: on a busy PC the window's thread gets the CPU first
STOP_WAIT_S = 30          # after the answer (or a cancel), how long the child may take to end


class Out:
    """The child's side of the pipe: ``send`` a message, ``step`` like a ``Progress``."""

    def __init__(self, send, cancel) -> None:
        self._send = send
        self.progress = Progress(lambda done, total, text="": send.send(("step", done, total, text)))
        self._cancel = cancel

    def send(self, message: tuple) -> None:
        self.progress.check()
        self._send.send(message)

    def step(self, done: int, total: int, text: str = "") -> None:
        self.progress.step(done, total, text)

    def watch_cancel(self) -> None:
        """A cancel asked in the parent reaches this side's ``progress`` (a thread waits for it)."""
        import threading

        def wait() -> None:
            self._cancel.wait()
            self.progress.cancel()
        threading.Thread(target=wait, name="cancel-watch", daemon=True).start()


def stream(target: Callable[..., Any], *args, name: str = "checkpoint-child",
           progress: Progress | None = None) -> Generator[tuple, None, Any]:
    """``target(out, *args)`` in a spawned child (module-level, picklable arguments): yields what
    it sends, forwards its steps to ``progress``, returns its result (see the module docstring)."""
    import multiprocessing

    from checkpoint_app.i18n import language

    mp = multiprocessing.get_context("spawn")
    receive, send = mp.Pipe(duplex=False)
    cancel = mp.Event()
    child = mp.Process(target=_child, name=name, daemon=True, args=(send, cancel, language(), target, args))
    child.start()
    send.close()
    answered = False
    try:
        with progress.while_running(cancel.set) if progress is not None else contextlib.nullcontext():
            while True:
                try:
                    message = receive.recv()
                except EOFError:
                    raise RuntimeError(f"{name}: the child process ended without an answer "
                                       f"(exit {child.exitcode})") from None
                kind = message[0]
                if kind == "step":
                    if progress is not None and not progress.cancelled:
                        with contextlib.suppress(Cancelled):       # a cancel just now: the child stops
                            progress.step(*message[1:])
                elif kind == "done":
                    answered = True
                    return message[1]
                elif kind == "refused":
                    answered = True
                    raise _refusal(*message[1:])
                elif kind == "error":
                    answered = True
                    raise RuntimeError(f"{name}: the child process failed:\n{message[1]}")
                else:
                    yield message
    finally:
        receive.close()
        child.join(STOP_WAIT_S if answered else 0)
        if child.is_alive():
            child.kill()
            child.join(10)


def call(target: Callable[..., Any], *args, name: str = "checkpoint-child", progress: Progress | None = None) -> Any:
    """``stream`` for a child that only steps and answers: its result."""
    gen = stream(target, *args, name=name, progress=progress)
    try:
        message = next(gen)
    except StopIteration as end:
        return end.value
    gen.close()
    raise RuntimeError(f"{name}: unexpected message {message[0]!r} from the child process")


def call_as(ctx, service: Callable[..., Any], *args, name: str = "checkpoint-child",
            progress: Progress | None = None) -> Any:
    """``service(ctx', *args, progress=…)`` in a child, ``ctx'`` the same data folder acting for
    ``ctx``'s person at ``ctx.now()`` (see the module docstring); its result (picklable)."""
    return call(_acting, str(ctx.data_dir), ctx.user, ctx.role, ctx.now().isoformat(), service, args,
                name=name, progress=progress)


# -- in the child -------------------------------------------------------------------------------
def _child(send, cancel, lang: str, target: Callable[..., Any], args: tuple) -> None:
    import traceback

    from checkpoint_app.errors import UserError
    from checkpoint_app.i18n import set_language

    out = Out(send, cancel)
    try:
        if hasattr(os, "nice"):
            os.nice(CHILD_NICENESS)     # the window (the gate's scans) comes first for the CPU too
        set_language(lang)           # the app's language, chosen in it (not only by CHECKPOINT_LANG)
        out.watch_cancel()
        result = target(out, *args)
        send.send(("done", result))
    except UserError as err:
        send.send(("refused", f"{type(err).__module__}:{type(err).__qualname__}", str(err), err.code))
    except BaseException:          # noqa: BLE001 - the parent raises it with the child's traceback
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def _acting(out: Out, data_dir: str, user: str | None, role: str | None, now: str,
            service: Callable[..., Any], args: tuple) -> Any:
    from datetime import datetime

    from checkpoint_app.services.context import open_gate

    at = datetime.fromisoformat(now)
    ctx = open_gate(Path(data_dir), clock=lambda: at).acting_as(user, role)
    try:
        return service(ctx, *args, progress=out.progress)
    finally:
        ctx.close()


def _refusal(kind: str, sentence: str, code: str) -> Exception:
    """The child's ``UserError`` again: the same class where it can be made with (sentence, code)."""
    import importlib

    from checkpoint_app.errors import UserError

    module, _, qualname = kind.partition(":")
    if code == "cancelled":
        return Cancelled()
    try:
        cls = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
    except (ImportError, AttributeError):
        return UserError(sentence, code)
    for made in ((sentence, code), (sentence,)):       # DatabaseTooNew takes the sentence only
        try:
            err = cls(*made)
        except TypeError:
            continue
        if isinstance(err, UserError) and err.code == code:
            return err
    return UserError(sentence, code)
