"""The benchmark's corpus: a large synthetic content tree written like the real plans (seeded, deterministic)."""

from __future__ import annotations

import hashlib
import random
import shutil
import textwrap
import unicodedata
from decimal import Decimal
from pathlib import Path

import yaml

from generator.model.provinces import PROVINCES_2025

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------- vocabulary

# The 34 provinces and centrally-run cities, as the portal lists them.
PROVINCES = list(PROVINCES_2025)

_FIRST = [
    "Đức",
    "Cẩm",
    "Thạch",
    "Hương",
    "Kỳ",
    "Nghi",
    "Yên",
    "Tân",
    "Phú",
    "Bình",
    "An",
    "Vĩnh",
    "Long",
    "Hòa",
    "Thanh",
    "Quảng",
    "Lạc",
    "Hưng",
    "Gia",
    "Châu",
    "Tam",
    "Trà",
    "Mỹ",
    "Đông",
    "Sơn",
    "Kim",
    "Hải",
    "Lộc",
    "Thiệu",
    "Triệu",
    "Văn",
    "Như",
    "Ngọc",
    "Bảo",
    "Chiêm",
    "Mộc",
    "Lương",
    "Định",
    "Diễn",
    "Quế",
]
_SECOND = [
    "Thọ",
    "Xuyên",
    "Hà",
    "Khê",
    "Sơn",
    "Lộc",
    "Thành",
    "Bình",
    "Phong",
    "Hòa",
    "Định",
    "Hưng",
    "Yên",
    "Điền",
    "Linh",
    "Xương",
    "Lâm",
    "Nghĩa",
    "Giang",
    "Thủy",
    "Minh",
    "Trì",
    "An",
    "Phú",
    "Tiến",
    "Thuận",
    "Châu",
    "Lập",
    "Quan",
    "Ninh",
    "Mỹ",
    "Đồng",
    "Xuân",
    "Trạch",
    "Hóa",
    "Lương",
    "Cơ",
    "Tân",
    "Khánh",
    "Vân",
]
_DISTRICT_KINDS = [("Huyện", "huyện", "Huyện ủy", "HU")] * 8 + [
    ("Thị xã", "thị xã", "Thị ủy", None),
    ("Thành phố", "thành phố", "Thành ủy", None),
]

_TWO_SYLLABLES = 1000  # district names drawn from _FIRST × _SECOND alone (see _Corpus.districts)

_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
_MIDDLE = ["Văn", "Thị", "Hữu", "Đình", "Xuân", "Minh", "Quốc", "Thanh", "Đức", "Ngọc"]
_GIVEN = [
    "Hùng",
    "Lan",
    "Dũng",
    "Hương",
    "Tuấn",
    "Hà",
    "Sơn",
    "Bình",
    "Nam",
    "Thảo",
    "Long",
    "Phương",
    "Quang",
    "Hải",
    "Trung",
    "Linh",
    "Thắng",
    "Hoa",
    "Cường",
    "Yến",
]

# National legal bases (kind, number, date, issuer, title); numbers parse with generator.legal.
_NATIONAL = [
    (
        "Nghị quyết",
        "52-NQ/TW",
        "27/9/2019",
        "Bộ Chính trị",
        "về một số chủ trương, chính sách chủ động tham gia cuộc cách mạng công nghiệp lần thứ tư",
    ),
    (
        "Nghị quyết",
        "50/NQ-CP",
        "17/4/2020",
        "Chính phủ",
        "ban hành Chương trình hành động thực hiện Nghị quyết số 52-NQ/TW",
    ),
    (
        "Nghị quyết",
        "17/NQ-CP",
        "07/3/2019",
        "Chính phủ",
        "về một số nhiệm vụ, giải pháp trọng tâm phát triển Chính phủ điện tử giai đoạn 2019 - 2020, định "
        "hướng đến 2025",
    ),
    (
        "Quyết định",
        "749/QĐ-TTg",
        "03/6/2020",
        "Thủ tướng Chính phủ",
        "phê duyệt Chương trình chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030",
    ),
    (
        "Quyết định",
        "942/QĐ-TTg",
        "15/6/2021",
        "Thủ tướng Chính phủ",
        "phê duyệt Chiến lược phát triển Chính phủ điện tử hướng tới Chính phủ số giai đoạn 2021-2025, định "
        "hướng đến năm 2030",
    ),
    (
        "Quyết định",
        "411/QĐ-TTg",
        "31/3/2022",
        "Thủ tướng Chính phủ",
        "phê duyệt Chiến lược quốc gia phát triển kinh tế số và xã hội số đến năm 2025, định hướng đến năm 2030",
    ),
    (
        "Quyết định",
        "06/QĐ-TTg",
        "06/01/2022",
        "Thủ tướng Chính phủ",
        "phê duyệt Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số "
        "quốc gia giai đoạn 2022 - 2025, tầm nhìn đến năm 2030",
    ),
    ("Quyết định", "505/QĐ-TTg", "22/4/2022", "Thủ tướng Chính phủ", "về Ngày Chuyển đổi số quốc gia"),
    (
        "Nghị định",
        "42/2022/NĐ-CP",
        "24/6/2022",
        "Chính phủ",
        "quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng",
    ),
    ("Nghị định", "85/2016/NĐ-CP", "01/7/2016", "Chính phủ", "về bảo đảm an toàn hệ thống thông tin theo cấp độ"),
    (
        "Nghị định",
        "47/2020/NĐ-CP",
        "09/4/2020",
        "Chính phủ",
        "về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước",
    ),
    ("Nghị định", "45/2020/NĐ-CP", "08/4/2020", "Chính phủ", "về thực hiện thủ tục hành chính trên môi trường điện tử"),
    (
        "Nghị định",
        "61/2018/NĐ-CP",
        "23/4/2018",
        "Chính phủ",
        "về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
    ),
    (
        "Thông tư",
        "12/2022/TT-BTTTT",
        "12/8/2022",
        "Bộ Thông tin và Truyền thông",
        "quy định chi tiết và hướng dẫn một số điều của Nghị định số 85/2016/NĐ-CP",
    ),
    ("Luật", "86/2015/QH13", "19/11/2015", "Quốc hội", "Luật An toàn thông tin mạng"),
    ("Luật", "67/2006/QH11", "29/6/2006", "Quốc hội", "Luật Công nghệ thông tin"),
    (
        "Quyết định",
        "2323/QĐ-BTTTT",
        "31/12/2019",
        "Bộ Thông tin và Truyền thông",
        "ban hành Khung Kiến trúc Chính phủ điện tử Việt Nam, phiên bản 2.0",
    ),
]

AREAS = [
    "Nhận thức số",
    "Thể chế số",
    "Hạ tầng số",
    "Dữ liệu số",
    "Nền tảng số",
    "Nhân lực số",
    "An toàn thông tin mạng",
    "Chính quyền số",
    "Kinh tế số",
    "Xã hội số",
]

