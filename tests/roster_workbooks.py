"""Rosters as a property office makes them in Excel, for the import tests (service, CLI, wizard)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from checkpoint_app.domain.identity import make_id_number

ID_ZHANG = "11010519491231002X"    # as the test gate's 张三 has it
ID_ZHAO = make_id_number("310104", date(1975, 7, 21), 22)
# What the messy workbook gives: the residents imported, the rows rejected (row: a word of why).
MESSY_IMPORTED = {("3-2-501", "张三"): ("13812345678", ID_ZHANG), ("3-2-501", "李四"): ("13912345678", None),
                  ("5-1-101", "赵六"): ("13612345678", ID_ZHAO), ("5-1-102", "李𠮷祥"): ("13512345678", None),
                  ("9-1-901", "孙八"): ("13312345678", None)}
MESSY_REJECTED = {8: "4.21202E+17", 11: "联系电话"}
MESSY_HEADER_ROW = 3


def messy_office_workbook(path: Path) -> Path:
    """Two title rows (the first a merged cell across the table), the header in row 3 with a serial
    number column and a remarks column, a block of rows sharing a merged building/unit/room, a
    blank row, full-width digits, a phone typed as a number, an ID number Excel made a float, one
    bad phone, and a second sheet of notes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["阳光花园小区住户花名册（2026年11月）"])
    sheet.merge_cells("A1:J1")
    sheet.append(["制表：物业办公室", None, None, None, "联系人：刘"])
    sheet.append(["序号", "楼栋", "单元", "房号", "姓名", "联系电话", "身份证号", "类型", "状态", "备注"])
    sheet.append([1, "３栋", "２单元", "５０１室", "张三", 13812345678.0, ID_ZHANG, "户主", "正常", None])
    sheet.append([2, None, None, None, "李四", "１３９１２３４５６７８", None, "家属", None, "张三之妻"])
    sheet.merge_cells("B4:B5")
    sheet.merge_cells("C4:C5")
    sheet.merge_cells("D4:D5")
    sheet.append([])
    sheet.append([3, "5栋", 1, "101", "赵六", "136-1234-5678", ID_ZHAO, "户主", "健康观察", None])
    sheet.append([4, 3, 2, 502, "王五", "13712345678", 4.21202e17, "户主", "正常", "身份证号被改成了数字"])
    sheet.append([5, "５", "１", "１０２", "李𠮷祥", "１３５１２３４５６７８", None, "户主", None, None])
    sheet.append([6, "9号楼", "1单元", "901", "孙八", 13312345678, None, "租户", None, None])
    sheet.append([7, 5, 1, 103, "钱七", "1381234", None, "租户", None, "手机少了几位"])
    notes = book.create_sheet("填写说明")
    notes.append(["类型填户主、家属或租户"])
    book.save(path)
    return path
