"""Write the demo's evidence PDFs (tincay/demo/documents/*.pdf) from the specs in tincay/demo/documents.py.

Run once after changing a spec, then commit the PDFs: `.venv/bin/python scripts/demo_documents.py`.
Chromium (the one the browser tests use) prints each page, so the Vietnamese text is set in an embedded font;
seed_demo only reads the files. Layout after Decree 30/2020/NĐ-CP: emblem header, issuing body, number, place and
date, type and subject, body, signature block; every page is marked as demo data.
"""

from __future__ import annotations

import html
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tincay.demo.documents import DOCUMENTS, DOCUMENTS_DIR, DemoDocument

CHROMIUM = os.environ.get("TINCAY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
STYLE = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 13pt; line-height: 1.35; }
.head { display: flex; justify-content: space-between; text-align: center; font-size: 12pt; }
.head > div:first-child { width: 40%; }
.head > div:last-child { width: 58%; white-space: nowrap; }
.b { font-weight: bold; }
.place { text-align: right; font-style: italic; margin: 8pt 0 14pt; }
h1 { text-align: center; font-size: 14pt; margin: 0; }
.subject { text-align: center; font-weight: bold; margin: 2pt 0 12pt; }
p { text-align: justify; text-indent: 1cm; margin: 0 0 6pt; }
table { border-collapse: collapse; width: 100%; margin: 8pt 0 12pt; font-size: 12pt; }
td, th { border: 1px solid #000; padding: 3pt 6pt; text-align: left; }
.sign { width: 45%; margin-left: 55%; text-align: center; font-weight: bold; white-space: pre-line; margin-top: 16pt; }
.demo { border: 2px solid #b00; color: #b00; text-align: center; font-weight: bold; padding: 4pt; margin-bottom: 10pt; }
"""


def _page(doc: DemoDocument) -> str:
    esc = html.escape
    body_name = esc(doc.issuer.replace("UBND ", "").upper())  # "UBND phường Hải An" → "PHƯỜNG HẢI AN"
    place = doc.issuer.replace("UBND phường ", "").replace("UBND ", "")
    rows = ""
    if doc.table:
        header, *body = doc.table
        rows = "<table><tr>" + "".join(f"<th>{esc(c)}</th>" for c in header) + "</tr>"
        rows += "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in body) + "</table>"
    paragraphs = "".join(f"<p>{esc(text)}</p>" for text in doc.body)
    date = doc.issued_on
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{esc(doc.title)}</title>
<style>{STYLE}</style></head><body>
<div class="demo">DỮ LIỆU MẪU — văn bản minh họa của TinCậy, không có giá trị pháp lý</div>
<div class="head">
  <div><div class="b">ỦY BAN NHÂN DÂN</div><div class="b">{body_name}</div><div>Số: {esc(doc.number)}</div></div>
  <div><div class="b">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div><div class="b">Độc lập - Tự do - Hạnh phúc</div></div>
</div>
<div class="place">{esc(place)}, ngày {date.day:02d} tháng {date.month:02d} năm {date.year}</div>
<h1>{esc(doc.heading)}</h1>
<div class="subject">{esc(doc.subject)}</div>
{paragraphs}{rows}
<div class="sign">{esc(doc.signer)}\n\n\n(đã ký)</div>
</body></html>"""


def main() -> None:
    DOCUMENTS_DIR.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for doc in DOCUMENTS:
            page.set_content(_page(doc), wait_until="load")
            page.pdf(path=str(doc.path), format="A4", print_background=True, prefer_css_page_size=True)
            print(f"{doc.path.relative_to(DOCUMENTS_DIR.parents[2])}: {doc.path.stat().st_size} bytes")
        browser.close()


if __name__ == "__main__":
    main()
