"""Demo improvement cycle of the Hải Phòng 2023 pilot: areas to improve, action programmes, progress through 2024.

For each of the 12 pilot units the areas are suggested from its published final results (``areas_suggest``), the
highest-ranked red and yellow ones accepted (short and medium term), and an action programme drafted with 3–6
actions aimed at those indicators, approved (version 1) in October 2023 and followed by dated progress updates
through 2024; the updates that report an action done, and the 2024 summing-up, carry a report from the unit's
evidence register (public where the results are published, so the portal's programme page shows it). Everything
goes through the services with the system actor; the services refuse a progress update dated before the programme
existed or in the future, so the demo replays the history on the days it happened
(:func:`on_day` sets the services' clock to that day). Texts are plausible but invented and say so.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tincay.assessments.choices import DocumentKind, State, Visibility
from tincay.assessments.models import Assessment, Campaign, Document
from tincay.assessments.services import evidence
from tincay.improvement.choices import ActionStatus, BudgetSource, Stage
from tincay.improvement.models import ImprovementArea, Programme
from tincay.improvement.services import actions as action_services
from tincay.improvement.services import areas as area_services
from tincay.improvement.services import programmes as programme_services
from tincay.improvement.services.reminders import reminders_reschedule
from tincay.orgunits.models import Department

DEMO = "(dữ liệu mẫu)"
SUGGESTED_ON = dt.date(2023, 9, 18)  # after the appraisal council approved the final results
ACCEPTED_ON = dt.date(2023, 9, 25)
DRAFTED_ON = dt.date(2023, 10, 2)
PERIOD_END = dt.date(2024, 12, 31)  # the last progress update of the pilot's programmes
MEDIUM_DEADLINE = dt.date(2026, 12, 31)  # medium-term actions, carried on by the successor units


@contextmanager
def on_day(day: dt.date, hour: int = 9) -> Iterator[None]:
    """Run the services as on ``day`` (Vietnam time): what they date with ``timezone.now()`` — creation, approval,
    decisions, the audit trail — carries that day, and their "not in the future" checks are made against it."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour))).astimezone(dt.UTC)  # as now() gives it
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


@dataclass(frozen=True)
class Plan:
    """One action aimed at an indicator: title, tasks and solutions, expected result, owner department key, budget
    (millions of đồng for a ward or commune; a district spends four times as much) and its source."""

    title: str
    tasks: str
    expected: str
    department: str
    budget: int
    source: str


S, U, P, X = BudgetSource.STATE, BudgetSource.UNIT, BudgetSource.PROGRAMME, BudgetSource.SOCIAL  # X: socialised

