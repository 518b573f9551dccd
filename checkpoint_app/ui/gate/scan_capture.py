"""Catch keyboard-wedge scans anywhere in the application, and tell them from human typing.

A USB scanner "types" the pass (about 124 characters) and Enter, 5-10 ms per key. Whatever has
focus — the temperature field, the visitor form, a button, nothing — the scan must reach the gate
and must not end up as text in a field. So an application-wide event filter holds every printable
key back for a moment:

- at least ``min_length`` characters at scanner speed are a **scan**, whatever ends them: Enter,
  a line feed or Tab (on time or late), or a pause. They are swallowed and ``scanned`` is
  emitted; no key of a scan ever reaches a field;
- anything else is **typing**: the held keys are replayed, in order, to where they were going,
  as soon as a slower key, a non-printable key or a short timer says so (a person does not notice
  a 60 ms echo; a scanner never pauses that long).

Scanner speed, measured (Xvfb, ``xdotool type --delay 8``, 1,095 key presses, Shift included,
timestamps from the X server): gaps p50 4 ms, p99 7–9 ms, max 10–15 ms on an idle machine; with
both cores busy p90 6–14 ms, p99 24–32 ms and single stalls of 44 and 153 ms. A person's keys
come 100–250 ms apart; two rolled-over keys may come 20–40 ms apart, never a run of them. So a
burst is at scanner speed when at most a tenth of its gaps exceed ``max_gap_ms`` (40 ms) and
none exceeds ``scan_pause_ms`` (300 ms): a loaded machine's stall neither splits a scan nor
lets its first part leak into a field as typing.

A pass payload's length follows from its header (``domain.passcode.is_complete_pass``): a burst
that is a complete pass ends after ``quiet_ms`` (50 ms, above the loaded p99 gap) without a key,
so a scanner with a late suffix, or none, is answered at once. An Enter or Tab that comes within
``late_end_ms`` (300 ms: twice the latest suffix seen in the issue, and a pause no scanner makes
inside a burst) of a scan, with no other key between, is that scan's suffix and is swallowed: it
must not submit the sign-on name or an empty temperature, nor move the focus.

Gaps are measured with the timestamps the platform puts on key events (the moment the key was
typed, not the moment the busy GUI thread got round to it), so a scan that arrives while the
window is still starting or the GUI is busy is still recognised as one. Events without a
timestamp (synthesised, input-method commits) fall back to an injectable clock.

With a Chinese input method switched on, text arrives as ``QInputMethodEvent`` commit strings
instead of key presses; commits are held and judged the same way (a long Latin/digit commit is a
scan). Caps Lock only flips the case of letters, which the pass decoder ignores.

The filter is installed on the ``QApplication`` once the window has been painted; until then the
main window hands its key presses to ``take_early_key`` (nothing else can have the focus while the
window appears, and a window without a focused text field gets plain keys, not input-method text).
Installing it earlier would cost the cold start ~30 ms: the first events through a Python filter make
PySide6 build the wrapper types of every QtWidgets class (~250 enums) to name the objects they
concern. Scans found before the gate is ready are emitted all the same and the main window queues
them.
"""

from __future__ import annotations

import functools
import logging
import re
import time
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QMouseEvent

log = logging.getLogger(__name__)



def _load_gui() -> None:
    """The QtGui event classes, bound as module globals when first needed (the filter's install,
    a replay): PySide6 builds each class's wrapper the first time it is imported, ~3 ms for these,
    and none is needed before the window's first paint."""
    global QGuiApplication, QInputMethodEvent, QKeyEvent, QMouseEvent
    if "QKeyEvent" not in globals():
        from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QMouseEvent


def _is_enter(event: QKeyEvent) -> bool:
    """A scanner's suffix: Enter (CR), or a line feed (LF: no Enter key code, only the text)."""
    return event.key() in _keys()[0] or event.text() in ("\r", "\n")


@functools.cache
def _keys() -> tuple:
    """(Enter keys, Tab, modifiers that make a key a shortcut, keys that only change other keys),
    looked up at the first key: PySide6 builds the whole ``Qt`` namespace (~25 ms) the first time
    it is imported, and that is not needed before the window's first paint."""
    from PySide6.QtCore import Qt

    k = Qt.Key
    return ((k.Key_Return, k.Key_Enter), k.Key_Tab,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier,
            # A USB scanner presses Shift before every capital (and some send Caps Lock around a
            # scan): these keys carry no text and must neither end a burst nor flush it.
            frozenset((k.Key_Shift, k.Key_Control, k.Key_Alt, k.Key_AltGr, k.Key_Meta, k.Key_CapsLock,
                       k.Key_NumLock, k.Key_ScrollLock)))