# Quantitative indicators: (name, phrase for the statement, catalogue code or None, area, unit, low, high).
_INDICATORS = [
    (
        "Tỷ lệ hồ sơ công việc cấp huyện được xử lý trên môi trường mạng",
        "hồ sơ công việc tại cấp huyện được xử lý trên môi trường mạng (trừ hồ sơ thuộc phạm vi bí mật nhà nước)",
        "ho-so-cong-viec-truc-tuyen-huyen",
        "Chính quyền số",
        "%",
        80,
        100,
    ),
    (
        "Tỷ lệ hồ sơ công việc cấp xã được xử lý trên môi trường mạng",
        "hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng",
        "ho-so-cong-viec-truc-tuyen-xa",
        "Chính quyền số",
        "%",
        60,
        95,
    ),
    (
        "Tỷ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính đủ điều kiện",
        "thủ tục hành chính đủ điều kiện được cung cấp dưới hình thức dịch vụ công trực tuyến toàn trình",
        "dich-vu-cong-truc-tuyen-toan-trinh",
        "Chính quyền số",
        "%",
        50,
        100,
    ),
    (
        "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến",
        "hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến",
        "ho-so-truc-tuyen",
        "Chính quyền số",
        "%",
        30,
        80,
    ),
    (
        "Tỷ lệ văn bản trao đổi giữa các cơ quan nhà nước dưới dạng điện tử có chữ ký số",
        "văn bản trao đổi giữa các cơ quan nhà nước dưới dạng điện tử có chữ ký số",
        "van-ban-ky-so",
        "Chính quyền số",
        "%",
        80,
        100,
    ),
    (
        "Tỷ lệ cán bộ, công chức được trang bị máy tính",
        "cán bộ, công chức được trang bị máy tính kết nối Internet",
        "may-tinh-can-bo",
        "Hạ tầng số",
        "%",
        90,
        100,
    ),
    (
        "Tỷ lệ phủ sóng di động 4G/5G, Internet băng rộng",
        "thôn, tổ dân phố được phủ sóng di động 4G/5G và Internet băng rộng",
        "phu-song-4g-5g",
        "Hạ tầng số",
        "%",
        90,
        100,
    ),
    (
        "Tỷ lệ giao dịch, thanh toán không dùng tiền mặt",
        "giao dịch thanh toán tại trường học, cơ sở y tế không dùng tiền mặt",
        "thanh-toan-khong-dung-tien-mat",
        "Kinh tế số",
        "%",
        30,
        80,
    ),
    (
        "Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
        "hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
        "so-hoa-ket-qua-tthc",
        "Chính quyền số",
        "%",
        50,
        100,
    ),
    (
        "Tỷ lệ chế độ báo cáo được thực hiện trực tuyến",
        "chế độ báo cáo định kỳ được thực hiện trực tuyến qua hệ thống thông tin báo cáo",
        "bao-cao-truc-tuyen",
        "Chính quyền số",
        "%",
        70,
        100,
    ),
    (
        "Tỷ lệ người dân, doanh nghiệp hài lòng về việc giải quyết thủ tục hành chính",
        "người dân, doanh nghiệp hài lòng về việc giải quyết thủ tục hành chính",
        "hai-long-giai-quyet-tthc",
        "Chính quyền số",
        "%",
        85,
        98,
    ),
    (
        "Tỷ lệ hộ gia đình có kết nối Internet cáp quang băng rộng",
        "hộ gia đình có kết nối Internet cáp quang băng rộng",
        None,
        "Hạ tầng số",
        "%",
        60,
        95,
    ),
    (
        "Tỷ lệ dân số trưởng thành có điện thoại thông minh",
        "dân số trưởng thành có điện thoại thông minh",
        None,
        "Xã hội số",
        "%",
        70,
        95,
    ),
    (
        "Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử",
        "dân số trưởng thành có tài khoản thanh toán điện tử",
        None,
        "Xã hội số",
        "%",
        45,
        85,
    ),
    (
        "Số tổ công nghệ số cộng đồng được thành lập và duy trì hoạt động",
        "tổ công nghệ số cộng đồng được thành lập và duy trì hoạt động",
        None,
        "Xã hội số",
        "tổ",
        12,
        160,
    ),
    (
        "Số lượt cán bộ, công chức được bồi dưỡng kỹ năng số",
        "lượt cán bộ, công chức, viên chức được bồi dưỡng kỹ năng số",
        None,
        "Nhân lực số",
        "lượt",
        80,
        600,
    ),
    (
        "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số",
        "doanh nghiệp nhỏ và vừa sử dụng nền tảng số trong quản trị, kinh doanh",
        None,
        "Kinh tế số",
        "%",
        20,
        60,
    ),
    (
        "Tỷ lệ hợp tác xã đưa sản phẩm lên sàn thương mại điện tử",
        "hợp tác xã, hộ sản xuất có sản phẩm chủ lực được đưa lên sàn thương mại điện tử",
        None,
        "Kinh tế số",
        "%",
        20,
        70,
    ),
    (
        "Tỷ lệ hệ thống thông tin được phê duyệt hồ sơ đề xuất cấp độ",
        "hệ thống thông tin đang vận hành được phê duyệt hồ sơ đề xuất cấp độ an toàn thông tin",
        None,
        "An toàn thông tin mạng",
        "%",
        80,
        100,
    ),
    (
        "Số thôn, tổ dân phố có hệ thống truyền thanh ứng dụng công nghệ thông tin - viễn thông",
        "thôn, tổ dân phố có hệ thống truyền thanh ứng dụng công nghệ thông tin - viễn thông",
        None,
        "Hạ tầng số",
        "thôn",
        10,
        90,
    ),
]

_QUALITATIVE = [
    "Đảm bảo an toàn thông tin mạng cho các hệ thống thông tin của cơ quan nhà nước trên địa bàn {place}.",
    "Duy trì vận hành ổn định hệ thống hội nghị truyền hình trực tuyến từ {level} đến cấp xã.",
    "Hoàn thành việc kết nối, chia sẻ dữ liệu giữa phần mềm một cửa điện tử của {place} với Cổng dịch vụ "
    "công quốc gia.",
    "Triển khai ứng dụng các nền tảng số dùng chung do Bộ Thông tin và Truyền thông và UBND tỉnh công bố.",
    "Nâng cao nhận thức của cán bộ, công chức, viên chức và người dân {place} về vai trò, lợi ích của chuyển đổi số.",
    "Từng bước hình thành cơ sở dữ liệu chuyên ngành về đất đai, hộ tịch, dân cư phục vụ quản lý nhà nước tại {place}.",
    "Cổng thông tin điện tử {place} cung cấp đầy đủ thông tin theo Nghị định số 42/2022/NĐ-CP.",
    "Thúc đẩy phát triển thương mại điện tử, đưa sản phẩm OCOP của {place} lên các sàn giao dịch điện tử.",
    "Xây dựng và triển khai mô hình thôn thông minh, xã chuyển đổi số điểm trên địa bàn {place}.",
    "Trang bị tường lửa và phần mềm phòng chống mã độc tập trung cho mạng nội bộ của các cơ quan {place}.",
    "Tăng cường ứng dụng chữ ký số chuyên dùng trong gửi, nhận văn bản điện tử giữa các cơ quan, đơn vị.",
    "Phát triển đội ngũ nhân lực chuyên trách công nghệ thông tin đáp ứng yêu cầu chuyển đổi số của {place}.",
]