PLANS: dict[str, Plan] = {
    "1.1": Plan(
        "Kiện toàn hệ thống quản lý chất lượng tổng thể theo TCVN ISO 18091:2020",
        "Ban hành quyết định công bố bộ chỉ số và hướng dẫn chấm điểm của đơn vị; phân công công chức theo dõi "
        "từng chỉ số; rà soát, tích hợp các quy trình ISO 9001 đang áp dụng; họp Ban chỉ đạo định kỳ hằng quý.",
        "Có quyết định công bố bộ chỉ số, bảng phân công theo dõi 39 chỉ số và biên bản họp Ban chỉ đạo hằng quý.",
        "vp",
        15,
        U,
    ),
    "1.2": Plan(
        "Xây dựng cơ chế phối hợp với Mặt trận Tổ quốc, doanh nghiệp và tổ dân phố",
        "Ký quy chế phối hợp với Ủy ban Mặt trận Tổ quốc và các đoàn thể; tổ chức hội nghị đối thoại với doanh "
        "nghiệp trên địa bàn mỗi năm một lần; lập danh bạ đầu mối các bên liên quan.",
        "Quy chế phối hợp được ký; ít nhất một hội nghị đối thoại với doanh nghiệp mỗi năm.",
        "vp",
        10,
        U,
    ),
    "1.3": Plan(
        "Bồi dưỡng kỹ năng cho cán bộ, công chức và đánh giá theo kết quả công việc",
        "Lập kế hoạch bồi dưỡng theo vị trí việc làm; cử công chức tham gia lớp kỹ năng giao tiếp, soạn thảo văn "
        "bản và chuyển đổi số; áp dụng phiếu đánh giá công chức hằng tháng theo kết quả công việc.",
        "100% công chức được bồi dưỡng ít nhất một chuyên đề trong năm; đánh giá hằng tháng có số liệu.",
        "nv",
        25,
        S,
    ),
    "1.4": Plan(
        "Công khai dự toán, quyết toán ngân sách trên cổng thông tin và bảng tin đúng hạn",
        "Niêm yết dự toán, quyết toán ngân sách tại trụ sở và đăng trên trang thông tin điện tử đúng thời hạn luật "
        "định; lập sổ theo dõi câu hỏi của người dân về ngân sách và trả lời trong 10 ngày làm việc.",
        "Dự toán năm 2024 và quyết toán năm 2023 được công khai đúng hạn, đủ nội dung, trên cả hai kênh.",
        "tckh",
        8,
        S,
    ),
    "1.5": Plan(
        "Nâng cấp phần mềm một cửa điện tử và số hóa hồ sơ thủ tục hành chính",
        "Kết nối phần mềm một cửa với Cổng dịch vụ công của thành phố; số hóa kết quả giải quyết thủ tục hành "
        "chính còn hiệu lực; hướng dẫn người dân nộp hồ sơ trực tuyến tại bộ phận một cửa.",
        "Tỷ lệ hồ sơ được số hóa đạt trên 80%; tỷ lệ hồ sơ trực tuyến tăng so với năm 2023.",
        "vhtt",
        60,
        P,
    ),
    "1.6": Plan(
        "Tăng cường phổ biến pháp luật và bảo đảm quyền tiếp cận pháp luật của người dân",
        "Xây dựng kế hoạch phổ biến, giáo dục pháp luật hằng năm; tổ chức tủ sách pháp luật và tư vấn pháp luật "
        "miễn phí định kỳ; rà soát thủ tục hộ tịch để đăng ký khai sinh đúng hạn.",
        "Mỗi quý ít nhất một buổi tư vấn pháp luật miễn phí; đăng ký khai sinh đúng hạn trên 95%.",
        "tp",
        12,
        S,
    ),
    "1.7": Plan(
        "Công khai kế hoạch, kết quả giải quyết thủ tục hành chính và tiếp nhận phản ánh",
        "Cập nhật chuyên mục công khai trên trang thông tin điện tử; công bố số điện thoại đường dây nóng; báo "
        "cáo công khai kết quả giải quyết phản ánh, kiến nghị hằng quý tại bảng tin và hội nghị tổ dân phố.",
        "Thông tin được công khai đúng hạn hằng quý; phản ánh được trả lời trong thời hạn quy định.",
        "vp",
        10,
        U,
    ),
    "1.8": Plan(
        "Mở rộng hình thức lấy ý kiến người dân và đối thoại định kỳ",
        "Tổ chức đối thoại giữa Chủ tịch UBND với người dân sáu tháng một lần; lấy ý kiến người dân về dự thảo "
        "kế hoạch phát triển kinh tế - xã hội qua hội nghị và biểu mẫu trực tuyến; công khai kết quả tiếp thu.",
        "Hai buổi đối thoại mỗi năm; báo cáo tiếp thu, giải trình ý kiến người dân được công khai.",
        "vp",
        8,
        U,
    ),
    "1.9": Plan(
        "Cập nhật phương án phòng thủ dân sự và diễn tập ứng phó thiên tai",
        "Rà soát phương án ứng phó bão, ngập lụt theo phương châm bốn tại chỗ; lập danh sách hộ dân vùng trũng, "
        "hộ có người yếu thế; tổ chức diễn tập ứng phó tại một khu dân cư trước mùa mưa bão.",
        "Phương án được phê duyệt trước tháng 5; một cuộc diễn tập với sự tham gia của lực lượng xung kích.",
        "vp",
        40,
        S,
    ),
    "1.10": Plan(
        "Nhân rộng mô hình tổ dân phố, thôn an toàn về an ninh trật tự",
        "Phối hợp công an xây dựng mô hình camera an ninh tại các tuyến đường trọng điểm; kiện toàn tổ bảo vệ an "
        "ninh trật tự ở cơ sở; tuyên truyền phòng chống tội phạm lừa đảo qua mạng.",
        "Lắp đặt camera tại các điểm trọng điểm; số vụ việc về trật tự công cộng giảm so với năm 2023.",
        "vp",
        80,
        X,
    ),
    "2.1": Plan(
        "Hỗ trợ doanh nghiệp, hộ kinh doanh ứng dụng chuyển đổi số",
        "Khảo sát nhu cầu chuyển đổi số của doanh nghiệp nhỏ và hộ kinh doanh; phối hợp tổ chức lớp hướng dẫn "
        "thanh toán không dùng tiền mặt và bán hàng trực tuyến; giới thiệu các chương trình hỗ trợ của thành phố.",
        "Ít nhất 100 hộ kinh doanh được hướng dẫn; tỷ lệ thanh toán không dùng tiền mặt tăng.",
        "kt",
        20,
        P,
    ),
    "2.2": Plan(
        "Kết nối việc làm cho người lao động thất nghiệp và thanh niên",
        "Cập nhật dữ liệu cung - cầu lao động; phối hợp Trung tâm Dịch vụ việc làm tổ chức phiên giao dịch việc "
        "làm; giới thiệu vay vốn giải quyết việc làm qua Ngân hàng Chính sách xã hội.",
        "Hai phiên giao dịch việc làm trong năm; số người được giới thiệu việc làm tăng so với năm 2023.",
        "ld",
        15,
        P,
    ),
    "2.3": Plan(
        "Kiểm soát an toàn thực phẩm tại chợ và cơ sở kinh doanh",
        "Lập kế hoạch kiểm tra an toàn thực phẩm theo mùa; tập huấn cho tiểu thương; công khai danh sách cơ sở "
        "vi phạm và cơ sở đạt chuẩn tại bảng tin.",
        "100% cơ sở kinh doanh thực phẩm được kiểm tra ít nhất một lần trong năm.",
        "yt",
        18,
        S,
    ),
    "2.4": Plan(
        "Phát triển học tập suốt đời và đào tạo nghề ngắn hạn",
        "Củng cố trung tâm học tập cộng đồng; mở lớp đào tạo nghề ngắn hạn cho lao động nông thôn và phụ nữ; "
        "phối hợp cơ sở giáo dục nghề nghiệp tư vấn hướng nghiệp cho học sinh.",
        "Ít nhất ba lớp nghề ngắn hạn; tỷ lệ lao động qua đào tạo tăng so với năm 2023.",
        "ld",
        45,
        P,
    ),
    "2.5": Plan(
        "Quảng bá điểm đến và nâng cao chất lượng dịch vụ du lịch",
        "Xây dựng bản đồ điểm đến trên trang thông tin điện tử; tập huấn kỹ năng phục vụ khách cho hộ kinh "
        "doanh dịch vụ; lắp biển chỉ dẫn tại điểm di tích, cảnh quan.",
        "Bản đồ điểm đến được công bố; biển chỉ dẫn tại các điểm chính.",
        "vhtt",
        30,
        S,
    ),
    "2.6": Plan(
        "Bảo đảm trật tự an toàn giao thông trên các tuyến đường trên địa bàn",
        "Rà soát điểm đen, điểm tiềm ẩn tai nạn giao thông; lắp gương cầu, biển báo tại nút giao; ra quân giải "
        "tỏa lấn chiếm vỉa hè, lòng đường theo kế hoạch hằng tháng.",
        "Xử lý các điểm tiềm ẩn tai nạn đã rà soát; số vụ tai nạn giao thông giảm.",
        "qldt",
        120,
        S,
    ),
    "2.7": Plan(
        "Chuyển đổi cơ cấu cây trồng, vật nuôi và liên kết tiêu thụ nông sản",
        "Hướng dẫn nông dân chuyển đổi diện tích lúa kém hiệu quả; hỗ trợ xây dựng mã số vùng trồng; kết nối hợp "
        "tác xã với doanh nghiệp bao tiêu sản phẩm.",
        "Diện tích chuyển đổi đạt kế hoạch; ít nhất một chuỗi liên kết tiêu thụ được ký.",
        "nn",
        90,
        P,
    ),
    "2.8": Plan(
        "Cải thiện môi trường kinh doanh cho hộ kinh doanh và doanh nghiệp nhỏ",
        "Niêm yết công khai thủ tục đăng ký hộ kinh doanh; giải quyết hồ sơ đúng hạn; tổ chức gặp mặt doanh "
        "nghiệp để nắm bắt khó khăn, kiến nghị.",
        "100% hồ sơ đăng ký hộ kinh doanh giải quyết đúng hạn; kiến nghị của doanh nghiệp được trả lời.",
        "kt",
        10,
        U,
    ),
    "3.1": Plan(
        "Nâng cao chất lượng phục vụ tại bộ phận tiếp nhận và trả kết quả",
        "Cải tạo bộ phận một cửa (khu chờ, ghế ngồi, máy lấy số); niêm yết thủ tục hành chính đầy đủ; triển khai "
        "khảo sát sự hài lòng của người dân (SIPAS) hằng quý và công khai kết quả.",
        "Mức độ hài lòng của người dân về phục vụ hành chính đạt trên 90%.",
        "vp",
        70,
        S,
    ),
    "3.2": Plan(
        "Phát triển phong trào thể dục thể thao quần chúng",
        "Cải tạo sân chơi, điểm tập thể dục ngoài trời tại khu dân cư; tổ chức giải thể thao cấp cơ sở hằng năm; "
        "vận động xã hội hóa thiết bị luyện tập.",
        "Thêm ít nhất hai điểm tập luyện; giải thể thao cơ sở tổ chức hằng năm.",
        "vhtt",
        60,
        X,
    ),
    "3.3": Plan(
        "Hỗ trợ người lao động nhập cư hòa nhập cộng đồng",
        "Rà soát, đăng ký tạm trú cho người lao động nhập cư; phối hợp chủ nhà trọ phổ biến quy định về an ninh, "
        "phòng cháy; mời người lao động nhập cư tham gia sinh hoạt tổ dân phố.",
        "Danh sách người lao động nhập cư được cập nhật; 100% nhà trọ ký cam kết an toàn.",
        "ld",
        5,
        U,
    ),
    "3.4": Plan(
        "Lồng ghép bình đẳng giới trong kế hoạch và công tác cán bộ",
        "Thống kê số liệu tách biệt theo giới trong các báo cáo; bảo đảm tỷ lệ nữ trong quy hoạch cán bộ; tổ "
        "chức truyền thông phòng chống bạo lực gia đình.",
        "Báo cáo có số liệu tách biệt giới; tỷ lệ nữ trong quy hoạch đạt chỉ tiêu của thành phố.",
        "ld",
        8,
        S,
    ),
    "3.5": Plan(
        "Bảo đảm chính sách cho người khuyết tật và nhóm yếu thế",
        "Rà soát, chi trả trợ cấp xã hội đúng đối tượng, đúng hạn; cải tạo lối đi cho người khuyết tật tại trụ "
        "sở; vận động quỹ hỗ trợ phương tiện trợ giúp.",
        "100% đối tượng được chi trả đúng hạn; trụ sở có lối đi cho người khuyết tật.",
        "ld",
        35,
        X,
    ),
    "3.6": Plan(
        "Nâng cao chất lượng chăm sóc sức khỏe ban đầu tại trạm y tế",
        "Triển khai hồ sơ sức khỏe điện tử cho người dân; tăng tỷ lệ bao phủ bảo hiểm y tế; tổ chức khám sàng lọc "
        "bệnh không lây nhiễm cho người cao tuổi.",
        "Tỷ lệ người dân có hồ sơ sức khỏe điện tử và bảo hiểm y tế tăng so với năm 2023.",
        "yt",
        40,
        S,
    ),
    "3.7": Plan(
        "Củng cố cơ sở vật chất trường học và giữ vững phổ cập giáo dục",
        "Rà soát phòng học xuống cấp, đề xuất sửa chữa; duy trì chuẩn phổ cập giáo dục mầm non và tiểu học; vận "
        "động trẻ trong độ tuổi đến trường.",
        "Duy trì chuẩn phổ cập; sửa chữa các phòng học xuống cấp đã rà soát.",
        "gd",
        150,
        S,
    ),
    "3.8": Plan(
        "Hỗ trợ cải thiện nhà ở cho hộ nghèo, hộ có hoàn cảnh khó khăn",
        "Rà soát hộ có nhà ở tạm, dột nát; vận động Quỹ Vì người nghèo và doanh nghiệp hỗ trợ xây mới, sửa chữa; "
        "hướng dẫn thủ tục cấp phép xây dựng nhà ở riêng lẻ.",
        "Các hộ có nhà ở tạm đã rà soát được hỗ trợ xây mới hoặc sửa chữa.",
        "ld",
        120,
        X,
    ),
    "3.9": Plan(
        "Nâng cao hiệu quả hòa giải ở cơ sở và xây dựng văn hóa công dân",
        "Kiện toàn tổ hòa giải, bồi dưỡng kỹ năng cho hòa giải viên; ghi chép đầy đủ sổ theo dõi hòa giải; phát "
        "động phong trào xây dựng gia đình văn hóa, tổ dân phố văn hóa.",
        "Tỷ lệ hòa giải thành đạt trên 80%; sổ theo dõi hòa giải đầy đủ ở tất cả các tổ.",
        "tp",
        12,
        S,
    ),
    "3.10": Plan(
        "Bảo vệ và phát huy giá trị di tích, di sản trên địa bàn",
        "Kiểm kê di tích, lập hồ sơ đề nghị xếp hạng; phối hợp ban quản lý di tích tu bổ hạng mục xuống cấp; đưa "
        "thông tin di tích lên trang thông tin điện tử.",
        "Hồ sơ kiểm kê di tích hoàn thành; hạng mục xuống cấp được tu bổ.",
        "vhtt",
        80,
        X,
    ),
    "3.11": Plan(
        "Giảm nghèo bền vững theo chuẩn nghèo đa chiều",
        "Rà soát hộ nghèo, cận nghèo theo chuẩn đa chiều; hỗ trợ vay vốn, sinh kế, học nghề; phân công cán bộ, "
        "đoàn thể giúp đỡ từng hộ.",
        "Tỷ lệ hộ nghèo giảm theo chỉ tiêu được giao; mỗi hộ nghèo có người giúp đỡ.",
        "ld",
        50,
        P,
    ),
    "3.12": Plan(
        "Chăm lo trẻ em, thanh niên và người cao tuổi",
        "Cải tạo điểm vui chơi cho trẻ em; tổ chức hoạt động hè cho thanh thiếu niên; chúc thọ, mừng thọ và khám "
        "sức khỏe định kỳ cho người cao tuổi.",
        "Điểm vui chơi cho trẻ em được cải tạo; 100% người cao tuổi đủ điều kiện được mừng thọ.",
        "ld",
        45,
        X,
    ),
    "4.1": Plan(
        "Giảm bụi và ô nhiễm không khí tại khu dân cư",
        "Kiểm tra xe chở vật liệu xây dựng, yêu cầu che phủ; tưới nước rửa đường tại các tuyến nhiều bụi; xử lý "
        "đốt rơm rạ, đốt rác ngoài trời.",
        "Giảm phản ánh của người dân về bụi; không còn điểm đốt rác ngoài trời.",
        "tnmt",
        30,
        S,
    ),
    "4.2": Plan(
        "Phân loại rác thải sinh hoạt tại nguồn",
        "Triển khai thí điểm phân loại rác tại nguồn ở hai tổ dân phố, thôn; cấp thùng phân loại; tuyên truyền "
        "qua loa truyền thanh; kiểm tra việc thu gom đúng giờ, đúng điểm.",
        "Mô hình phân loại rác được duy trì tại hai khu dân cư và nhân rộng sau sơ kết.",
        "tnmt",
        60,
        S,
    ),
    "4.3": Plan(
        "Chỉnh trang cảnh quan, cây xanh và vệ sinh môi trường khu dân cư",
        "Phát động ra quân vệ sinh môi trường hằng tháng; trồng bổ sung cây xanh tại các tuyến đường, khu sinh "
        "hoạt cộng đồng; xóa các điểm tập kết rác tự phát.",
        "Trồng bổ sung cây xanh; không còn điểm tập kết rác tự phát.",
        "qldt",
        50,
        X,
    ),
    "4.4": Plan(
        "Tăng cường quản lý tài nguyên và bảo vệ hệ sinh thái",
        "Kiểm tra, xử lý khai thác cát, đất trái phép; bảo vệ diện tích rừng ngập mặn, mặt nước; tuyên truyền bảo "
        "vệ đa dạng sinh học.",
        "Vi phạm về tài nguyên được phát hiện và xử lý kịp thời.",
        "tnmt",
        25,
        S,
    ),
    "4.5": Plan(
        "Công khai quy hoạch và xử lý vi phạm trật tự xây dựng",
        "Niêm yết quy hoạch chi tiết tại trụ sở và trang thông tin điện tử; kiểm tra trật tự xây dựng định kỳ; "
        "xử lý dứt điểm các công trình vi phạm.",
        "Quy hoạch được công khai; vi phạm trật tự xây dựng được xử lý trong thời hạn.",
        "qldt",
        15,
        S,
    ),
    "4.6": Plan(
        "Mở rộng cấp nước sạch và cải tạo hệ thống thoát nước",
        "Phối hợp công ty cấp nước đấu nối cho các hộ chưa có nước sạch; nạo vét cống, mương thoát nước trước mùa "
        "mưa; xử lý điểm ngập úng cục bộ.",
        "Tỷ lệ hộ dùng nước sạch tăng; các điểm ngập úng cục bộ được xử lý.",
        "qldt",
        200,
        S,
    ),
    "4.7": Plan(
        "Quản lý, sử dụng đất đúng quy hoạch và bảo vệ chất lượng đất",
        "Rà soát đất công, đất sử dụng sai mục đích; hướng dẫn nông dân sử dụng phân bón, thuốc bảo vệ thực vật "
        "đúng quy định; thu gom bao bì thuốc bảo vệ thực vật.",
        "Đất công được quản lý chặt chẽ; có điểm thu gom bao bì thuốc bảo vệ thực vật.",
        "tnmt",
        20,
        S,
    ),
    "4.8": Plan(
        "Tiết kiệm năng lượng và sử dụng năng lượng sạch tại trụ sở, chiếu sáng công cộng",
        "Thay đèn chiếu sáng công cộng bằng đèn LED; ban hành quy định tiết kiệm điện tại trụ sở; khuyến khích "
        "lắp điện mặt trời mái nhà.",
        "Điện năng tiêu thụ tại trụ sở và chiếu sáng công cộng giảm so với năm 2023.",
        "qldt",
        90,
        S,
    ),
    "4.9": Plan(
        "Giáo dục môi trường và ứng phó biến đổi khí hậu tại cộng đồng",
        "Phối hợp nhà trường tổ chức ngoại khóa về môi trường; truyền thông về biến đổi khí hậu trên loa truyền "
        "thanh; phát động phong trào chống rác thải nhựa.",
        "Các trường trên địa bàn tổ chức ngoại khóa về môi trường; phong trào chống rác thải nhựa được duy trì.",
        "tnmt",
        10,
        U,
    ),
}