# What a scan may contain once NFKC has undone full-width forms: the pass alphabet is Base32 plus
# a prefix; a little tolerance for other scanned codes (they are refused later with a sentence).
_SCAN_TEXT = re.compile(r"[A-Za-z0-9:/+=._-]+")


class _Held:
    """A key or an input-method commit held back. A plain class: ``dataclasses`` (and the
    ``inspect`` it imports) is not loaded before the window's first paint."""

    __slots__ = ("kind", "receiver", "text", "key", "modifiers", "event_ms", "received_ms", "released", "early")

    def __init__(self, kind: str, receiver: QObject, text: str, key: int = 0,
                 modifiers: Qt.KeyboardModifier | None = None, event_ms: int | None = None,
                 received_ms: float = 0.0) -> None:
        self.kind = kind                # "key" or "im" (input-method commit)
        self.receiver = receiver
        self.text = text
        self.key = key
        self.modifiers = modifiers      # the key's (None for input-method text)
        self.event_ms = event_ms        # platform timestamp, when the event had one
        self.received_ms = received_ms
        self.released = False           # its key release came while it was held (held too)
        self.early = False              # taken by the main window before the filter was installed


class ScanCapture(QObject):
    """Application-wide event filter that turns fast bursts of keys into ``scanned(text)``."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, min_length: int = 20, max_gap_ms: int = 40,
                 flush_ms: int = 60, scan_pause_ms: int = 300, quiet_ms: int = 50, late_end_ms: int = 300,
                 incomplete_wait_ms: int = 1500,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__(parent)
        self.min_length = min_length
        self.max_gap_ms = max_gap_ms
        self.flush_ms = flush_ms
        self.scan_pause_ms = scan_pause_ms
        self.quiet_ms = quiet_ms
        self.late_end_ms = late_end_ms
        self.incomplete_wait_ms = incomplete_wait_ms
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._held: list[_Held] = []
        self._replaying = 0
        self._scan_tail: _Held | None = None   # the last key of the last scan, until another key comes
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_pause)
        self.scans_seen = 0
        self.installed = False
        self._early_path = False

    # -- installation -------------------------------------------------------------------------
    def install(self, app: QCoreApplication) -> None:
        if not self.installed:
            _load_gui()
            self.installed = True
            app.installEventFilter(self)

    def uninstall(self, app: QCoreApplication) -> None:
        self.flush()
        if self.installed:
            self.installed = False
            app.removeEventFilter(self)

    def take_early_key(self, receiver: QObject, event: QKeyEvent) -> bool:
        """A key press that reached the main window before the filter was installed: judged like
        one the filter caught (True: held or part of a scan; the window must not act on it)."""
        if self.installed or self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        self._early_path = True
        try:
            return self._key_press(receiver, event)
        finally:
            self._early_path = False

    # -- the filter -----------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self._replaying:
            return False
        # Sorted by class first: ``event.type()`` makes PySide6 build its QEvent.Type enum (~25 ms
        # the first time), and every event of the window's first paint passes through here.
        if isinstance(event, QKeyEvent):
            et = event.type()
            if et == QEvent.Type.KeyPress:
                return self._key_press(obj, event)
            if et == QEvent.Type.KeyRelease and self._held:
                return self._key_release(event)
            if (self._held and et == QEvent.Type.ShortcutOverride and not self._holdable(event)
                    and event.key() not in _keys()[3] and not self._ends_burst(event)):
                self._flush_or_scan()   # a shortcut (F2...) is about to act: held typing lands first
            return False
        if isinstance(event, QInputMethodEvent):
            return self._input_method(obj, event)
        if self._held and isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseButtonPress:
            # A shortcut (F2...) or a click is about to act: typing held before it must land first.
            self._flush_or_scan()
        return False

    def _ends_burst(self, event: QKeyEvent) -> bool:
        """Enter, a line feed or Tab without Ctrl/Alt/Meta: the key press that follows its
        ShortcutOverride ends the scan (and is swallowed with it) — deciding at the override
        would let the press through to the focused field."""
        _enter_keys, tab, blocking, _modifier_keys = _keys()
        return (_is_enter(event) or event.key() == tab) and not (event.modifiers() & blocking)

    def _holdable(self, event: QKeyEvent) -> bool:
        text = event.text()
        return (len(text) == 1 and text.isprintable() and not event.isAutoRepeat()
                and not (event.modifiers() & _keys()[2]))

    def _key_press(self, obj: QObject, event: QKeyEvent) -> bool:
        now = self._clock()
        key = event.key()
        modifier_keys = _keys()[3]
        if key in modifier_keys:
            return False                # Shift for a capital: part of whatever is being typed
        if self._ends_burst(event):
            if self._held and self._scan_like():
                self._emit_scan()
                return True
            if not self._held and self._late_suffix(event, now):
                # The suffix of a scan already ended by its pause, the second key of a CR LF
                # suffix, or the Enter an input method passes on after committing a scan.
                return True
            self._scan_tail = None
            self.flush()
            return False
        self._scan_tail = None     # another key came: a later Enter or Tab is the guard's
        if not self._holdable(event):
            self._flush_or_scan()
            return False
        stamp = self._stamp(event)
        # Keys reach the window first; remember the widget they were going to, so that a held key
        # lands there even if the focus moves before it is given back.
        receiver = obj if obj.isWidgetType() else (QApplication.focusWidget() or obj)
        item = _Held("key", receiver, event.text(), key, event.modifiers(), stamp, now)
        item.early = self._early_path
        if self._held and self._breaks(item):
            self._flush_or_scan()  # a pause, or another field: what was held before was typing
        self._held.append(item)
        self._restart_timer()
        return True

    def _key_release(self, event: QKeyEvent) -> bool:
        """The release of a held key is held with it and given back after it, in order: a button
        acts on Space's release, and a release that came first would leave it down."""
        if event.isAutoRepeat():
            return False
        for h in reversed(self._held):
            if h.kind == "key" and h.key == event.key() and not h.released:
                h.released = True
                return True
        return False

    def _input_method(self, obj: QObject, event: QInputMethodEvent) -> bool:
        commit = event.commitString()
        if (not commit or event.preeditString() or event.replacementLength()
                or not _SCAN_TEXT.fullmatch(unicodedata.normalize("NFKC", commit))):
            # Chinese text, or the input method still composing: a person typing, at once.
            if self._held:
                self._flush_or_scan()
            return False
        now = self._clock()
        item = _Held("im", obj, commit, received_ms=now)
        if self._held and self._breaks(item):
            self._flush_or_scan()
        self._held.append(item)
        self._restart_timer()
        return True

    # -- deciding -------------------------------------------------------------------------------
    def _stamp(self, event: QKeyEvent) -> int | None:
        stamp = event.timestamp()
        return stamp if stamp > 0 else None

    def _gap(self, a: _Held, b: _Held) -> float:
        if a.event_ms is not None and b.event_ms is not None:
            gap = b.event_ms - a.event_ms
            return gap if gap >= 0 else float("inf")  # a wrapped or foreign clock: a break
        return b.received_ms - a.received_ms

    def _breaks(self, item: _Held) -> bool:
        """A scanner types into one place without pausing: a pause or a new receiver ends a burst."""
        last = self._held[-1]
        gap = self._gap(last, item)
        if gap > self._longest_gap() or (gap > self.max_gap_ms and not self._scan_may_go_on()):
            return True
        if last.early and not item.early:
            return False    # the filter took over mid-burst: the main window, then its QWindow
        # Focus that moves in the middle of a scanner-speed burst (the window just became active)
        # does not split the scan; at typing speed, text for another field is another burst.
        return last.receiver is not item.receiver and not self._looks_like_scan_start()

    def _held_text(self) -> str:
        return "".join(h.text for h in self._held)

    def _scanner_speed(self) -> bool:
        """At most a tenth of the gaps slower than ``max_gap_ms``, none slower than
        ``scan_pause_ms`` (the measured figures are in the module's docstring). A pass, or the
        start of one, has more leeway: up to half its gaps slow, none over ``incomplete_wait_ms``
        (two busy cores and a test run beside it stretched xdotool's scans that far); no person
        types a pass, and given back as typing its keys would be lost to the scan."""
        gaps = [self._gap(a, b) for a, b in zip(self._held, self._held[1:])]
        slow = sum(g > self.max_gap_ms for g in gaps)
        if self._pass_so_far():
            return slow <= len(gaps) // 2 and all(g <= self.incomplete_wait_ms for g in gaps)
        return slow <= len(gaps) // 10 and all(g <= self.scan_pause_ms for g in gaps)

    def _pass_so_far(self) -> bool:
        from checkpoint_app.domain.passcode import is_complete_pass, is_pass_start   # the gate needs it next

        text = self._held_text()
        return is_pass_start(text) or is_complete_pass(text)

    def _longest_gap(self) -> int:
        return self.incomplete_wait_ms if self._pass_so_far() else self.scan_pause_ms

    def _scan_like(self) -> bool:
        """Enough characters, at scanner speed, and nothing a pass cannot contain."""
        text = unicodedata.normalize("NFKC", self._held_text())
        if len(text) < self.min_length or not _SCAN_TEXT.fullmatch(text):
            return False
        return self._scanner_speed()

    def _complete_pass(self) -> bool:
        if len(self._held) < self.min_length:
            return False
        from checkpoint_app.domain.passcode import is_complete_pass   # at a scan: the gate needs it next

        return is_complete_pass(self._held_text()) and self._scanner_speed()

    def _late_suffix(self, event: QKeyEvent, now: float) -> bool:
        """Within ``late_end_ms`` of the last scan's last key, timed like the gaps in a burst."""
        tail = self._scan_tail
        if tail is None:
            return False
        end = _Held("key", tail.receiver, "", event_ms=self._stamp(event), received_ms=now)
        return self._gap(tail, end) <= self.late_end_ms

    def _on_pause(self) -> None:
        if not self._held:
            return
        if self._rest_on_its_way():
            self._timer.start(self.scan_pause_ms)
        elif self._scan_like():
            # A scanner without an Enter suffix, or an input method that ate the Enter.
            self._emit_scan()
        elif self._scan_may_go_on() and self._clock() - self._held[-1].received_ms < self.scan_pause_ms:
            self._timer.start(self.scan_pause_ms)  # a scan slowed down by a busy GUI: wait a bit more
        else:
            self.flush()

    def _rest_on_its_way(self) -> bool:
        """Part of a pass at scanner speed and a pause: the timer can fire before the GUI thread,
        busy for a moment (a passage's answer, a loaded PC), has read the keys that followed, so
        the burst is held up to ``incomplete_wait_ms`` for them (they are judged by their own
        timestamps: no gap). Only then is it a scan of its own (refused: "scan again")."""
        if self._clock() - self._held[-1].received_ms >= self.incomplete_wait_ms:
            return False
        from checkpoint_app.domain.passcode import is_pass_start

        return self._looks_like_scan_start() and is_pass_start(self._held_text())

    def _scan_may_go_on(self) -> bool:
        """A burst at scanner speed, or the first keys of a pass however they came: a loaded PC
        delivers the first keys of a scan slowly too (measured 44-153 ms stalls), and those keys,
        given back as typing, are lost to the scan (issue 10: "UQWCZ…" without its "CP1AEC")."""
        if self._looks_like_scan_start():
            return True
        from checkpoint_app.domain.passcode import is_pass_start

        return is_pass_start(self._held_text())

    def _looks_like_scan_start(self) -> bool:
        return len(self._held) >= 4 and self._scanner_speed()

    def _restart_timer(self) -> None:
        if self._complete_pass():
            self._timer.start(self.quiet_ms)     # a whole pass: done unless a key follows at once
        else:
            self._timer.start(self.scan_pause_ms if self._scan_may_go_on() else self.flush_ms)

    def _flush_or_scan(self) -> None:
        if self._held and self._scan_like():
            self._emit_scan()
        else:
            self.flush()

    def _emit_scan(self) -> None:
        held, self._held = self._held, []
        self._timer.stop()
        text = unicodedata.normalize("NFKC", "".join(h.text for h in held)).strip()
        self._scan_tail = held[-1]
        if any(h.kind == "im" for h in held):
            self._clear_preedit({id(h.receiver): h.receiver for h in held if h.kind == "im"}.values())
        self.scans_seen += 1
        log.debug("scan of %d characters", len(text))
        self.scanned.emit(text)

    # -- giving typing back -----------------------------------------------------------------------
    def flush(self) -> None:
        """Replay held keys as the typing they were, in order, to where they were going."""
        self._timer.stop()
        held, self._held = self._held, []
        if not held:
            return
        _load_gui()
        self._replaying += 1
        try:
            for h in held:
                receiver = h.receiver if shiboken6.isValid(h.receiver) else None
                receiver = receiver or QGuiApplication.focusObject() or QGuiApplication.focusWindow()
                if receiver is None:
                    continue
                if h.kind == "key":
                    QCoreApplication.sendEvent(receiver, QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text))
                    if h.released:
                        QCoreApplication.sendEvent(receiver, QKeyEvent(QEvent.Type.KeyRelease, h.key, h.modifiers,
                                                                       h.text))
                else:
                    ev = QInputMethodEvent("", [])
                    ev.setCommitString(h.text)
                    QCoreApplication.sendEvent(receiver, ev)
        finally:
            self._replaying -= 1

    def _clear_preedit(self, receivers) -> None:
        _load_gui()
        self._replaying += 1
        try:
            for receiver in receivers:
                if shiboken6.isValid(receiver):
                    QCoreApplication.sendEvent(receiver, QInputMethodEvent("", []))
        finally:
            self._replaying -= 1

    def pending(self) -> str:
        """Text held at this moment (for tests and the self-test)."""
        return self._held_text()
