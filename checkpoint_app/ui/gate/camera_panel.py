"""Scanning a pass with a webcam (F7): for the night the hand scanner fails, or a pass shown on a
phone the scanner cannot read.

The F7 button appears only when a camera exists. QtMultimedia (and its FFmpeg backend) is loaded
after the gate is up, in idle time — never before the first paint — and a camera plugged in later
makes the button appear. Frames go to a worker thread, the newest frame only and at most one every
``FRAME_EVERY_MS``: it reads the QR code from the frame's luma in place (zxing-cpp) and makes the
preview picture, which the panel paints mirrored (the card moves the way the hand does) with a
frame to aim at. The GUI thread never converts or decodes a frame. A decoded text leaves through ``scanned`` exactly like a keyboard scan, the camera
stops and the gate page shows the holder and asks for the temperature as usual. Leaving the panel
(Esc, the button, a keyboard scan) switches the camera off.

A camera that cannot start (taken by another program, unplugged, refused by Windows' privacy
settings) is one red sentence on the panel; nothing else changes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkpoint_app.ui.shared.style import error_label
from checkpoint_app.ui.shared.panel_header import add_panel_header

log = logging.getLogger(__name__)

FRAME_EVERY_MS = 66            # ~15 frames a second decoded and shown: plenty for a card held up
SAME_CODE_QUIET_S = 3.0        # the same code seen again within this is the same showing

_support: list[str | None] = []


def camera_support() -> str | None:
    """None when webcam scanning can work here, else why not (logged once): QtMultimedia or
    zxing-cpp missing or unloadable (on Linux QtMultimedia needs libpulse)."""
    if not _support:
        try:
            from PySide6.QtCore import QLoggingCategory

            # The FFmpeg backend looks for VA-API (GPU video decoding) and warns when it is
            # absent; webcam frames do not need it.
            QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false\nqt.multimedia.ffmpeg.info=false")
            import zxingcpp  # noqa: F401
            from PySide6 import QtMultimedia  # noqa: F401
        except (ImportError, OSError) as err:
            log.info("webcam scanning unavailable: %s", err)
            _support.append(f"{type(err).__name__}: {err}")
        else:
            _support.append(None)
    return _support[0]


def video_inputs() -> list:
    """The cameras (``QCameraDevice``) Qt sees; empty when webcam scanning cannot work."""
    if camera_support() is not None:
        return []
    from PySide6.QtMultimedia import QMediaDevices

    return list(QMediaDevices.videoInputs())


def decode_image(image) -> str | None:
    """The text of the first QR code in a ``QImage`` (zxing-cpp), or None."""
    from PySide6.QtGui import QImage

    return _first_qr(image.convertToFormat(QImage.Format.Format_Grayscale8))


def decode_frame(frame) -> str | None:
    """The text of the first QR code in a ``QVideoFrame``, read in place: the luma plane of the
    YUV formats webcams deliver, or the RGB bytes; other formats through ``toImage``."""
    from PySide6.QtMultimedia import QVideoFrame

    if frame.map(QVideoFrame.MapMode.ReadOnly):
        try:
            # ``_buffer`` stays referenced while zxing-cpp reads it: an ImageView does not keep
            # its buffer alive (a view over a freed copy crashes the process).
            view, _buffer = _frame_view(frame)
            if view is not None:
                return _first_qr(view)
        finally:
            frame.unmap()
    image = frame.toImage()
    return decode_image(image) if not image.isNull() else None


def _frame_view(frame) -> tuple[object, object]:
    """(a zxing-cpp view on a mapped frame's bytes, the buffer it reads — keep it referenced
    while the view is used), or (None, None) for a format it cannot read directly."""
    import zxingcpp
    from PySide6.QtMultimedia import QVideoFrameFormat

    pf = QVideoFrameFormat.PixelFormat
    fmt = frame.pixelFormat()
    w, h, stride = frame.width(), frame.height(), frame.bytesPerLine(0)
    bits = memoryview(frame.bits(0))
    if fmt in (pf.Format_NV12, pf.Format_NV21, pf.Format_YUV420P, pf.Format_YUV422P, pf.Format_YV12,
               pf.Format_IMC1, pf.Format_IMC2, pf.Format_IMC3, pf.Format_IMC4, pf.Format_Y8):
        return zxingcpp.ImageView(bits, w, h, zxingcpp.ImageFormat.Lum, stride), bits    # 8-bit luma first
    if fmt == pf.Format_YUYV:
        return zxingcpp.ImageView(bits, w, h, zxingcpp.ImageFormat.Lum, stride, 2), bits
    if fmt == pf.Format_UYVY:
        # Luma is the second byte of each pair; the view must not end past the buffer: a copy.
        luma = bytes(bits[1:]) + b"\0"
        return zxingcpp.ImageView(luma, w, h, zxingcpp.ImageFormat.Lum, stride, 2), luma
    rgb = {pf.Format_ARGB8888: "ARGB", pf.Format_ARGB8888_Premultiplied: "ARGB", pf.Format_XRGB8888: "ARGB",
           pf.Format_BGRA8888: "BGRA", pf.Format_BGRA8888_Premultiplied: "BGRA", pf.Format_BGRX8888: "BGRA",
           pf.Format_ABGR8888: "ABGR", pf.Format_XBGR8888: "ABGR",
           pf.Format_RGBA8888: "RGBA", pf.Format_RGBX8888: "RGBA"}.get(fmt)
    if rgb is not None:
        return zxingcpp.ImageView(bits, w, h, getattr(zxingcpp.ImageFormat, rgb), stride), bits
    return None, None


def _first_qr(image) -> str | None:
    import zxingcpp

    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        if barcode.valid and barcode.text:
            return barcode.text
    return None


class _Worker(QObject):
    """Lives in the worker thread: one frame in; the preview picture, maybe a text, then ``done``."""

    preview = Signal(object)      # QImage
    decoded = Signal(str)
    done = Signal()

    def __init__(self, preview_width: int = 640) -> None:
        super().__init__()
        self.preview_width = preview_width

    @Slot(object)
    def process(self, frame) -> None:
        text = None
        try:
            text = decode_frame(frame)
            image = frame.toImage()
            if not image.isNull():
                if image.width() > self.preview_width:
                    image = image.scaledToWidth(self.preview_width)
                self.preview.emit(image)
        except Exception:   # a frame the backend cannot convert: skip it, keep scanning
            log.exception("camera frame could not be processed")
        if text:
            self.decoded.emit(text)
        self.done.emit()


class CameraView(QWidget):
    """The camera's picture, mirrored, with a square to aim the card at."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = None
        self.setMinimumSize(240, 150)

    def show_image(self, image) -> None:
        self.image = image
        self.update()

    def clear(self) -> None:
        self.image = None
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QColor, QPainter, QPen

        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#10161a"))
        if self.image is not None:
            img = self.image
            scale = min(self.width() / img.width(), self.height() / img.height())
            w, h = img.width() * scale, img.height() * scale
            target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
            p.save()
            p.translate(target.center().x(), 0)
            p.scale(-1, 1)                   # mirrored: the card moves the way the hand does
            p.translate(-target.center().x(), 0)
            p.drawImage(target, img)
            p.restore()
        side = min(self.width(), self.height()) * 0.62
        x, y = (self.width() - side) / 2, (self.height() - side) / 2
        arm = side * 0.18
        p.setPen(QPen(QColor("#ffffff"), 5))
        for cx, cy, dx, dy in ((x, y, 1, 1), (x + side, y, -1, 1), (x, y + side, 1, -1), (x + side, y + side, -1, -1)):
            p.drawLine(int(cx), int(cy), int(cx + dx * arm), int(cy))
            p.drawLine(int(cx), int(cy), int(cx), int(cy + dy * arm))
        p.end()