# Departments that led the actions in the pilot districts (a ward or commune had only its officials): key → (urban
# district, rural district) name.
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "vp": ("Văn phòng HĐND và UBND", "Văn phòng HĐND và UBND"),
    "nv": ("Phòng Nội vụ", "Phòng Nội vụ"),
    "tckh": ("Phòng Tài chính - Kế hoạch", "Phòng Tài chính - Kế hoạch"),
    "tp": ("Phòng Tư pháp", "Phòng Tư pháp"),
    "vhtt": ("Phòng Văn hóa và Thông tin", "Phòng Văn hóa và Thông tin"),
    "ld": ("Phòng Lao động - Thương binh và Xã hội", "Phòng Lao động - Thương binh và Xã hội"),
    "tnmt": ("Phòng Tài nguyên và Môi trường", "Phòng Tài nguyên và Môi trường"),
    "kt": ("Phòng Kinh tế", "Phòng Kinh tế và Hạ tầng"),
    "nn": ("Phòng Kinh tế", "Phòng Nông nghiệp và Phát triển nông thôn"),
    "qldt": ("Phòng Quản lý đô thị", "Phòng Kinh tế và Hạ tầng"),
    "gd": ("Phòng Giáo dục và Đào tạo", "Phòng Giáo dục và Đào tạo"),
    "yt": ("Phòng Y tế", "Phòng Y tế"),
}
DISTRICT_SCALE = 4  # a district's budget against a ward's

