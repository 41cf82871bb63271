"""Guards the PySide6 pin: 6.12.0 on Python 3.11 aborts after a few thousand setPos() calls or
Python paint() calls (qt-stack.md, pitfall 1). An upgrade that brings it back fails here."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsScene


class PaintedItem(QGraphicsItem):
    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, 20, 20)

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        painter.drawRect(self.boundingRect())


def test_many_set_pos_calls_and_python_paints_do_not_crash(qapp: object) -> None:
    scene = QGraphicsScene()
    items = [QGraphicsRectItem(0, 0, 10, 10) for _ in range(100)]
    painted = [PaintedItem() for _ in range(50)]
    for item in items + painted:
        scene.addItem(item)
    for i in range(200_000):
        items[i % 100].setPos(i % 997, i % 991)
    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    for _ in range(60):  # 60 renders x 50 Python paint() calls
        painter = QPainter(image)
        scene.render(painter)
        painter.end()
    assert items[0].pos().x() == (199_900 % 997)