_SENTENCES = [
    "Hạ tầng số tại cơ quan UBND {place} được tu sửa, bổ sung kịp thời, đảm bảo các điều kiện phục vụ công việc.",
    "Tỷ lệ trung bình máy tính trên cán bộ, công chức đạt {pct}% và {pct2}% máy tính được kết nối Internet.",
    "Hệ thống mạng LAN, Internet, truyền hình trực tuyến tại {place} hoạt động ổn định, đảm bảo an toàn, an "
    "ninh thông tin.",
    "Trung tâm hành chính công {place} được trang bị màn hình tra cứu thủ tục hành chính, ki-ốt lấy số thứ "
    "tự và hệ thống camera giám sát.",
    "Trong năm {year}, trên Cổng dịch vụ công phát sinh {n} hồ sơ, trong đó {m} hồ sơ được tiếp nhận trực tuyến.",
    "Phần mềm quản lý văn bản và điều hành được kết nối đến các phòng, ban, ngành và cấp xã, phát huy hiệu quả rõ rệt.",
    "Đã tổ chức {k} lớp tập huấn kỹ năng ứng dụng công nghệ thông tin và chuyển đổi số cho {n2} lượt cán bộ, "
    "công chức.",
    "Thành lập {k} tổ công nghệ số cộng đồng cấp xã và {m2} tổ cấp thôn, hướng dẫn người dân cài đặt ứng "
    "dụng VNeID, VssID.",
    "Tuyên truyền, hướng dẫn người dân sử dụng các ứng dụng thanh toán không dùng tiền mặt và sàn thương mại điện tử.",
    "Cán bộ chuyên trách công nghệ thông tin cấp huyện và {k}/{k} cán bộ chuyên trách cấp xã tham gia đầy đủ "
    "các lớp bồi dưỡng.",
    "Các phòng, ban, đơn vị và UBND các xã, thị trấn đã mua phần mềm diệt virus có bản quyền cài đặt trên máy tính.",
    "Cổng thông tin điện tử {place} được nâng cấp, cung cấp thông tin và dịch vụ công trực tuyến theo quy định.",
    "Hạ tầng mạng băng rộng cáp quang phủ đến {pct}% xã, thị trấn và {pct2}% thôn, tổ dân phố được phủ sóng "
    "di động 4G.",
    "Việc triển khai Đề án 06 được chú trọng; {n} tài khoản định danh điện tử mức độ 2 đã được kích hoạt trên địa bàn.",
    "Một số máy tính tại cấp xã có cấu hình thấp, đời cũ nên vận hành chậm, chưa đáp ứng yêu cầu công việc.",
    "Nhận thức của một bộ phận người dân về chuyển đổi số chưa đồng đều, vẫn còn thói quen đến nộp hồ sơ trực tiếp.",
    "Tại {place} chưa có công chức chuyên trách, chuyên sâu về an toàn, an ninh thông tin.",
    "Kinh phí dành cho chuyển đổi số còn hạn chế, chủ yếu từ nguồn chi thường xuyên của ngân sách {level}.",
    "Nguồn nhân lực công nghệ thông tin còn thiếu và yếu, nhất là ở cấp xã.",
    "Sự phối hợp giữa các cơ quan, đơn vị trong triển khai nhiệm vụ chuyển đổi số có lúc chưa chặt chẽ.",
    "Hệ thống thư điện tử công vụ được sử dụng thường xuyên; {pct}% cán bộ, công chức đã được cấp hộp thư.",
    "Thực hiện chế độ báo cáo định kỳ liên thông với Hệ thống thông tin báo cáo Chính phủ.",
    "Tỷ lệ văn bản trao đổi giữa các cơ quan dưới dạng điện tử đạt trên {pct}%.",
    "Công tác số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt {pct}% so với yêu cầu.",
    "Đã rà soát, phê duyệt hồ sơ đề xuất cấp độ cho {k} hệ thống thông tin thuộc phạm vi quản lý.",
    "Mạng truyền số liệu chuyên dùng được kết nối đến {k2} cơ quan, đơn vị trên địa bàn {place}.",
]

_TASK_AREAS = [
    "Nhận thức số: Ngày Chuyển đổi số",
    "Thể chế số",
    "Hạ tầng số, dữ liệu số",
    "Nền tảng số",
    "Nhân lực số",
    "An toàn thông tin mạng: Bảo đảm an toàn thông tin theo cấp độ",
    "An toàn thông tin mạng: Trang thiết bị, giải pháp",
    "Chính quyền số: Ứng dụng phục vụ chỉ đạo, điều hành",
    "Chính quyền số: Dịch vụ công trực tuyến",
    "Kinh tế số",
    "Xã hội số",
    "Dữ liệu số: Cơ sở dữ liệu chuyên ngành",
]
_TASKS = [
    "Xây dựng kế hoạch tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia 10/10 trên địa bàn {place}.",
    "Chỉ đạo cán bộ, công chức, viên chức tham gia kênh truyền thông chuyển đổi số quốc gia trên Zalo.",
    "Ban hành các văn bản, cơ chế, chính sách để phát triển chính quyền số, kinh tế số, xã hội số.",
    "Phối hợp với các sở, ngành xây dựng trục liên thông tích hợp dùng chung, từng bước chuyển đổi sang giao "
    "thức IPv6.",
    "Tăng cường trang bị mới, nâng cấp cơ sở hạ tầng, phần mềm; nâng cấp kết nối đường truyền Internet tại "
    "UBND {place}.",
    "Duy trì thông suốt các hệ thống nền tảng: hội nghị truyền hình trực tuyến, quản lý văn bản và điều "
    "hành, thư điện tử công vụ.",
    "Cử cán bộ tham gia các lớp đào tạo, bồi dưỡng kiến thức về công nghệ thông tin, kỹ năng số.",
    "Tham gia các lớp tập huấn khai thác, sử dụng dịch vụ công trực tuyến và nền tảng học trực tuyến mở đại trà.",
    "Rà soát các hệ thống thông tin, xây dựng hồ sơ đề xuất cấp độ và triển khai phương án bảo đảm an toàn "
    "thông tin theo cấp độ.",
    "Đầu tư trang thiết bị, tường lửa, phần mềm diệt virus có bản quyền; thường xuyên sao lưu dữ liệu.",
    "Triển khai bảo đảm an toàn thông tin theo mô hình 4 lớp và hệ thống phòng, chống mã độc tập trung.",
    "Đẩy mạnh ứng dụng chữ ký số chuyên dùng, phần mềm quản lý văn bản và điều hành trong toàn bộ quy trình "
    "xử lý công việc.",
    "Cung cấp dịch vụ công trực tuyến toàn trình; đẩy mạnh thanh toán trực tuyến phí, lệ phí thủ tục hành chính.",
    "Thực hiện số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Trung tâm hành chính công {place} và "
    "bộ phận một cửa cấp xã.",
    "Hỗ trợ hợp tác xã, hộ sản xuất đưa sản phẩm OCOP lên sàn thương mại điện tử Postmart, Voso.",
    "Triển khai thanh toán không dùng tiền mặt tại trường học, cơ sở y tế và trong chi trả an sinh xã hội.",
    "Phát huy vai trò tổ công nghệ số cộng đồng hướng dẫn người dân sử dụng dịch vụ công trực tuyến, ứng dụng số.",
    "Xây dựng, cập nhật cơ sở dữ liệu chuyên ngành về đất đai, hộ tịch, giáo dục, y tế bảo đảm kết nối với "
    "hệ thống của tỉnh.",
    "Triển khai hệ thống camera giám sát an ninh trật tự tại các tuyến đường, nút giao thông trọng điểm của {place}.",
    "Tổ chức đánh giá, xếp hạng mức độ chuyển đổi số của các cơ quan, đơn vị và UBND các xã, thị trấn.",
]
_SOLUTION_AREAS = [
    "Đẩy mạnh công tác truyền thông, nâng cao nhận thức",
    "Hoàn thiện cơ chế, chính sách",
    "Bảo đảm nguồn lực tài chính",
    "Phát triển nguồn nhân lực",
    "Tăng cường hợp tác với doanh nghiệp",
    "Kiểm tra, giám sát, đánh giá",
    "Nghiên cứu, làm chủ công nghệ",
]
_SOLUTIONS = [
    "Thực hiện tốt công tác thông tin tuyên truyền trên hệ thống truyền thanh - truyền hình và Cổng thông "
    "tin điện tử {place}.",
    "Gắn kết quả thực hiện chuyển đổi số với chỉ tiêu thi đua, khen thưởng của cơ quan, đơn vị và người đứng đầu.",
    "Ưu tiên bố trí kinh phí từ ngân sách {level} và huy động nguồn lực xã hội hóa cho các nhiệm vụ chuyển đổi số.",
    "Thuê dịch vụ công nghệ thông tin do doanh nghiệp cung cấp theo quy định hiện hành.",
    "Tăng cường hợp tác với các doanh nghiệp viễn thông Viettel, VNPT, Bưu điện trong triển khai ứng dụng, dịch vụ số.",
    "Định kỳ kiểm tra, đánh giá kết quả thực hiện kế hoạch, kịp thời tháo gỡ khó khăn, vướng mắc.",
    "Cử cán bộ tham gia các đoàn học tập kinh nghiệm tại các địa phương thành công về chuyển đổi số.",
    "Nghiên cứu, ứng dụng các công nghệ mới như điện toán đám mây, trí tuệ nhân tạo trong quản lý, điều hành.",
]