# Where the one cancelled and the one overdue action of the demo fall (unit key, action number).
CANCELLED = ("11413-2025", 3)  # Phường Đằng Lâm
CANCEL_REASON = (
    "Nội dung trùng với dự án do UBND quận đầu tư năm 2024; phường dừng thực hiện để tránh chi trùng ngân sách "
    "và phối hợp theo dõi dự án của quận " + DEMO + "."
)
OVERDUE = ("306-2025", 2)  # Quận Hải An


def _department_name(unit: Any, key: str) -> str:
    urban, rural = DEPARTMENTS[key]
    return rural if unit.kind == "rural_district" else urban


def _departments(unit: Any) -> dict[str, Any]:
    """The unit's active departments by name. The pilot units no longer exist (2025 reform), so none can be added
    to them now (``department_ensure`` refuses): their actions name the department that led them in the text."""
    return {d.name: d for d in Department.objects.filter(unit=unit, is_active=True)}


def _targets(areas: list[ImprovementArea], count: int) -> list[tuple[str, list[ImprovementArea]]]:
    """The unit's weakest indicators in rank order, each with the areas an action on it serves: the indicator's own
    area when the indicator is red or yellow, otherwise its (at most two) weakest red or yellow criteria."""
    groups: dict[str, list[ImprovementArea]] = {}
    for area in sorted(areas, key=lambda a: a.rank):
        if area.level in area_services.WEAK and area.indicator.code in PLANS:
            groups.setdefault(area.indicator.code, []).append(area)
    chosen = []
    for code, found in list(groups.items())[:count]:
        own = [a for a in found if a.criterion_id is None]
        chosen.append((code, own or found[:2]))
    return chosen


