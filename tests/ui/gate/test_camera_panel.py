"""Webcam scanning (F7): frames in the formats webcams deliver, decoded by zxing-cpp off the GUI
thread, leave as a scan like the hand scanner's; no camera, no button.

There is no camera on the test machines: frames are pushed into the panel's video sink, where
QtMultimedia would put the camera's.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QVBoxLayout, QWidget

from checkpoint_app.reports.qr import encode
from checkpoint_app.ui.gate import camera_panel
from checkpoint_app.ui.gate.camera_panel import CameraPanel, CameraWatch, decode_frame, video_inputs
from tests.conftest import GUARD

pytestmark = [
    pytest.mark.skipif(camera_panel.camera_support() is not None,
                       reason=f"QtMultimedia unavailable: {camera_panel.camera_support()}"),
    # Without a GPU (the offscreen platform) Qt converts frames for the preview on the CPU, and
    # says so once per thread.
    pytest.mark.qt_log_ignore("No RHI backend"),
]

W, H = 640, 480


def _scene(payload: str | None, *, scale: int = 3, at: tuple[int, int] = (170, 70)) -> QImage:
    """A camera's view: a grey desk, and a pass card with its QR code on it (or an empty card)."""
    img = QImage(W, H, QImage.Format.Format_RGB32)
    img.fill(QColor(120, 118, 110))
    p = QPainter(img)
    ox, oy = at
    if payload is not None:
        qr = encode(payload)
        quiet = 4 * scale
        p.fillRect(QRect(ox - quiet, oy - quiet, qr.size * scale + 2 * quiet, qr.size * scale + 2 * quiet),
                   QColor(235, 235, 228))
        for r, c, n in qr.runs():
            p.fillRect(QRect(ox + c * scale, oy + r * scale, n * scale, scale), QColor(25, 25, 30))
    else:
        p.fillRect(QRect(ox, oy, 300, 200), QColor(235, 235, 228))
    p.end()
    return img


def _frame(img: QImage, fmt: str):
    """The scene as a ``QVideoFrame`` in pixel format ``fmt`` (luma from the grey levels)."""
    from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

    if fmt == "BGRX8888":
        return QVideoFrame(img)
    pf = getattr(QVideoFrameFormat.PixelFormat, f"Format_{fmt}")
    frame = QVideoFrame(QVideoFrameFormat(QSize(W, H), pf))
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    gray = img.convertToFormat(QImage.Format.Format_Grayscale8)
    luma = bytes(gray.constBits())[: W * H] if gray.bytesPerLine() == W else b"".join(
        bytes(gray.constScanLine(y))[:W] for y in range(H))
    try:
        stride = frame.bytesPerLine(0)
        plane = memoryview(frame.bits(0)).cast("B")
        for y in range(H):
            row = luma[y * W:(y + 1) * W]
            if fmt in ("NV12", "YUV420P"):
                plane[y * stride:y * stride + W] = row
            else:                           # packed 4:2:2, two bytes a pixel
                packed = bytearray(2 * W)
                packed[0 if fmt == "YUYV" else 1::2] = row
                packed[1 if fmt == "YUYV" else 0::2] = b"\x80" * W
                plane[y * stride:y * stride + 2 * W] = packed
        for p in range(1, frame.planeCount()):   # chroma planes: neutral
            chroma = memoryview(frame.bits(p)).cast("B")
            chroma[:] = b"\x80" * len(chroma)
    finally:
        frame.unmap()
    return frame


PAYLOAD = "CP1" + "ABCDEFGHJKMNPQRSTVWXYZ234567" * 4


@pytest.mark.parametrize("fmt", ["BGRX8888", "NV12", "YUV420P", "YUYV", "UYVY"])
def test_a_frame_is_read_in_the_formats_webcams_deliver(qapp, fmt):
    assert decode_frame(_frame(_scene(PAYLOAD), fmt)) == PAYLOAD


def test_a_frame_without_a_code_reads_as_nothing(qapp):
    assert decode_frame(_frame(_scene(None), "NV12")) is None


@pytest.fixture
def panel(qtbot):
    clock = [1000.0]
    holder = QWidget()                  # a fixed-size window, as the gate window is
    holder.setFixedSize(800, 600)
    panel = CameraPanel(holder, clock=lambda: clock[0])
    panel.clock = clock
    QVBoxLayout(holder).addWidget(panel)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    yield panel
    panel.shutdown()


def _show(panel, frame) -> None:
    panel.sink.setVideoFrame(frame)