class CameraWatch(QObject):
    """Says whether a camera exists now, and again when one is plugged in or out."""

    changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = False
        self._devices = None

    def start(self) -> None:
        self.available = bool(video_inputs())
        if camera_support() is None:
            from PySide6.QtMultimedia import QMediaDevices

            self._devices = QMediaDevices(self)
            self._devices.videoInputsChanged.connect(self._recheck)
        self.changed.emit(self.available)

    def _recheck(self) -> None:
        available = bool(video_inputs())
        if available != self.available:
            self.available = available
            self.changed.emit(available)


class CameraPanel(QWidget):
    """The live picture and the worker. ``scanned(text)`` for a code read; ``cancelled`` for Esc."""

    scanned = Signal(str)
    cancelled = Signal()
    _frame_ready = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QVideoSink

        self._clock = clock
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 16, 24, 16)
        self.title, self.hint = add_panel_header(
            lay, self.tr("摄像头扫码（F7）"), self.tr("把出入证二维码放进方框，离镜头约 20 厘米；读到后自动转到测温。"))
        self.view = CameraView()
        lay.addWidget(self.view, 1)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        back = QPushButton(self.tr("关闭摄像头 (Esc)"))
        back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        back.clicked.connect(self.cancelled)
        row.addWidget(back)
        row.addStretch(1)
        lay.addLayout(row)

        self.camera = None
        self._session = None
        self._resume = False
        self._busy = False
        self._last_sent = float("-inf")
        self._last_text: tuple[str, float] | None = None
        self.frames_processed = 0
        self.sink = QVideoSink(self)        # where the camera's frames arrive
        self.sink.videoFrameChanged.connect(self._on_frame)
        self._thread = QThread(self)
        self._thread.setObjectName("checkpoint-camera")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._frame_ready.connect(self._worker.process)
        self._worker.preview.connect(self.view.show_image)
        self._worker.decoded.connect(self._on_decoded)
        self._worker.done.connect(self._on_done)
        self._thread.finished.connect(self._worker.deleteLater)
        app = QCoreApplication.instance()
        if app is not None:   # a quit without a close event (Windows log-off) must stop the thread
            app.aboutToQuit.connect(self.shutdown)
        self._thread.start()

    # -- the camera -------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Called when the panel is opened: start the first camera."""
        self.error.clear()
        self._last_text = None
        self.start_camera()

    def start_camera(self) -> bool:
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession

        self.stop_camera()
        devices = video_inputs()
        if not devices:
            self.status.clear()
            self.error.setText(self.tr("没有找到摄像头：请插好摄像头，或用扫码枪扫码。"))
            return False
        device = devices[0]
        self.camera = QCamera(device, self)
        self.camera.errorOccurred.connect(self._on_camera_error)
        self._session = QMediaCaptureSession(self)
        self._session.setCamera(self.camera)
        self._session.setVideoSink(self.sink)
        self.camera.start()
        self.status.setText(self.tr("摄像头：{name}").format(name=device.description()))
        log.info("camera started: %s", device.description())
        return True

    def stop_camera(self) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.camera.deleteLater()
            self.camera = None
        if self._session is not None:
            self._session.deleteLater()
            self._session = None
        self.view.clear()

    def _on_camera_error(self, _error, text: str) -> None:
        log.warning("camera error: %s", text)
        self.error.setText(self.tr("摄像头无法使用（{why}）：可能被其他程序占用或被系统禁止，请用扫码枪扫码。")
                           .format(why=text))

    def hideEvent(self, event) -> None:  # noqa: N802
        # The guard left the panel (or the lock page covers it): the camera goes off, and comes
        # back on if the panel is shown again without being left (after the lock page).
        self._resume = self.camera is not None
        self.stop_camera()
        super().hideEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._resume and self.camera is None:
            # Next turn of the loop, and only if still shown: after the lock page the gate page
            # may go straight on to the scan panel (scans waited), and opening a camera for
            # nothing is slow on Windows.
            QTimer.singleShot(0, self, self._resume_camera)

    def _resume_camera(self) -> None:
        if self._resume and self.camera is None and self.isVisible():
            self._resume = False
            self.start_camera()

    def shutdown(self) -> None:
        self._resume = False
        self.stop_camera()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(2000)

    # -- frames -------------------------------------------------------------------------------------
    def _on_frame(self, frame) -> None:
        now = self._clock() * 1000
        if self._busy or now - self._last_sent < FRAME_EVERY_MS or not frame.isValid():
            return
        self._busy = True
        self._last_sent = now
        from PySide6.QtMultimedia import QVideoFrame

        self._frame_ready.emit(QVideoFrame(frame))   # a copy the worker may keep

    def _on_done(self) -> None:
        self._busy = False
        self.frames_processed += 1

    def _on_decoded(self, text: str) -> None:
        now = self._clock()
        if self._last_text is not None and self._last_text[0] == text and now - self._last_text[1] < SAME_CODE_QUIET_S:
            return
        self._last_text = (text, now)
        if not self.isVisible():
            return                  # decoded just as the guard left the panel: not a scan
        log.info("camera scan of %d characters", len(text))
        self.stop_camera()
        self._resume = False
        self.scanned.emit(text)