def _history(kind: str, start: dt.date, deadline: dt.date) -> list[tuple[dt.date, str, int, str]]:
    """Dated progress updates (day, status, progress, title prefix) of an action as the demo tells its story."""
    if kind == "done":
        middle = min(start + dt.timedelta(days=75), deadline - dt.timedelta(days=20))
        return [
            (middle, ActionStatus.IN_PROGRESS, 50, "Triển khai"),
            (min(deadline, PERIOD_END), ActionStatus.DONE, 100, "Hoàn thành"),
        ]
    if kind == "overdue":
        return [
            (dt.date(2024, 3, 15), ActionStatus.IN_PROGRESS, 30, "Triển khai"),
            (dt.date(2024, 11, 20), ActionStatus.IN_PROGRESS, 60, "Chậm tiến độ"),
        ]
    return [  # in progress (medium term), carried on by the successor unit
        (dt.date(2024, 4, 10), ActionStatus.IN_PROGRESS, 20, "Triển khai"),
        (dt.date(2024, 12, 16), ActionStatus.IN_PROGRESS, 45, "Sơ kết năm 2024"),
    ]


def _title(day: dt.date, prefix: str, plan: Plan) -> str:
    return f"{day:%d/%m/%Y} – {prefix}: {plan.title[:1].lower()}{plan.title[1:]}"[:300]


