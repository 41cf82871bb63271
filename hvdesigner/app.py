"""The designer's composition root: the Qt application, its look, the main window, and the
``--screenshot`` mode that renders the window to a PNG and exits (for docs, bug reports, tests
and machines without a display)."""

from __future__ import annotations

import os
import sys
import tempfile

from PySide6.QtCore import (
    QMessageLogContext,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from hvdesigner.canvas.theme import dark_palette, light_palette
from hvdesigner.exporters.terminal import printable

APP_NAME = "hvdesigner"


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages, less one the offscreen platform prints on every window it shows."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def make_application(theme: str | None = None) -> QApplication:
    """The QApplication, in the Fusion style; the theme follows the system unless given."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    qInstallMessageHandler(_quiet_offscreen)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setStyle("Fusion")
    scheme = app.styleHints().colorScheme()
    dark = theme == "dark" or (theme is None and scheme == Qt.ColorScheme.Dark)
    app.setPalette(dark_palette() if dark else light_palette())
    return app


def recovery_folder() -> str:
    """Where every open design's unsaved work is autosaved: the user's data folder."""
    folder = os.path.join(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation), "recovery")
    os.makedirs(folder, exist_ok=True)
    return folder


def run_designer(design: str | None, screenshot: str | None = None, theme: str | None = None,
                 size: tuple[int, int] = (1600, 1000)) -> int:
    """Open the designer (on a design, if given); with ``screenshot``, save a PNG and exit."""
    if screenshot is not None and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = make_application(theme)
    from hvdesigner.ui.main_window import MainWindow

    if screenshot is None:
        settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, APP_NAME)
    else:  # a picture shows the default layout, whatever the user's windows look like
        settings = QSettings(os.path.join(tempfile.mkdtemp(prefix="hvd-shot-"), "settings.ini"),
                             QSettings.Format.IniFormat)
    window = MainWindow(settings, recovery_folder() if screenshot is None else None)
    if screenshot is not None:  # no one to read a dialog: problems go to stderr
        window.show_error = lambda title, text: print(
            printable(f"hvdesigner: {text}", keep_newlines=True), file=sys.stderr)
    if design is not None and not window.open_path(design):
        if screenshot is None:
            window.show()
            return app.exec()  # the designer stays open, with the error dialog over it
        return 2
    if screenshot is not None:
        window.resize(*size)
        window.show()
        return take_screenshot(app, window, screenshot)
    window.show()
    if window.crashed_work():  # work a crash left behind: offered before anything else
        QTimer.singleShot(0, window.offer_recovery)
    return app.exec()


def take_screenshot(app: QApplication, window: object, path: str) -> int:
    """Wait until the design is laid out and checked, then grab the whole window."""
    from hvdesigner.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    result = {"code": 1}

    def grab() -> None:
        assert window.document is not None and window.view is not None
        window.document.check_now()
        window.view.fit_content()
        assert window.scene is not None
        window.scene.link_layer.show_labels()  # (not waiting for the zoom to hold still)
        app.processEvents()
        result["code"] = 0 if window.grab().save(path) else 1
        if result["code"]:
            print(printable(f"hvdesigner: could not write {path}"), file=sys.stderr)
        window.document.undo_stack.setClean()
        window.close()
        app.quit()

    QTimer.singleShot(200, grab)
    app.exec()
    return result["code"]