# Bodies a district plan gives work to: (id, name, variants written in documents).
_AGENCIES = [
    (
        "phong-van-hoa-thong-tin",
        "Phòng Văn hóa và Thông tin",
        ["Phòng Văn hóa - Thông tin", "Phòng Văn hoá và Thông tin huyện"],
    ),
    ("phong-tai-chinh-ke-hoach", "Phòng Tài chính - Kế hoạch", ["Phòng Tài chính Kế hoạch", "Phòng TC-KH"]),
    (
        "van-phong-hdnd-ubnd",
        "Văn phòng HĐND và UBND",
        ["Văn phòng HĐND - UBND huyện", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"],
    ),
    ("phong-noi-vu", "Phòng Nội vụ", ["Phòng Nội vụ huyện"]),
    ("cong-an-huyen", "Công an huyện", []),
    (
        "trung-tam-van-hoa-truyen-thong",
        "Trung tâm Văn hóa - Truyền thông",
        ["Trung tâm Văn hóa - Truyền thông huyện", "Trung tâm VH-TT"],
    ),
    ("phong-giao-duc-dao-tao", "Phòng Giáo dục và Đào tạo", ["Phòng GD&ĐT"]),
    ("phong-y-te", "Phòng Y tế", []),
    ("phong-tai-nguyen-moi-truong", "Phòng Tài nguyên và Môi trường", ["Phòng TN&MT"]),
    ("phong-kinh-te-ha-tang", "Phòng Kinh tế - Hạ tầng", ["Phòng Kinh tế và Hạ tầng"]),
    ("phong-nong-nghiep", "Phòng Nông nghiệp và Phát triển nông thôn", ["Phòng NN&PTNT"]),
    ("phong-lao-dong", "Phòng Lao động - Thương binh và Xã hội", ["Phòng LĐ-TB&XH"]),
    ("phong-tu-phap", "Phòng Tư pháp", []),
    ("huyen-doan", "Huyện đoàn", ["Ban Thường vụ Huyện đoàn"]),
    ("bao-hiem-xa-hoi", "Bảo hiểm xã hội huyện", []),
    ("buu-dien", "Bưu điện huyện", []),
    ("ubnd-cac-xa", "UBND các xã, thị trấn", ["Ủy ban nhân dân các xã, thị trấn"]),
]
_DUTIES = [
    "Chủ trì, phối hợp với các cơ quan, đơn vị tổ chức tuyên truyền, phổ biến mục tiêu, nhiệm vụ của Kế hoạch này.",
    "Theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch, định kỳ báo cáo Chủ tịch UBND {place}.",
    "Trên cơ sở khả năng cân đối ngân sách, tham mưu bố trí kinh phí thực hiện các nhiệm vụ của Kế hoạch.",
    "Hướng dẫn các đơn vị thực hiện trình tự, thủ tục, sử dụng kinh phí và thanh toán theo quy định.",
    "Tiếp tục vận hành hệ thống quản lý văn bản và điều hành, theo dõi việc gửi, nhận văn bản điện tử.",
    "Đưa tiêu chí thực hiện dịch vụ công trực tuyến vào đánh giá, xếp loại thi đua hằng năm.",
    "Chủ trì triển khai Đề án 06 trên địa bàn; hướng dẫn người dân kích hoạt tài khoản định danh điện tử.",
    "Đổi mới công tác tuyên truyền, phổ biến kiến thức về chuyển đổi số trên hệ thống truyền thanh cơ sở.",
    "Xây dựng kế hoạch chuyển đổi số của cơ quan, đơn vị mình, gửi về UBND {place} để tổng hợp.",
    "Cân đối nguồn kinh phí chi thường xuyên và các nguồn hợp pháp khác để thực hiện các nhiệm vụ được giao.",
    "Chỉ đạo tổ công nghệ số cộng đồng hỗ trợ người dân sử dụng dịch vụ công trực tuyến và ứng dụng số.",
    "Phối hợp triển khai thanh toán không dùng tiền mặt trong thu học phí, viện phí và chi trả an sinh xã hội.",
]
_RECIPIENTS = [
    "Sở Thông tin và Truyền thông (b/c)",
    "Thường trực Huyện ủy (b/c)",
    "Thường trực HĐND huyện (b/c)",
    "Chủ tịch, các PCT UBND huyện",
    "Thành viên Ban Chỉ đạo chuyển đổi số huyện",
    "Các phòng, ban, ngành cấp huyện",
    "UBND các xã, thị trấn",
    "Cổng thông tin điện tử huyện",
    "Lưu: VT, VHTT.",
]

# Budget lines: (name, category); categories become groups.
_BUDGET_LINES = [
    ("Mua sắm máy tính phục vụ công tác chuyên môn", "Hạ tầng kỹ thuật"),
    ("Thuê đường truyền Internet cho các cơ quan", "Hạ tầng kỹ thuật"),
    ("Nâng cấp hệ thống mạng LAN tại UBND", "Hạ tầng kỹ thuật"),
    ("Trang bị thiết bị hội nghị truyền hình trực tuyến cấp xã", "Hạ tầng kỹ thuật"),
    ("Lắp đặt hệ thống camera giám sát an ninh trật tự", "Hạ tầng kỹ thuật"),
    ("Trang bị máy chủ và thiết bị lưu trữ dữ liệu", "Hạ tầng kỹ thuật"),
    ("Nâng cấp Cổng thông tin điện tử", "Ứng dụng công nghệ thông tin"),
    ("Duy trì phần mềm quản lý văn bản và điều hành", "Ứng dụng công nghệ thông tin"),
    ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Ứng dụng công nghệ thông tin"),
    ("Xây dựng cơ sở dữ liệu đất đai", "Ứng dụng công nghệ thông tin"),
    ("Triển khai Đề án 06", "Ứng dụng công nghệ thông tin"),
    ("Mua chứng thư số và chữ ký số chuyên dùng", "Ứng dụng công nghệ thông tin"),
    ("Đào tạo, tập huấn kỹ năng số cho cán bộ, công chức", "Đào tạo, tập huấn"),
    ("Bồi dưỡng tổ công nghệ số cộng đồng", "Đào tạo, tập huấn"),
    ("Tập huấn an toàn thông tin cho cán bộ chuyên trách", "Đào tạo, tập huấn"),
    ("Mua phần mềm diệt virus có bản quyền", "An toàn thông tin"),
    ("Trang bị tường lửa cho hệ thống mạng nội bộ", "An toàn thông tin"),
    ("Đánh giá, kiểm tra an toàn thông tin theo cấp độ", "An toàn thông tin"),
    ("Tuyên truyền về chuyển đổi số trên truyền thanh cơ sở", "Tuyên truyền"),
    ("Tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia", "Tuyên truyền"),
]
_FUNDS = ["Ngân sách huyện", "Ngân sách tỉnh", "Ngân sách xã", "Nguồn xã hội hóa", "Chi thường xuyên của đơn vị"]

# --------------------------------------------------------------------------- corpus


class _Dumper(yaml.CSafeDumper if getattr(yaml, "__with_libyaml__", False) else yaml.SafeDumper):
    pass


# Plain numbers, never tagged (content refuses YAML tags): one without a fractional part reads as an integer,
# the same amount to the schema.
_Dumper.add_representer(
    Decimal,
    lambda d, v: d.represent_scalar(
        "tag:yaml.org,2002:float" if "." in format(v, "f") else "tag:yaml.org,2002:int", format(v, "f")
    ),
)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _write(path: Path, text: str) -> bytes:
    raw = _nfc(text).encode("utf-8")
    path.write_bytes(raw)
    return raw


class _Corpus:
    """One synthetic corpus: every choice from one seeded random generator, so a seed gives the same bytes."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    # ---- small helpers
    def pick(self, seq, k: int | None = None):
        return self.rng.choice(seq) if k is None else self.rng.sample(seq, k)

    def person(self) -> str:
        return f"{self.pick(_SURNAMES)} {self.pick(_MIDDLE)} {self.pick(_GIVEN)}"

    def date(self, year: int) -> str:
        return f"{self.rng.randint(1, 28):02d}/{self.rng.randint(1, 12)}/{year}"

    def fill(self, template: str, ctx: dict, year: int) -> str:
        r = self.rng
        return template.format(
            place=ctx["place"],
            level=ctx["level"],
            year=year,
            pct=r.randint(70, 100),
            pct2=r.randint(85, 100),
            n=r.randint(800, 9000),
            m=r.randint(100, 700),
            n2=r.randint(60, 450),
            k=r.randint(3, 24),
            m2=r.randint(20, 140),
            k2=r.randint(12, 60),
        )

    def paragraph(self, ctx: dict, year: int, pool=_SENTENCES, lo: int = 2, hi: int = 4) -> str:
        return " ".join(self.fill(s, ctx, year) for s in self.pick(pool, self.rng.randint(lo, hi)))

    def agency(self, ctx: dict) -> str:
        _, name, variants = self.pick(ctx["agencies"])
        return self.pick([name] + variants) if variants and self.rng.random() < 0.3 else name

    # ---- units
    def districts(self, count: int) -> list[tuple[str, str, list]]:
        """(province slug, province name, [(slug, name, kind tuple, short name)]) with `count` districts in all."""
        from generator.content.document_numbers import ascii_slug

        provinces = PROVINCES[: max(1, min(len(PROVINCES), count))]
        out, seen = [], set()  # short names are unique across provinces: issuer + number must be
        for i, (pslug, pname) in enumerate(provinces):
            share = count // len(provinces) + (1 if i < count % len(provinces) else 0)
            units = []
            while len(units) < share:
                first, second = self.pick(_FIRST), self.pick(_SECOND)
                if first == second:
                    continue
                short = f"{first} {second}"
                kind = self.pick(_DISTRICT_KINDS)
                slug = ascii_slug(short)
                if slug in seen and len(seen) >= _TWO_SYLLABLES:
                    # Two syllables give 1,548 names: past _TWO_SYLLABLES of them (BENCH_PLANS > 3,000), a name
                    # taken gets a third syllable (as Tân Phú Đông), about 59,000 more. The corpora up to
                    # 1,000 units draw exactly as before (same seed, same bytes).
                    third = self.pick(_SECOND)
                    if third in (first, second):
                        continue
                    short = f"{short} {third}"
                    slug = ascii_slug(short)
                if slug in seen:
                    continue
                seen.add(slug)
                units.append((slug, f"{kind[0]} {short}", kind, short))
            out.append((pslug, pname, units))
        return out

    # ---- one plan
    def plan(self, ctx: dict, year: int, previous: dict | None) -> dict:
        r = self.rng
        kind = ctx["kind"]
        party = kind[3] is not None and r.random() < 0.15
        multi = not party and r.random() < 0.12
        if party:
            plan_kind, issuer = "chuong-trinh-hanh-dong", f"Ban Thường vụ {kind[2]} {ctx['short']}"
            number = f"{r.randint(10, 99)}-CTr/{kind[3]}"
            title = f"Chương trình hành động thực hiện chuyển đổi số trên địa bàn {kind[1]} {ctx['short']} năm {year}"
        elif multi:
            plan_kind, issuer = "de-an", f"UBND {kind[1]} {ctx['short']}"
            number = f"{r.randint(10, 999)}/ĐA-UBND"
            title = f"Đề án chuyển đổi số {kind[1]} {ctx['short']} giai đoạn {year}-{year + 4}, định hướng đến năm 2030"
        else:
            plan_kind, issuer = "ke-hoach", f"UBND {kind[1]} {ctx['short']}"
            number = f"{r.randint(100, 4999)}/KH-UBND"
            theme = self.pick(
                [
                    "phát triển chính quyền số và bảo đảm an toàn thông tin mạng",
                    "chuyển đổi số",
                    "ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước",
                    "phát triển chính quyền điện tử, chính quyền số",
                ]
            )
            title = f"Kế hoạch {theme} năm {year}"
        while number in ctx["numbers"]:
            number = number.replace("/", "1/", 1)
        ctx["numbers"].add(number)
        if r.random() < 0.08:
            number = None  # the extraction lost the header
        plan: dict = {
            "title": title,
            "kind": plan_kind,
            "classification": "thuong",
            "issuer": issuer,
            "number": number,
            "signed_date": self.date(year - 1)
            if r.random() < 0.5
            else (f"{r.randint(1, 12)}/{year}" if r.random() < 0.1 else self.date(year)),
            "place": ctx["short"],
            "signer": {
                "name": self.person(),
                "title": self.pick(["Chủ tịch", "Phó Chủ tịch"]),
                "on_behalf": "TM. ỦY BAN NHÂN DÂN" if not party else "T/M BAN THƯỜNG VỤ",
            },
            "period": {"start": year, "end": year + 4 if multi else year, **({"outlook": 2030} if multi else {})},
        }
        if previous:
            plan["reviews"] = previous["id"]
        plan["summary"] = (
            f"Văn bản của {issuer} đề ra mục tiêu, nhiệm vụ, giải pháp chuyển đổi số năm {year}, "
            f"với 20 chỉ tiêu và kinh phí dự kiến cho cấp huyện và cấp xã."
        )
        # Legal bases: national, the province's own, sometimes the district Party committee's.
        bases = [
            {"kind": k, "number": n, "date": d, "issuer": i, "title": t}
            for k, n, d, i, t in self.pick(_NATIONAL, r.randint(4, 9))
        ]
        bases += [dict(b) for b in self.pick(ctx["province_bases"], r.randint(1, 3))]
        if kind[3] and r.random() < 0.5:
            bases.append(
                {
                    "kind": "Nghị quyết",
                    "number": ctx["party_basis"],
                    "date": ctx["party_date"],
                    "issuer": f"Ban Chấp hành Đảng bộ {kind[1]}",
                    "title": f"về chuyển đổi số {kind[1]} {ctx['short']} giai đoạn 2021 - 2025",
                }
            )
        bases.append(
            {"issuer": "Ủy ban nhân dân tỉnh", "title": "Các văn bản khác của Ủy ban nhân dân tỉnh có liên quan."}
        )
        plan["legal_bases"] = bases
        if previous or r.random() < 0.4:
            areas = []
            for area in self.pick(AREAS, r.randint(5, 9)):
                entry = {
                    "area": f"Về {area[0].lower()}{area[1:]}",
                    "achieved": [self.paragraph(ctx, year - 1, lo=3, hi=6) for _ in range(r.randint(2, 4))],
                }
                if r.random() < 0.6:
                    entry["limitations"] = [self.paragraph(ctx, year - 1, lo=2, hi=3)]
                if r.random() < 0.3:
                    entry["causes"] = [self.paragraph(ctx, year - 1, lo=1, hi=2)]
                areas.append(entry)
            plan["previous_results"] = {
                "period": f"năm {year - 1}",
                **(
                    {"reviewed_plan": f"Kế hoạch số {previous['number']} ngày {previous['signed']}"}
                    if previous and previous["number"]
                    else {}
                ),
                "summary": self.paragraph(ctx, year - 1, lo=2, hi=3),
                "areas": areas,
            }
        plan["general_objectives"] = [self.paragraph(ctx, year, _QUALITATIVE, 2, 3) for _ in range(2)]
        plan["targets"] = self.targets(ctx, year, previous)
        plan["tasks"] = [
            {
                "area": a,
                "items": [
                    self.fill(t, ctx, year)
                    + (" " + self.fill(self.pick(_SOLUTIONS), ctx, year) if r.random() < 0.5 else "")
                    for t in self.pick(_TASKS, r.randint(2, 5))
                ],
            }
            for a in self.pick(_TASK_AREAS, r.randint(6, 9))
        ]
        plan["solutions"] = [
            {"area": a, "items": [self.fill(t, ctx, year) for t in self.pick(_SOLUTIONS, r.randint(1, 3))]}
            for a in self.pick(_SOLUTION_AREAS, r.randint(4, 6))
        ]
        plan["budget_tables"] = self.budget(ctx, year)
        plan["funding_notes"] = [
            f"Kinh phí thực hiện Kế hoạch được bố trí từ ngân sách {ctx['level']} năm {year} "
            "và các nguồn hợp pháp khác theo phân cấp ngân sách hiện hành."
        ]
        plan["responsibilities"] = [
            {"unit": name, "duties": [self.fill(d, ctx, year) for d in self.pick(_DUTIES, r.randint(2, 4))]}
            for _, name, _ in self.pick(ctx["agencies"], r.randint(6, 9))
        ]
        plan["recipients"] = self.pick(_RECIPIENTS, r.randint(6, 9))
        return plan

    def targets(self, ctx: dict, year: int, previous: dict | None) -> list[dict]:
        r = self.rng
        out = []
        grouped = r.random() < 0.3
        for n, quantitative in enumerate([True] * 12 + [False] * 8):
            if quantitative:
                name, phrase, code, area, unit, lo, hi = self.pick(_INDICATORS)
                value = r.randint(lo, hi)
                cmp = "=" if value >= 100 else self.pick(["=", "≥", ">"])
                words = {"=": "", "≥": "ít nhất ", ">": "trên "}[cmp]
                scope = self.pick([None, "cấp huyện", "cấp xã", "toàn huyện"])
                amount = f"{value}%" if unit == "%" else str(value)  # the phrase starts with the counted noun
                statement = (
                    f"Phấn đấu đến hết năm {year}, {words}{amount} {phrase}"
                    f"{' tại ' + scope if scope and scope != 'toàn huyện' else ''}."
                )
                t = {"area": area, "statement": statement, "indicator": name}
                if code:
                    t["indicator_code"] = code
                t.update({"comparator": cmp, "value": value, "unit": unit})
                if scope:
                    t["scope"] = scope
                t["deadline_year"] = year
            else:
                t = {"area": self.pick(AREAS), "statement": self.fill(self.pick(_QUALITATIVE), ctx, year)}
            if grouped:
                t = {
                    "area": t.pop("area"),
                    "group": "Mục tiêu cụ thể" if n < 10 else f"Mục tiêu đến năm {year + 2}",
                    **t,
                }
            if r.random() < 0.7:
                t["lead"] = self.agency(ctx)
            if r.random() < 0.5:
                t["coordinating"] = sorted({self.agency(ctx) for _ in range(r.randint(1, 3))} - {t.get("lead")}) or [
                    "UBND các xã, thị trấn"
                ]
            if r.random() < 0.1:
                t["implementing"] = ["UBND các xã, thị trấn"]
            if quantitative and previous and r.random() < 0.2:
                t["baseline"] = {
                    "statement": (
                        f"Năm {year - 1}, {phrase} đạt {max(0, value - r.randint(1, 15))}{'%' if unit == '%' else ''}."
                    ),
                    "value": max(0, value - r.randint(1, 15)),
                    "unit": unit,
                    "period": f"năm {year - 1}",
                }
            out.append(t)
        return out

    def budget(self, ctx: dict, year: int) -> list[dict]:  # noqa: C901 (one table after another, as documents do)
        """1–2 tables totalling 15 lines; group subtotals declared, the odd declared figure that does not add up."""
        r = self.rng
        million = r.random() < 0.2
        two = r.random() < 0.5
        sizes = [r.randint(4, 6)] if two else []
        sizes.append(15 - sum(sizes))
        tables = []
        lines_pool = self.pick(_BUDGET_LINES, 15)
        for t, size in enumerate(sizes):
            executed = two and t == 0
            chosen, lines_pool = lines_pool[:size], lines_pool[size:]
            two_columns = not executed and r.random() < 0.3
            columns = ([{"key": "ngan_sach_huyen", "label": "Ngân sách huyện"}] if two_columns else []) + [
                {"key": "tong", "label": "Tổng kinh phí (triệu đồng)" if million else "Tổng kinh phí (đồng)"}
            ]
            by_cat: dict[str, list] = {}
            for name, cat in chosen:
                by_cat.setdefault(cat, []).append(name)
            grouped = not executed and len(by_cat) > 1
            groups = []
            roman = ["I", "II", "III", "IV", "V", "VI"]
            for g, (cat, names) in enumerate(by_cat.items() if grouped else [(None, [n for n, _ in chosen])]):
                lines = []
                for i, name in enumerate(names, 1):
                    total = (
                        Decimal(r.randint(5_000, 900_000)) / 1000
                        if million
                        else r.randint(10, 900) * 1_000_000 + r.randint(0, 99) * 10_000
                    )
                    amounts = {"tong": total}
                    if two_columns:
                        amounts = {
                            "ngan_sach_huyen": (total * Decimal("0.6")).quantize(Decimal("0.001"))
                            if million
                            else int(total * 6 // 10),
                            "tong": total,
                        }
                    line = {"code": str(i), "name": name if r.random() < 0.7 else f"{name} tại {ctx['place']}"}
                    if r.random() < 0.4:
                        line["objective"] = f"Phục vụ nhiệm vụ chuyển đổi số của {ctx['place']} năm {year}"
                    if cat:
                        line["category"] = cat
                    if r.random() < 0.5:
                        line["level"] = self.pick(["huyen", "xa"])
                    line["amounts"] = amounts
                    if r.random() < 0.6:
                        line["source_of_funds"] = self.pick(_FUNDS)
                    if r.random() < 0.5:
                        line["lead"] = self.agency(ctx)
                    if r.random() < 0.3:
                        line["period"] = f"Năm {year - 1 if executed else year}"
                    if r.random() < 0.2:
                        line["status"] = self.pick(["moi", "chuyen-tiep"])
                    lines.append(line)
                group: dict = {}
                if cat:
                    group = {"code": roman[g], "name": cat}
                    if r.random() < 0.7:
                        group["declared"] = {
                            c["key"]: sum((Decimal(str(l["amounts"][c["key"]])) for l in lines), Decimal(0))
                            for c in columns
                        }
                        if r.random() < 0.05:
                            group["declared"]["tong"] += Decimal("1000000") if not million else Decimal(1)
                group["lines"] = lines
                groups.append(group)
            declared = {
                c["key"]: sum((Decimal(str(l["amounts"][c["key"]])) for g in groups for l in g["lines"]), Decimal(0))
                for c in columns
            }
            if r.random() < 0.1:  # the document's own addition is off
                declared["tong"] += Decimal(r.choice([-1, 1]) * r.randint(1, 50)) * (
                    Decimal("0.1") if million else 1_000_000
                )
            declared = {k: (int(v) if not million and v == v.to_integral_value() else v) for k, v in declared.items()}
            for g in groups:
                if "declared" in g:
                    g["declared"] = {
                        k: (int(v) if not million and v == v.to_integral_value() else v)
                        for k, v in g["declared"].items()
                    }
            table_year = year - 1 if executed else year
            tables.append(
                {
                    "id": f"kinh-phi-{table_year}" + ("-thuc-hien" if executed else ""),
                    "title": f"Kinh phí thực hiện năm {table_year}"
                    if executed
                    else f"Kinh phí dự kiến bố trí năm {table_year}",
                    "year": table_year,
                    "phase": "thuc-hien" if executed else "du-kien",
                    "currency_unit": "trieu-dong" if million else "dong",
                    "columns": columns,
                    "groups": groups,
                    "declared_total": declared,
                }
            )
        return tables

    # ---- source text and narrative
    @staticmethod
    def source_text(plan: dict, ctx: dict) -> str:
        """The plan as a PDF extraction reads: short lines separated by blank lines."""
        parts = [
            f"ỦY BAN NHÂN DÂN\n{ctx['kind'][1].upper()} {ctx['short'].upper()}",
            f"Số: {plan['number'] or '      '}",
            f"{ctx['short']}, ngày {plan['signed_date'] or '    '}",
            plan["title"].upper(),
            "Căn cứ:",
        ]
        parts += [
            f"- {b.get('kind', '')} {('số ' + b['number']) if b.get('number') else ''} {b['title']};"
            for b in plan["legal_bases"]
        ]
        if pr := plan.get("previous_results"):
            parts += ["Phần I", f"ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN {pr['period'].upper()}", pr["summary"]]
            for i, a in enumerate(pr["areas"], 1):
                parts += [f"{i}. {a['area']}"] + a["achieved"] + a.get("limitations", []) + a.get("causes", [])
        parts += ["Phần II", "NỘI DUNG KẾ HOẠCH", "I. MỤC TIÊU"] + plan["general_objectives"]
        parts += [f"- {t['statement']}" for t in plan["targets"]]
        parts += ["II. NHIỆM VỤ"]
        for s in plan["tasks"] + plan["solutions"]:
            parts += [s["area"]] + [f"- {i}" for i in s["items"]]
        parts += ["III. KINH PHÍ THỰC HIỆN"]
        for t in plan["budget_tables"]:
            parts.append(t["title"])
            for g in t["groups"]:
                parts += [f"{g.get('code', '')} {g.get('name', '')}"] + [
                    f"{l['code']} {l['name']} {l['amounts']['tong']}" for l in g["lines"]
                ]
        parts += ["IV. TỔ CHỨC THỰC HIỆN"]
        for resp in plan["responsibilities"]:
            parts += [resp["unit"]] + resp["duties"]
        parts += ["Nơi nhận:"] + [f"- {x};" for x in plan["recipients"]]
        if plan.get("signer"):
            parts += [plan["signer"]["on_behalf"], plan["signer"]["title"].upper(), plan["signer"]["name"]]
        lines = []
        for part in parts:
            for para in part.split("\n"):
                lines += [w + " " for w in textwrap.wrap(para, 78)] or [""]
        return "\n\n".join(lines) + "\n"

    def narrative(self, plan: dict, ctx: dict, year: int) -> str:
        return (
            f"## Bố cục văn bản (ghi chú của ban biên tập cổng)\n\n"
            f"Văn bản gồm hai phần. **Phần I** đánh giá kết quả thực hiện năm {year - 1}; **Phần II** gồm căn cứ, "
            f"mục tiêu, {len(plan['targets'])} chỉ tiêu, nhiệm vụ, giải pháp, kinh phí và tổ chức thực hiện.\n\n"
            f"## Tổ chức thực hiện\n\n{self.paragraph(ctx, year, _DUTIES, 2, 3)} Trong quá trình triển khai, "
            "nếu có khó "
            f"khăn, vướng mắc, các cơ quan, đơn vị kịp thời báo cáo UBND {ctx['place']} để xem xét, giải quyết./.\n"
        )


def generate_corpus(dest: Path, plans: int = 2100, seed: int = 2025, *, plain: Path | None = None) -> dict:
    """Writes `dest/content/` and `dest/site_config.yml`: `plans` plans in ceil(plans/3) district units.

    With `plain`, also writes the equivalent Markdown and mkdocs.yml for plain MkDocs there.
    Returns counts and bytes written.
    """
    from generator.content import privacy

    if plans < 1:
        raise ValueError("BENCH_PLANS phải ≥ 1")
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    shutil.copyfile(ROOT / "site_config.yml", dest / "site_config.yml")
    shutil.copyfile(ROOT / "content" / "indicators.yml", content / "indicators.yml")
    corpus = _Corpus(seed)
    units = -(-plans // 3)
    stats = {"plans": 0, "units": 0, "provinces": 0, "yaml_bytes": 0, "source_bytes": 0, "markdown_bytes": 0}
    plain_nav: list = [{"Trang chủ": "index.md"}]
    if plain:
        if plain.exists():
            shutil.rmtree(plain)
        (plain / "docs").mkdir(parents=True)
    left = plans
    for pslug, pname, districts in corpus.districts(units):
        pdir = content / pslug
        pdir.mkdir()
        _write(
            pdir / "unit.yml",
            _dump({"name": pname, "level": "tinh", "code": f"{PROVINCES.index((pslug, pname)) + 1:02d}"}),
        )
        stats["provinces"] += 1
        r = corpus.rng
        province_short = pname.split(" ", 1)[1] if pname.startswith("Tỉnh") else pname.removeprefix("Thành phố ")
        province_bases = [
            {
                "kind": "Nghị quyết",
                "number": f"{r.randint(1, 30):02d}-NQ/TU",
                "date": corpus.date(2021),
                "issuer": f"Ban Chấp hành Đảng bộ {pname[0].lower()}{pname[1:]}",
                "title": f"về chuyển đổi số {province_short} giai đoạn 2021 - 2025, định hướng đến năm 2030",
            },
            {
                "kind": "Quyết định",
                "number": f"{r.randint(100, 3999)}/QĐ-UBND",
                "date": corpus.date(2022),
                "issuer": f"UBND {pname[0].lower()}{pname[1:]}",
                "title": f"phê duyệt Kiến trúc Chính quyền điện tử {province_short}, phiên bản 2.0",
            },
            {
                "kind": "Kế hoạch",
                "number": f"{r.randint(10, 999)}/KH-UBND",
                "date": corpus.date(2022),
                "issuer": f"UBND {pname[0].lower()}{pname[1:]}",
                "title": f"chuyển đổi số {province_short} năm 2022",
            },
            {
                "kind": "Quyết định",
                "number": f"{r.randint(100, 3999)}/QĐ-UBND",
                "date": corpus.date(2021),
                "issuer": f"UBND {pname[0].lower()}{pname[1:]}",
                "title": f"phê duyệt Đề án chuyển đổi số {province_short} giai đoạn 2021 - 2025",
            },
        ]
        if r.random() < 0.5:
            _write(
                pdir / "agencies.yml",
                _dump(
                    {
                        "agencies": [
                            {
                                "id": "so-thong-tin-truyen-thong",
                                "name": "Sở Thông tin và Truyền thông",
                                "aliases": ["Sở TT&TT", "Sở Thông tin - Truyền thông"],
                            },
                            {"id": "so-noi-vu", "name": "Sở Nội vụ"},
                        ]
                    }
                ),
            )
        province_nav: list = [f"{pslug}/index.md"]
        for dslug, dname, kind, short in districts:
            if left <= 0:
                break
            uid = f"{pslug}/{dslug}"
            udir = content / uid
            udir.mkdir()
            _write(
                udir / "unit.yml",
                _dump(
                    {
                        "name": dname,
                        "level": "huyen",
                        "parent": pslug,
                        "valid_to": "30/06/2025",
                        "history": f"Đơn vị hành chính cấp huyện thuộc {pname}. Chính quyền cấp huyện chấm dứt "
                        "hoạt động từ ngày 01/7/2025.",
                    }
                ),
            )
            stats["units"] += 1
            agencies = [
                (aid, name.replace("huyện", kind[1]), [v.replace("huyện", kind[1]) for v in variants])
                for aid, name, variants in corpus.pick(_AGENCIES, r.randint(10, 14))
            ]
            if r.random() < 0.5:
                _write(
                    udir / "agencies.yml",
                    _dump(
                        {
                            "agencies": [
                                {"id": aid, "name": name, **({"aliases": variants} if variants else {})}
                                for aid, name, variants in agencies
                            ]
                        }
                    ),
                )
            ctx = {
                "place": f"{kind[1]} {short}",
                "short": short,
                "kind": kind,
                "level": kind[1],
                "agencies": agencies,
                "province_bases": province_bases,
                "numbers": set(),
                "party_basis": f"{r.randint(1, 20):02d}-NQ/{kind[3]}" if kind[3] else None,
                "party_date": corpus.date(2021),
            }
            start = r.choice([2020, 2021, 2022])
            previous = None
            unit_nav: list = [f"{uid}/index.md"]
            unit_plans = []
            for i in range(min(3, left)):
                year = start + i
                slug = (
                    f"{year}-{r.choice(['chinh-quyen-so', 'chuyen-doi-so', 'ung-dung-cntt', 'ke-hoach-chuyen-doi-so'])}"
                )
                pid = f"{uid}/{slug}"
                plan = corpus.plan(ctx, year, previous)
                source_raw = _nfc(corpus.source_text(plan, ctx)).encode("utf-8")
                # generator.privacy reads a 10-digit run inside a SHA-256 (about 1 digest in 250) as a mobile
                # number and refuses the plan; a trailing blank line gives another digest.
                while any(privacy.findings(hashlib.sha256(source_raw).hexdigest())):
                    source_raw += b"\n"
                plan["source_document"] = {
                    "file": f"{slug}.nguon.txt",
                    "sha256": hashlib.sha256(source_raw).hexdigest(),
                    "description": "Văn bản trích xuất từ PDF (bản tổng hợp cho đo hiệu năng).",
                }
                if r.random() < 0.15:
                    plan["text_repairs"] = [
                        {"found": "chuyển đ i số", "repaired": "chuyển đổi số", "note": "Mất dấu khi trích xuất."}
                    ]
                (udir / f"{slug}.nguon.txt").write_bytes(source_raw)
                narrative = corpus.narrative(plan, ctx, year)
                stats["markdown_bytes"] += len(_write(udir / f"{slug}.md", narrative))
                stats["source_bytes"] += len(source_raw)
                unit_plans.append((pid, slug, plan, narrative))
                previous = {"id": pid, "number": plan["number"], "signed": plan["signed_date"]}
                left -= 1
            # Reported results: each later plan's review reports on a few of the previous plan's quantitative
            # targets (its results file, <plan>.ket-qua.yml, names the later plan as the source).
            for (_, slug_a, plan_a, _), (pid_b, _, _, _) in zip(unit_plans, unit_plans[1:]):
                results = [
                    {
                        "target": n,
                        "value": (got := max(0, t["value"] - r.randint(-5, 20))),
                        "unit": t["unit"],
                        "statement": f"Kết quả năm {plan_a['period']['end']}: đạt {got} {t['unit']}.",
                        "date": str(plan_a["period"]["end"]),
                        "source": "ke-hoach-sau",
                    }
                    for n, t in enumerate(plan_a["targets"], 1)
                    if "value" in t and r.random() < 0.25
                ]
                if results:
                    source = {"id": "ke-hoach-sau", "kind": "ke-hoach-sau", "title": "Đánh giá kỳ trước", "plan": pid_b}
                    _write(udir / f"{slug_a}.ket-qua.yml", _dump({"sources": [source], "results": results}))
            for _, slug, plan, narrative in unit_plans:
                text = "# Bản tổng hợp cho đo hiệu năng (generator/bench.py)\n" + _dump(plan)
                stats["yaml_bytes"] += len(_write(udir / f"{slug}.yml", text))
                stats["plans"] += 1
                if plain:
                    page = _plain_plan_page(plan, narrative)
                    (plain / "docs" / uid).mkdir(parents=True, exist_ok=True)
                    _write(plain / "docs" / uid / f"{slug}.md", page)
                    shutil.copyfile(udir / f"{slug}.nguon.txt", plain / "docs" / uid / f"{slug}.nguon.txt")
                    unit_nav.append({f"{plan['period']['start']}: {plan['title'][:60]}": f"{uid}/{slug}.md"})
            if plain:
                _write(
                    plain / "docs" / uid / "index.md",
                    f"# {dname}\n\nTrực thuộc [{pname}](../index.md).\n\n## Văn bản\n\n"
                    + "".join(f"- [{p['period']['start']}: {p['title']}]({s}.md)\n" for _, s, p, _ in unit_plans),
                )
                province_nav.append({dname: unit_nav})
        if plain:
            (plain / "docs" / pslug).mkdir(parents=True, exist_ok=True)
            _write(
                plain / "docs" / pslug / "index.md",
                f"# {pname}\n\n## Đơn vị trực thuộc\n\n"
                + "".join(f"- [{n}]({s}/index.md)\n" for s, n, *_ in districts if (content / pslug / s).exists()),
            )
            plain_nav.append({pname: province_nav})
        if left <= 0 and stats["units"] >= units:
            break
    if plain:
        _write(
            plain / "docs" / "index.md",
            "# Công khai kế hoạch chuyển đổi số\n\n"
            + "".join(f"- [{n}]({s}/index.md)\n" for s, n in PROVINCES if (content / s).exists()),
        )
        _write(plain / "mkdocs.yml", _dump(_plain_config(plain, plain_nav)))
    return stats


def _md_cell(value) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def _plain_plan_page(plan: dict, narrative: str) -> str:
    """The plan as plain Markdown: what a site of Markdown pages would hold, tables as Markdown tables."""
    out = [
        f"# {plan['title']}\n",
        f"- Cơ quan ban hành: {plan['issuer']}",
        f"- Số, ký hiệu: {plan['number'] or 'không rõ'}",
        f"- Ngày ký: {plan['signed_date'] or 'không rõ'}",
        f"- Kỳ kế hoạch: {plan['period']['start']}–{plan['period']['end']}",
        f"- Văn bản gốc: [{plan['source_document']['file']}]({plan['source_document']['file']}) "
        f"(SHA-256 `{plan['source_document']['sha256']}`)",
        "",
        plan.get("summary", ""),
        "",
        narrative,
        "## Căn cứ\n",
    ]
    out += [
        f"- {b.get('kind', '')} {b.get('number') or ''} {('ngày ' + b['date']) if b.get('date') else ''} "
        f"của {b.get('issuer', '')} {b['title']}"
        for b in plan["legal_bases"]
    ]
    if pr := plan.get("previous_results"):
        out += ["", f"## Kết quả {pr['period']}\n", pr["summary"], ""]
        for a in pr["areas"]:
            out += (
                [f"### {a['area']}\n"]
                + [f"- {x}" for x in a["achieved"] + a.get("limitations", []) + a.get("causes", [])]
                + [""]
            )
    out += ["", "## Mục tiêu tổng quát\n"] + [f"{o}\n" for o in plan["general_objectives"]]
    out += [
        "## Chỉ tiêu\n",
        "| TT | Lĩnh vực | Chỉ tiêu | Mức | Phạm vi | Thời hạn | Chủ trì | Phối hợp |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, t in enumerate(plan["targets"], 1):
        level = f"{t['comparator']} {t['value']} {t['unit']}" if "value" in t else ""
        out.append(
            "| "
            + " | ".join(
                _md_cell(x)
                for x in (
                    n,
                    t["area"],
                    t["statement"],
                    level,
                    t.get("scope"),
                    t.get("deadline_year"),
                    t.get("lead"),
                    ", ".join(t.get("coordinating", [])),
                )
            )
            + " |"
        )
    for title, sections in (("Nhiệm vụ", plan["tasks"]), ("Giải pháp", plan["solutions"])):
        out += ["", f"## {title}\n"]
        for s in sections:
            out += [f"### {s['area']}\n"] + [f"- {i}" for i in s["items"]] + [""]
    out += ["## Kinh phí\n"]
    for t in plan["budget_tables"]:
        cols = t["columns"]
        out += [
            f"### {t['title']}\n",
            "| TT | Nội dung | " + " | ".join(c["label"] for c in cols) + " | Nguồn vốn | Chủ trì |",
            "|---|---|" + "---|" * len(cols) + "---|---|",
        ]
        for g in t["groups"]:
            if g.get("name"):
                out.append(
                    f"| **{g['code']}** | **{_md_cell(g['name'])}** | "
                    + " | ".join(_md_cell(g.get("declared", {}).get(c["key"], "")) for c in cols)
                    + " | | |"
                )
            for l in g["lines"]:
                out.append(
                    f"| {l['code']} | {_md_cell(l['name'])} | "
                    + " | ".join(_md_cell(l["amounts"].get(c["key"])) for c in cols)
                    + f" | {_md_cell(l.get('source_of_funds'))} | {_md_cell(l.get('lead'))} |"
                )
        out.append(
            "| | **Tổng cộng** | " + " | ".join(_md_cell(t["declared_total"].get(c["key"])) for c in cols) + " | | |"
        )
        out.append("")
    out += ["## Tổ chức thực hiện\n"]
    for resp in plan["responsibilities"]:
        out += [f"### {resp['unit']}\n"] + [f"- {d}" for d in resp["duties"]] + [""]
    out += ["## Nơi nhận\n"] + [f"- {x}" for x in plan["recipients"]]
    return "\n".join(out) + "\n"


def _plain_config(plain: Path, nav: list) -> dict:
    return {
        "site_name": "Công khai (MkDocs thuần, đối chứng)",
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "nav": nav,
        "theme": {
            "name": "material",
            "language": "vi",
            "font": False,
            "features": ["navigation.indexes", "navigation.prune"],
        },
        "plugins": [],
        "markdown_extensions": ["tables", "attr_list", "toc"],
    }