def _notes(kind: str, plan: Plan) -> dict[str, str]:
    return {
        "Triển khai": f"Đã ban hành kế hoạch thực hiện và phân công công chức phụ trách {DEMO}.",
        "Hoàn thành": f"Đã hoàn thành. Kết quả: {plan.expected} {DEMO}",
        "Chậm tiến độ": f"Chậm so với thời hạn do chờ kinh phí bổ sung; đơn vị đề nghị gia hạn sang năm 2025 {DEMO}.",
        "Sơ kết năm 2024": "Sơ kết năm 2024: một phần nhiệm vụ đã thực hiện, phần còn lại tiếp tục trong giai đoạn "
        f"trung hạn, do đơn vị kế thừa sau sắp xếp năm 2025 theo dõi {DEMO}.",
    }


def _programme_for(actor: Any, assessment: Assessment) -> Programme:
    unit = assessment.unit
    rng = random.Random(f"tincay-demo-actions-{unit.key}")  # noqa: S311 - demo data, not security
    with on_day(SUGGESTED_ON):
        areas = area_services.areas_suggest(actor=actor, assessment=assessment)
    targets = _targets(areas, rng.randint(3, 5))
    if not targets:
        raise RuntimeError(f"{unit} has no red or yellow indicator to act on")
    short, medium = targets[:3], targets[3:]
    with on_day(ACCEPTED_ON):
        for stage, group in ((Stage.SHORT, short), (Stage.MEDIUM, medium)):
            if group:
                codes = [str(a) for _code, found in group for a in found]
                area_services.areas_accept_suggested(actor=actor, assessment=assessment, codes=codes, stage=stage)
    departments = _departments(unit)
    scale = DISTRICT_SCALE if unit.level == "district" else 1
    with on_day(DRAFTED_ON):
        programme = programme_services.programme_create(
            actor=actor,
            assessment=assessment,
            title=f"Chương trình hành động cải thiện chất lượng quản trị năm 2023–2024 của {unit.name} {DEMO}",
            summary=(
                "Xây dựng từ kết quả cuối cùng của kỳ thí điểm TCVN ISO 18091:2020 năm 2023: các chủ điểm cần cải "
                f"thiện được ưu tiên theo mức độ và trọng số {DEMO}."
            ),
        )
        specs = [
            (found, PLANS[code], Stage.SHORT if i < 3 else Stage.MEDIUM) for i, (code, found) in enumerate(targets)
        ]
        if len(targets) < 6 and rng.random() < 0.5:  # a second action on the weakest indicator
            code, found = targets[0]
            specs.insert(1, (found, _follow_up(code, found), Stage.SHORT))
        for number, (found, plan, stage) in enumerate(specs, start=1):
            start = dt.date(2023, 11, 1) if number % 2 else dt.date(2024, 1, 2)
            deadline = (
                MEDIUM_DEADLINE
                if stage == Stage.MEDIUM
                else [dt.date(2023, 12, 29), dt.date(2024, 6, 28), dt.date(2024, 9, 30)][number % 3]
            )
            deadline = max(deadline, start + dt.timedelta(days=45))
            budget = plan.budget * scale * 1_000_000
            lead = _department_name(unit, plan.department)
            department = departments.get(lead)
            tasks = plan.tasks if department or unit.level != "district" else f"Chủ trì: {lead}. {plan.tasks}"
            programme.refresh_from_db(fields=["revision"])
            action_services.action_create(
                actor=actor,
                programme=programme,
                revision=programme.revision,
                title=plan.title,
                description=tasks,
                expected_result=plan.expected,
                starts_on=start,
                deadline=deadline,
                budget_vnd=budget,
                budget_source=plan.source,
                budget_note=f"Dự toán {DEMO}",
                department=department.pk if department else None,
                areas=[a.pk for a in found],
                indicators=[found[0].indicator_id],
            )
    approved_on = dt.date(2023, 10, 9) + dt.timedelta(days=rng.randint(0, 18))
    with on_day(approved_on):
        programme.refresh_from_db(fields=["revision"])
        programme_services.programme_approve(
            actor=actor,
            programme=programme,
            revision=programme.revision,
            note=f"Chủ tịch UBND phê duyệt chương trình hành động sau khi Ban chỉ đạo thống nhất {DEMO}.",
        )
    return programme


