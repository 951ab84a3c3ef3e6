"""Evidence documents of the demo: a few administrative documents as real PDF files, linked to the criteria they prove.

The PDFs in ``tincay/demo/documents/`` are generated once from these specs by ``scripts/demo_documents.py``
(Chromium prints each page, so the Vietnamese text is set in an embedded font) and committed; ``seed_demo`` only
reads them, so it stays fast and needs no PDF library. The layout follows Decree 30/2020/NĐ-CP (national emblem
header, issuing body, number and symbol, place and date) and every page says it is demo data.
Pure data: no ORM, no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"


@dataclass(frozen=True)
class DemoDocument:
    unit_key: str  # the unit whose register holds the document
    file_name: str
    title: str
    number: str
    issued_on: dt.date
    issuer: str
    kind: str  # tincay.assessments.choices.DocumentKind
    visibility: str  # internal | public
    criteria: tuple[str, ...]  # criterion codes the document is linked to
    heading: str  # the document type line: QUYẾT ĐỊNH, KẾ HOẠCH, BÁO CÁO
    subject: str  # the "Về việc ..." line
    body: tuple[str, ...]  # paragraphs
    table: tuple[tuple[str, ...], ...] = field(default=())  # optional figures, first row the header
    signer: str = ""

    @property
    def path(self) -> Path:
        return DOCUMENTS_DIR / self.file_name

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


HAI_AN = "11413"
HONG_BANG = "11311"

DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        unit_key=HAI_AN,
        file_name="hai-an-125-qd-ubnd-2026.pdf",
        title="Quyết định thành lập Ban chỉ đạo áp dụng TCVN ISO 18091:2020 (dữ liệu mẫu)",
        number="125/QĐ-UBND",
        issued_on=dt.date(2026, 3, 2),
        issuer="UBND phường Hải An",
        kind="decision",
        visibility="internal",
        criteria=("1.1.1",),
        heading="QUYẾT ĐỊNH",
        subject="Về việc thành lập Ban chỉ đạo áp dụng TCVN ISO 18091:2020 tại phường Hải An",
        body=(
            "Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ kế hoạch của Ủy ban nhân dân thành phố Hải Phòng về "
            "áp dụng TCVN ISO 18091:2020 tại các xã, phường, đặc khu;",
            "Điều 1. Thành lập Ban chỉ đạo áp dụng TCVN ISO 18091:2020 của phường Hải An gồm 9 thành viên: Trưởng ban "
            "là Chủ tịch UBND phường; Phó Trưởng ban thường trực là Phó Chủ tịch UBND phường; các thành viên là "
            "lãnh đạo các phòng chuyên môn, Trung tâm Phục vụ hành chính công và Ủy ban Mặt trận Tổ quốc phường.",
            "Điều 2. Ban chỉ đạo chỉ đạo việc tự đánh giá theo bộ chỉ số, xác định các chủ điểm cần cải thiện, xây "
            "dựng chương trình hành động và báo cáo kết quả. Văn phòng HĐND và UBND phường là đầu mối giúp việc.",
            "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Các cơ quan, cá nhân có tên tại Điều 1 chịu trách nhiệm "
            "thi hành Quyết định này.",
        ),
        signer="CHỦ TỊCH",
    ),
    DemoDocument(
        unit_key=HAI_AN,
        file_name="hai-an-48-kh-ubnd-2026.pdf",
        title="Kế hoạch tự đánh giá chính quyền địa phương tin cậy năm 2026 (dữ liệu mẫu)",
        number="48/KH-UBND",
        issued_on=dt.date(2026, 3, 16),
        issuer="UBND phường Hải An",
        kind="plan",
        visibility="internal",
        criteria=("1.1.2", "1.1.5"),
        heading="KẾ HOẠCH",
        subject="Tự đánh giá chính quyền địa phương tin cậy theo TCVN ISO 18091:2020 năm 2026",
        body=(
            "I. Mục đích: đánh giá thực trạng quản trị của phường theo 39 chỉ số của bộ chỉ số, có số liệu và tài "
            "liệu kiểm chứng; xác định các chủ điểm cần cải thiện để xây dựng chương trình hành động năm 2027.",
            "II. Phân công: Văn phòng HĐND và UBND phường chủ trì trụ cột 1; Phòng Kinh tế, Hạ tầng và Đô thị chủ "
            "trì trụ cột 2 và 4; Phòng Văn hóa - Xã hội chủ trì trụ cột 3.",
            "III. Tiến độ: thu thập số liệu trước ngày 30/9/2026; hoàn thành bản tự đánh giá trước ngày 15/12/2026; "
            "công khai kết quả trên trang thông tin điện tử của phường sau khi được thẩm định.",
        ),
        table=(
            ("Nội dung", "Đơn vị chủ trì", "Thời hạn"),
            ("Thu thập số liệu, tài liệu kiểm chứng", "Các phòng chuyên môn", "30/9/2026"),
            ("Tự đánh giá 39 chỉ số", "Văn phòng HĐND và UBND", "15/12/2026"),
            ("Báo cáo Ban chỉ đạo, gửi thành phố", "Văn phòng HĐND và UBND", "20/12/2026"),
        ),
        signer="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    ),
    DemoDocument(
        unit_key=HAI_AN,
        file_name="hai-an-36-bc-ubnd-2026.pdf",
        title="Báo cáo công khai dự toán ngân sách phường năm 2026 (dữ liệu mẫu)",
        number="36/BC-UBND",
        issued_on=dt.date(2026, 1, 10),
        issuer="UBND phường Hải An",
        kind="report",
        visibility="public",
        criteria=("1.4.3",),
        heading="BÁO CÁO",
        subject="Công khai dự toán ngân sách phường năm 2026",
        body=(
            "Thực hiện Luật Ngân sách nhà nước năm 2015 và quy định về công khai ngân sách, Ủy ban nhân dân phường "
            "công khai dự toán ngân sách năm 2026 đã được Hội đồng nhân dân phường quyết định.",
            "Hình thức công khai: niêm yết tại trụ sở Ủy ban nhân dân phường, đăng trên trang thông tin điện tử "
            "của phường và thông báo tại hội nghị tổ dân phố. Người dân gửi câu hỏi qua Văn phòng HĐND và UBND.",
        ),
        table=(
            ("Chỉ tiêu", "Dự toán 2026 (triệu đồng)"),
            ("Tổng thu ngân sách trên địa bàn", "48.250"),
            ("Tổng chi ngân sách phường", "36.870"),
            ("Trong đó: chi đầu tư phát triển", "12.400"),
            ("Trong đó: chi thường xuyên", "23.730"),
        ),
        signer="CHỦ TỊCH",
    ),
    DemoDocument(
        unit_key=HONG_BANG,
        file_name="hong-bang-212-bc-ubnd-2026.pdf",
        title="Báo cáo kết quả công tác hòa giải ở cơ sở năm 2026 (dữ liệu mẫu)",
        number="212/BC-UBND",
        issued_on=dt.date(2026, 11, 5),
        issuer="UBND phường Hồng Bàng",
        kind="report",
        visibility="internal",
        criteria=("3.9.6",),
        heading="BÁO CÁO",
        subject="Kết quả công tác hòa giải ở cơ sở năm 2026",
        body=(
            "Trên địa bàn phường có 42 tổ hòa giải với 236 hòa giải viên. Trong năm, các tổ hòa giải tiếp nhận 46 "
            "vụ việc, đã hòa giải thành 39 vụ việc, đạt tỷ lệ 84,8%; 7 vụ việc không thành được hướng dẫn đến cơ "
            "quan có thẩm quyền giải quyết.",
            "Số liệu được tổng hợp từ sổ theo dõi hoạt động hòa giải của các tổ và khớp với báo cáo thống kê gửi "
            "ngành tư pháp.",
        ),
        table=(
            ("Chỉ tiêu", "Số lượng"),
            ("Vụ việc tiếp nhận", "46"),
            ("Vụ việc hòa giải thành", "39"),
            ("Tỷ lệ hòa giải thành", "84,8%"),
        ),
        signer="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    ),
    DemoDocument(
        unit_key=HONG_BANG,
        file_name="hong-bang-215-bc-ubnd-2026.pdf",
        title="Báo cáo tình hình đăng ký khai sinh năm 2026 (dữ liệu mẫu)",
        number="215/BC-UBND",
        issued_on=dt.date(2026, 11, 10),
        issuer="UBND phường Hồng Bàng",
        kind="statistics",
        visibility="internal",
        criteria=("1.6.6",),
        heading="BÁO CÁO",
        subject="Tình hình đăng ký khai sinh cho trẻ em năm 2026",
        body=(
            "Theo số liệu của trạm y tế phường và Cơ sở dữ liệu quốc gia về dân cư, trong năm có 418 trẻ em sinh ra "
            "có nơi cư trú trên địa bàn. Công chức tư pháp - hộ tịch đã đăng ký khai sinh đúng hạn (trong 60 ngày "
            "kể từ ngày sinh) cho 405 trẻ, đạt tỷ lệ 96,9%.",
            "13 trường hợp đăng ký muộn do cha mẹ làm việc xa; phường đã phối hợp với tổ dân phố nhắc nhở và hướng "
            "dẫn đăng ký trực tuyến.",
        ),
        table=(
            ("Chỉ tiêu", "Số lượng"),
            ("Trẻ em sinh ra trong năm", "418"),
            ("Được đăng ký khai sinh đúng hạn", "405"),
            ("Tỷ lệ đăng ký đúng hạn", "96,9%"),
        ),
        signer="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    ),
)
