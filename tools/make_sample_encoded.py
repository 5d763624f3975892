#!/usr/bin/env python3
"""Regenerate the byte-exact files of the fictional sample corpus.

Writes, relative to this script's directory:
  encoded/weekly_report_gbk.txt    Simplified Chinese, GBK (no BOM; decodes as gb18030 too)
  encoded/taiwan_notes_big5.txt    Traditional Chinese, Big5
  encoded/meeting_minutes_utf16.txt  Chinese + English, UTF-16 with BOM (little-endian)
  encoded/delivery_readme_utf8bom.md Markdown, UTF-8 with BOM
  broken/empty.txt                 0 bytes
  broken/broken.json               truncated, invalid JSON (no trailing newline)
  broken/garbage.txt               4 KiB of seeded pseudo-random bytes including NULs

Every text is encoded strictly (errors="strict"), so a character the codec cannot
represent fails loudly instead of being replaced. The output is deterministic: running
the script twice produces identical bytes. Usage:  python tools/make_sample_encoded.py
"""

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "corpus_sample"

GBK_TEXT = """技术二组 工作周报（2021年第23周）

填报人：lengmo　　日期：2021年6月11日

一、本周完成
1. 巴基斯坦移动运营商话单：完成五月份增量入库，共计约六千三百万条，已按号段和基站分区。
2. 哈萨克斯坦运营商话单：每日增量稳定在两千万条左右，新申请的两块硬盘已到位。
3. 配合数据分析部完成一次号码归属地标注，准确率抽检约百分之九十七。

二、存在问题
1. 存储服务器 198.51.100.9 剩余空间不足百分之十，需尽快扩容；
2. 部分话单字段缺失基站编号，需与原始数据核对；
3. 重庆分部借用的两台测试机尚未归还。

三、下周计划
1. 编写话单查询脚本，支持按主叫、被叫、时间段检索；
2. 整理运营商用户表样本，交付甲方前做脱敏处理；
3. 参加周三下午的安洵项目例会。

备注：本周加班两天，调休申请已提交综合部。
"""

BIG5_TEXT = """臺灣方向 工作筆記（2020年11月）

一、目標概況
本次任務涉及臺灣某電信業者與某大學。電信業者的客服系統與用戶資料庫之間有同步介面，資料每日凌晨更新一次。大學方面，國際事務學院的教授與外交部有固定的郵件往來，附件多為會議紀要與出訪行程。

二、已整理資料
1. 電信業者對外 VPN 閘道清單，共六臺，版本資訊已記錄；
2. 大學郵件系統登入頁面截圖兩張；
3. 公開論壇上洩露的內部網址十二條。

三、注意事項
甲方尚未正式授權，暫不進行任何探測以外的操作。所有資料僅存放於內部共享目錄，不得複製到個人電腦。電信業者的話單數據不在本次範圍內，涉及銀行與護照資訊的內容一律不收集。

記錄人：小七
"""

UTF16_TEXT = """会议纪要 Meeting minutes — 产品路线图 Product roadmap 2023

时间 Date: 2023-02-14 15:00-16:30
地点 Venue: 成都研发中心 3 号会议室 / Meeting room 3, Chengdu R&D
参会 Attendees: 产品-阿杰, 销售-Lucy, Mint, Ray, wxid_n2b6v9c3x7z1m4

1. Falcon-X 3.0
   - 新增 macOS 被控端 (new macOS implant), 预计 Q3 发布。
   - 中转协议改为 WebSocket over TLS，默认端口 443。
2. HiveMail
   - 增加 Gmail / Outlook OAuth token 导入 (token import)。
   - 泰国、越南客户反馈翻译接口太慢 — customers working on Thailand and Vietnam complained
     that the translation API is too slow; 改为本地部署翻译模型。
3. Beacon
   - 账号存活率下降到 60%，需要更换代理供应商 (switch proxy vendor)。
4. 其他 Other
   - 销售反馈：甲方希望按季度付款，财务不同意。
   - Action items: Mint 负责整理需求文档，下周五前提交。
"""

UTF8BOM_MD = """# 数据交付说明

本目录为交付给甲方的样本数据，请在内网环境查阅，不得外传。

| 文件 | 内容 | 来源 | 大小 |
| --- | --- | --- | --- |
| mea_mail_2019Q1.zip | 印度外交部领事司邮件 | 邮服同步 | 3.2 GB |
| vn_mofa_2022.zip | 越南外交部邮件（节选） | Exchange | 6.8 GB |
| checkin_steppe_air.csv | 航空公司值机记录 | 离港系统备份 | 140 MB |
| hk_forum_users.csv | 论坛注册用户表 | 数据库导出 | 38 MB |

## 使用说明

1. 所有 CSV 文件均为 UTF-8 编码，首行为字段名；
2. 邮件压缩包内为 .eml 格式，可直接导入邮件客户端；
3. 涉及个人敏感信息的字段（证件号、手机号）已部分脱敏；
4. 如有疑问请联系对接人，不要通过公共邮箱沟通。

交付日期：2023 年 3 月 1 日
"""

BROKEN_JSON = '{"version": "2.1", "servers": [{"host": "198.51.100.9", "port": 44'


def write(rel: str, data: bytes) -> None:
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"{rel}: {len(data)} bytes")


def garbage(seed: int = 20240216, size: int = 4096) -> bytes:
    rng = random.Random(seed)
    buf = bytearray(rng.getrandbits(8) for _ in range(size))
    # Make sure the file is unmistakably binary: runs of NULs at fixed offsets.
    for off in (0, 7, 8, 512, 1024, 2049, 4000):
        buf[off] = 0
    buf[100:116] = bytes(16)
    return bytes(buf)


def main() -> None:
    write("encoded/weekly_report_gbk.txt", GBK_TEXT.encode("gbk"))
    write("encoded/taiwan_notes_big5.txt", BIG5_TEXT.encode("big5"))
    # Explicit BOM + little-endian, independent of the platform's native byte order.
    write("encoded/meeting_minutes_utf16.txt", b"\xff\xfe" + UTF16_TEXT.encode("utf-16-le"))
    write("encoded/delivery_readme_utf8bom.md", UTF8BOM_MD.encode("utf-8-sig"))
    write("broken/empty.txt", b"")
    write("broken/broken.json", BROKEN_JSON.encode("utf-8"))
    write("broken/garbage.txt", garbage())


if __name__ == "__main__":
    main()