def _follow_up(code: str, found: list[ImprovementArea]) -> Plan:
    indicator = found[0].indicator
    return Plan(
        f"Phân công theo dõi và cập nhật quy trình nội bộ cho chỉ số {code}",
        f"Giao công chức đầu mối theo dõi chỉ số {code} ({indicator.title_vi[:120]}); cập nhật quy trình nội bộ và "
        "biểu mẫu thu thập số liệu; báo cáo Ban chỉ đạo kết quả hằng quý.",
        f"Số liệu và tài liệu kiểm chứng của chỉ số {code} được cập nhật hằng quý.",
        "vp",
        5,
        BudgetSource.UNIT,
    )


def odt(title: str, paragraphs: list[str]) -> bytes:
    """A minimal OpenDocument text (mimetype first and stored, fixed timestamps) with a demo mark."""
    body = "".join(
        f"<text:p>{escape(p)}</text:p>" for p in [title, *paragraphs, "DỮ LIỆU MẪU – không phải văn bản thật."]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in (
            ("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
            ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED),
            ("content.xml", content, zipfile.ZIP_DEFLATED),
        ):
            info = zipfile.ZipInfo(name, date_time=(2023, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, data.encode("utf-8"))
    return buffer.getvalue()


def _issuer(unit: Any) -> str:
    return f"UBND {unit.name[:1].lower()}{unit.name[1:]}"  # "Phường Đằng Lâm" → "UBND phường Đằng Lâm"


def _report(actor: Any, programme: Programme, day: dt.date, number: str, title: str, body: list[str]) -> Document:
    """A report entered in the unit's evidence register on ``day``, with a small generated OpenDocument file; public
    when the unit's results are published (the portal shows public evidence only)."""
    unit = programme.assessment.unit
    public = programme.assessment.state == State.PUBLISHED
    upload = SimpleUploadedFile(
        f"{unit.key}-{number.replace('/', '-').lower()}.odt",
        odt(title, body),
        "application/vnd.oasis.opendocument.text",
    )
    data = {
        "title": title,
        "number": number,
        "issued_on": day,
        "issuer": _issuer(unit),
        "kind": DocumentKind.REPORT,
        "visibility": Visibility.PUBLIC if public else Visibility.INTERNAL,
    }
    with on_day(day, hour=14):
        return evidence.document_create(user=actor, unit=unit, data=data, upload=upload)


def _done_report(actor: Any, programme: Programme, action: Any, day: dt.date, number: int) -> Document:
    title = f"Báo cáo kết quả thực hiện hành động {action.number}: {action.title[:1].lower()}{action.title[1:]} {DEMO}"
    body = [
        f"Thực hiện {programme.title[:1].lower()}{programme.title[1:]}, đã được Chủ tịch UBND phê duyệt.",
        f"Nội dung đã thực hiện: {action.description}",
        f"Kết quả đạt được: {action.expected_result}",
        "Tài liệu kèm theo: kế hoạch thực hiện, danh sách tham dự, hình ảnh và số liệu theo dõi (lưu tại đơn vị).",
    ]
    return _report(actor, programme, day, f"{number}/BC-UBND", title[:500], body)


def _summary_report(actor: Any, programme: Programme, carried: list[Any], day: dt.date, number: int) -> Document:
    title = f"Báo cáo sơ kết năm 2024 thực hiện chương trình hành động cải thiện chất lượng quản trị {DEMO}"
    body = [
        "Sơ kết năm 2024 các hành động trung hạn của chương trình hành động sau kỳ thí điểm TCVN ISO 18091:2020.",
        *(
            f"Hành động {a.number} – {a.title}: đã thực hiện một phần, tiếp tục trong giai đoạn trung hạn."
            for a in carried
        ),
        "Sau sắp xếp đơn vị hành chính năm 2025, đơn vị kế thừa tiếp tục theo dõi các hành động còn lại.",
    ]
    return _report(actor, programme, day, f"{number}/BC-UBND", title, body)


def _progress(actor: Any, programme: Programme) -> None:
    """Progress through 2024: short-term actions done, medium-term ones in progress (carried on), one overdue,
    one cancelled."""
    key = programme.assessment.unit.key
    numbers = random.Random(f"tincay-demo-reports-{key}")  # noqa: S311 - demo data, not security
    actions = list(programme.actions.order_by("number"))
    carried = [a for a in actions if a.deadline > PERIOD_END and (key, a.number) not in (CANCELLED, OVERDUE)]
    summary: Document | None = None  # one summing-up report for all the unit's carried actions
    for action in actions:
        if (key, action.number) == CANCELLED:
            programme.refresh_from_db(fields=["revision"])
            with on_day(dt.date(2024, 5, 6)):
                action_services.action_cancel(
                    actor=actor, action=action, revision=programme.revision, reason=CANCEL_REASON
                )
            programme.refresh_from_db(fields=["revision"])
            with on_day(dt.date(2024, 5, 13)):  # the changed plan approved again: version 2
                programme_services.programme_approve(
                    actor=actor,
                    programme=programme,
                    revision=programme.revision,
                    note=f"Phê duyệt điều chỉnh: dừng hành động {action.number} (lý do ghi tại hành động) {DEMO}.",
                )
            continue
        kind = "overdue" if (key, action.number) == OVERDUE else ("carried" if action.deadline > PERIOD_END else "done")
        plan = Plan(action.title, "", action.expected_result, "", 0, "")
        notes = _notes(kind, plan)
        for day, status, progress, prefix in _history(kind, action.starts_on, action.deadline):
            documents: list[Document] = []
            if prefix == "Hoàn thành":
                seq = day.timetuple().tm_yday + numbers.randint(100, 160)
                documents = [_done_report(actor, programme, action, day, seq)]
            elif prefix == "Sơ kết năm 2024":
                if summary is None:
                    summary = _summary_report(actor, programme, carried, day, numbers.randint(480, 520))
                documents = [summary]
            with on_day(day, hour=15):
                action_services.progress_post(
                    actor=actor,
                    action=action,
                    on=day,
                    title=_title(day, prefix, plan),
                    note=notes[prefix],
                    progress=progress,
                    status=status,
                    document_ids=[d.pk for d in documents],
                )
        reminders_reschedule(action)  # today's reminders: none left over for days already past


@transaction.atomic  # one commit: all or nothing, and fast on SQLite
def seed_pilot_programmes(actor: Any, campaign: Campaign) -> list[Programme]:
    """Areas, programme and its history for every unit of the pilot campaign that has none yet (idempotent)."""
    done = set(Programme.objects.filter(assessment__campaign=campaign).values_list("assessment_id", flat=True))
    made = []
    for assessment in (
        campaign.assessments.select_related("unit", "campaign__version").exclude(pk__in=done).order_by("unit__key")
    ):
        programme = _programme_for(actor, assessment)
        programme.refresh_from_db()
        _progress(actor, programme)
        made.append(programme)
    return made


__all__ = ["PLANS", "on_day", "seed_pilot_programmes"]
