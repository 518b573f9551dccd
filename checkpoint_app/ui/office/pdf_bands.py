"""The pages of a PDF rendered (QtPdf) in a child process, in bands, for printing.

QtPdf keeps the GIL while it renders: rendered in a thread of the app, a print held the GUI
thread for 0.4-0.6 s. In a spawned child it holds only the child's; the parent receives each
band's pixels through a pipe (reading releases the GIL) and only paints them.
"""

from __future__ import annotations

from pathlib import Path


def render_apart(path: Path, dpi: int, bands: int):
    """Yield ``("page", index, width, height)`` for each page and then ``("band", top, width,
    height, bytes_per_line, pixels)`` (Format_ARGB32) for each of its ``bands`` strips, rendered
    at ``dpi`` in a child process (services/apart.py); ``("unreadable",)`` when QtPdf cannot load
    the file."""
    from checkpoint_app.services import apart

    return apart.stream(_child, str(path), dpi, bands, name="checkpoint-print")


def _child(out, path: str, dpi: int, bands: int) -> None:
    from PySide6.QtCore import QCoreApplication, QRect, QSize
    from PySide6.QtGui import QImage
    from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

    app = QCoreApplication([])        # noqa: F841 - QtPdf needs an application; no window, no platform plugin
    document = QPdfDocument(None)
    if document.load(path) != QPdfDocument.Error.None_:
        out.send(("unreadable",))
        return
    try:
        for page in range(document.pageCount()):
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            out.send(("page", page, size.width(), size.height()))
            band = -(-size.height() // bands)
            for top in range(0, size.height(), band):
                height = min(band, size.height() - top)
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(size)
                options.setScaledClipRect(QRect(0, top, size.width(), height))
                image = document.render(page, QSize(size.width(), height), options)
                image = image.convertToFormat(QImage.Format.Format_ARGB32)
                out.send(("band", top, image.width(), image.height(), image.bytesPerLine(), bytes(image.constBits())))
    finally:
        document.close()
