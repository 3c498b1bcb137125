"""Reads the dossier's DOCX with python-docx and its XLSX with openpyxl (readers cpts-atlas did
not write) and prints what they find as JSON: the paragraphs, tables, pictures and highlighted
runs of the lettre; the formulas and cached values of the budget sheet."""
import json
import sys

import docx
import openpyxl


def read_docx(path):
    document = docx.Document(path)
    paragraphs = [
        {"style": p.style.name if p.style is not None else "", "text": p.text}
        for p in document.paragraphs
    ]
    highlighted = [
        run.text
        for p in document.paragraphs
        for run in p.runs
        if run.font.highlight_color is not None
    ]
    tables = []
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        tables.append(rows)
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    highlighted += [r.text for r in p.runs if r.font.highlight_color is not None]
    pictures = [
        {"width_emu": shape.width, "height_emu": shape.height}
        for shape in document.inline_shapes
    ]
    images = [
        rel.target_part.content_type
        for rel in document.part.rels.values()
        if "image" in rel.reltype
    ]
    return {
        "paragraphs": paragraphs,
        "tables": tables,
        "highlighted": highlighted,
        "pictures": pictures,
        "images": images,
    }


def read_xlsx(path):
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    sheets = {}
    for name in formulas.sheetnames:
        cells = {}
        for row in formulas[name].iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                cached = values[name][cell.coordinate].value
                cells[cell.coordinate] = {"value": cell.value, "cached": cached}
        sheets[name] = cells
    return {"sheets": sheets}


if __name__ == "__main__":
    out = {}
    for path in sys.argv[1:]:
        if path.endswith(".docx"):
            out["docx"] = read_docx(path)
        elif path.endswith(".xlsx"):
            out["xlsx"] = read_xlsx(path)
    json.dump(out, sys.stdout, ensure_ascii=False, default=str)
