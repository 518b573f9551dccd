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
    at ``dpi`` in a child process; ``("unreadable",)`` when QtPdf cannot load the file."""
    import multiprocessing

    mp = multiprocessing.get_context("spawn")
    receive, send = mp.Pipe(duplex=False)
    child = mp.Process(target=_child, name="checkpoint-print", daemon=True, args=(send, str(path), dpi, bands))
    child.start()
    send.close()
    try:
        while True:
            try:
                message = receive.recv()
            except EOFError:
                raise RuntimeError(f"the page-rendering process ended without an answer (exit {child.exitcode})") from None
            if message[0] == "done":
                return
            if message[0] == "error":
                raise RuntimeError(f"the page-rendering process failed:\n{message[1]}")
            yield message
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(10)


def _child(send, path: str, dpi: int, bands: int) -> None:
    import traceback

    try:
        from PySide6.QtCore import QCoreApplication, QRect, QSize
        from PySide6.QtGui import QImage
        from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

        app = QCoreApplication([])        # noqa: F841 - QtPdf needs an application; no window, no platform plugin
        document = QPdfDocument(None)
        if document.load(path) != QPdfDocument.Error.None_:
            send.send(("unreadable",))
            return
        for page in range(document.pageCount()):
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            send.send(("page", page, size.width(), size.height()))
            band = -(-size.height() // bands)
            for top in range(0, size.height(), band):
                height = min(band, size.height() - top)
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(size)
                options.setScaledClipRect(QRect(0, top, size.width(), height))
                image = document.render(page, QSize(size.width(), height), options)
                image = image.convertToFormat(QImage.Format.Format_ARGB32)
                send.send(("band", top, image.width(), image.height(), image.bytesPerLine(), bytes(image.constBits())))
        document.close()
        send.send(("done",))
    except BaseException:          # noqa: BLE001 - the parent raises it with the child's traceback
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()