def test_the_panel_decodes_off_the_gui_thread_and_says_it_once(panel, qtbot):
    _show(panel, _frame(_scene(None), "NV12"))     # the card not yet in view: the guard sees the picture
    qtbot.waitUntil(lambda: panel.view.image is not None, timeout=5000)
    assert (panel.view.image.width(), panel.view.image.height()) == (W, H)
    panel.clock[0] += 1.0
    with qtbot.waitSignal(panel.scanned, timeout=5000) as got:
        _show(panel, _frame(_scene(PAYLOAD), "NV12"))
    assert got.args == [PAYLOAD]
    assert panel.view.image is None                 # read: the camera is off until the panel opens again
    # The card is still in front of the lens: the same code again is the same showing.
    seen: list[str] = []
    panel.scanned.connect(seen.append)
    panel.clock[0] += 1.0
    done = panel.frames_processed
    _show(panel, _frame(_scene(PAYLOAD, at=(180, 80)), "NV12"))
    qtbot.waitUntil(lambda: panel.frames_processed > done, timeout=5000)
    assert seen == []
    # Shown again a while later (the next passage of the same resident): a scan again.
    panel.clock[0] += 10.0
    with qtbot.waitSignal(panel.scanned, timeout=5000):
        _show(panel, _frame(_scene(PAYLOAD), "YUYV"))


def test_frames_arriving_faster_than_the_decoder_are_dropped_not_queued(panel, qtbot):
    scene = _scene(None)
    empty = lambda: _frame(scene, "NV12")   # noqa: E731 (a camera's frames are new frames)
    for _ in range(20):                 # twenty frames in the same instant: one decode
        _show(panel, empty())
    qtbot.waitUntil(lambda: panel.frames_processed == 1 and not panel._busy, timeout=5000)
    qtbot.wait(50)
    assert panel.frames_processed == 1
    panel.clock[0] += 0.05              # sooner than FRAME_EVERY_MS: still skipped
    _show(panel, empty())
    qtbot.wait(50)
    assert panel.frames_processed == 1
    panel.clock[0] += 0.2
    _show(panel, empty())
    qtbot.waitUntil(lambda: panel.frames_processed == 2, timeout=5000)


def test_no_camera_is_one_sentence(panel):
    if video_inputs():
        pytest.skip("this machine has a camera")
    panel.prepare()
    assert "没有找到摄像头" in panel.error.text()
    assert panel.camera is None


def test_the_f7_button_shows_only_with_a_camera(window, qtbot):
    page = window.page
    qtbot.waitUntil(lambda: page.camera_watch is not None, timeout=10000)
    assert page.key_buttons["F7"].isVisibleTo(window) == bool(video_inputs())
    page.set_camera_available(True)     # a camera plugged in
    assert page.key_buttons["F7"].isVisibleTo(window)
    page.set_camera_available(False)
    assert not page.key_buttons["F7"].isVisibleTo(window)


def test_a_camera_scan_goes_the_way_of_a_scanner_scan(window, keyboard, gate_ctx, qtbot):
    page = window.page
    qtbot.waitUntil(lambda: page.camera_watch is not None, timeout=10000)
    page.camera_watch.available = True  # as if a camera were there (none on the test machines)
    page.set_camera_available(True)
    page.open_camera()
    panel = page.camera_panel
    assert page.stack.currentWidget() is panel
    with qtbot.waitSignal(page.scanAnswered, timeout=5000):
        _show(panel, _frame(_scene(gate_ctx.cards["张三"]), "NV12"))
    assert page.stack.currentWidget() is page.scan_panel       # the camera panel is gone (camera off)
    assert page.scan_panel.name.text() == "张三" and page.scan_panel.temperature.hasFocus()
    with qtbot.waitSignal(page.passageRecorded, timeout=3000) as rec:
        keyboard.type("365")
        keyboard.enter()
    assert rec.args[0].outcome == "allowed"
    assert gate_ctx.passages() == [("3-2-501", "out", 365, "allowed", "ok", 0, GUARD)]


def test_a_camera_scan_while_someone_is_measured_waits_and_the_camera_panel_goes(window, keyboard, gate_ctx, qtbot):
    page = window.page
    qtbot.waitUntil(lambda: page.camera_watch is not None, timeout=10000)
    with qtbot.waitSignal(page.scanAnswered, timeout=3000):
        keyboard.scan(gate_ctx.cards["张三"])           # 张三 is being measured
    page.camera_watch.available = True
    page.set_camera_available(True)
    page.open_camera()
    panel = page.camera_panel
    assert page.stack.currentWidget() is panel
    panel.scanned.emit(gate_ctx.cards["李四"])          # what the panel says after a read
    assert page.stack.currentWidget() is page.scan_panel, "not left on a stopped, black camera"
    assert page.current.holder.name == "张三" and list(page.queue) == [gate_ctx.cards["李四"]]


class _FakeCamera:
    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    def deleteLater(self) -> None:  # noqa: N802
        pass


def test_the_camera_goes_off_under_the_lock_page_and_on_again_after(panel, qtbot, monkeypatch):
    started: list[int] = []

    def start_camera() -> bool:
        started.append(1)
        panel.camera = _FakeCamera()
        return True

    monkeypatch.setattr(panel, "start_camera", start_camera)
    panel.prepare()
    assert len(started) == 1
    camera = panel.camera
    page = panel.parentWidget()             # stands for the gate page
    page.hide()                             # the lock page covers the gate page
    assert camera.stopped and panel.camera is None
    page.show()                             # unlocked: the panel is back
    qtbot.waitUntil(lambda: len(started) == 2)
    assert panel.camera is not None
