"""More data for `lists.py` on top of `rollup_data.py`'s cases and activities: words a search
can find (Vietnamese titles, contents and people concerned, family names in their real
proportions), scanned letters with OCR text, registers of people supervised, recommendations,
and a province user with a year of notifications. Rows go in with COPY (explicit ids)."""

from __future__ import annotations

import datetime as dt
import json
import random

from giamsat.cases.queries import fold

#: Family names weighted roughly as in the population (Nguyễn ≈ 38 %).
FAMILIES = (
    ["Nguyễn"] * 38
    + ["Trần"] * 11
    + ["Lê"] * 9
    + ["Phạm"] * 7
    + ["Hoàng"] * 5
    + ["Phan"] * 4
    + ["Vũ"] * 4
    + ["Đặng"] * 3
    + ["Bùi"] * 3
    + ["Đỗ"] * 3
    + ["Hồ"] * 3
    + ["Ngô"] * 3
    + ["Dương"] * 2
    + ["Lý"] * 2
    + ["Đinh"] * 2
    + ["Trịnh"]
)
MIDDLES = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Hữu", "Xuân", "Hồng")
GIVENS = (
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh",
    "Lan", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thắng",
    "Thảo", "Trang", "Tuấn", "Vân", "Việt", "Yến",
)  # fmt: skip
TOPICS = (
    "đường giao thông xuống cấp", "ô nhiễm môi trường", "cấp giấy chứng nhận quyền sử dụng đất",
    "thu phí sai quy định", "cán bộ gây phiền hà", "xây dựng trái phép", "chế độ người có công",
    "tiếng ồn karaoke", "bồi thường giải phóng mặt bằng", "nước sinh hoạt", "chợ tạm lấn chiếm",
    "hộ nghèo bình xét", "rác thải sinh hoạt", "trật tự an toàn giao thông", "đất đai tranh chấp",
    "học phí trường mầm non", "bảo hiểm y tế", "điện chiếu sáng", "kênh mương thủy lợi",
    "chăn nuôi gây mùi", "khai thác cát", "nhà văn hóa thôn", "trợ cấp bảo trợ xã hội",
    "quỹ đóng góp", "hồ sơ hành chính chậm", "lấn chiếm hành lang", "cây xanh", "dịch bệnh",
)  # fmt: skip
PREFIXES = ("Phản ánh về", "Kiến nghị về", "Đơn về", "Tố cáo về", "Góp ý về")
CASE_STATUSES = (
    ["received"] * 3 + ["verifying", "awaiting_response", "awaiting_response", "handled"]
    + ["responded", "closed", "closed"]
)  # fmt: skip
PEOPLE_PER_COMMUNE, PEOPLE_PER_AREA = 30, 2
RECOMMENDATIONS = 20_000
USERS, NOTIFICATIONS, OWN_NOTIFICATIONS = 200, 150_000, 6_000


def name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILIES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"


def seed_more(raw, schema: str, tree: dict, rng: random.Random) -> None:
    cur = raw.cursor()
    _case_words(cur, schema, rng)
    _letters(cur, schema, tree, rng)
    _people(cur, schema, tree, rng)
    _recommendations(cur, schema, rng)
    _notifications(cur, schema, rng)
    raw.commit()
    for table in ("cases", "letters", "letter_pages", "supervised_people", "recommendations"):
        cur.execute(f"ANALYZE {schema}.{table}")
    cur.execute(f"ANALYZE {schema}.notifications")
    raw.commit()


def _case_words(cur, schema: str, rng: random.Random) -> None:
    """Rewrite the generator's placeholder words (all "Phản ánh") into searchable ones; the
    trigram index is rebuilt once after, not maintained row by row."""
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s"
        " AND indexname LIKE 'ix\\_cases\\_search%%'",
        (schema,),
    )
    indexes = cur.fetchall()
    for indexname, _ in indexes:
        cur.execute(f"DROP INDEX {schema}.{indexname}")
    cur.execute(f"SELECT id FROM {schema}.cases")
    ids = [row[0] for row in cur.fetchall()]
    cur.execute(
        "CREATE TEMP TABLE case_words (id int, title text, content text, concerned text,"
        " status text) ON COMMIT DROP"
    )
    with cur.copy("COPY case_words FROM STDIN") as copy:
        for case_id in ids:
            topic = rng.choice(TOPICS)
            concerned = name(rng) if rng.random() < 0.6 else ""
            content = (
                f"Người dân thôn {rng.randrange(1, 26)} phản ánh {topic}"
                + (f", liên quan ông/bà {concerned}" if concerned else "")
                + f"; đề nghị {rng.choice(('xem xét', 'giải quyết', 'kiểm tra', 'trả lời'))}."
            )
            copy.write_row(
                (case_id, f"{rng.choice(PREFIXES)} {topic}", content, concerned,
                 rng.choice(CASE_STATUSES))
            )  # fmt: skip
    cur.execute(
        f"UPDATE {schema}.cases c SET title = w.title, content = w.content,"
        " concerned = w.concerned, status = w.status FROM case_words w WHERE w.id = c.id"
    )
    for _, indexdef in indexes:
        cur.execute(indexdef)


def _letters(cur, schema: str, tree: dict, rng: random.Random) -> None:
    """A box per residential area, an opening per box and month, a letter (one file, one page
    of OCR text) for every suggestion-box case of a commune."""
    areas_of: dict[int, list[int]] = {}
    for area, commune in tree["areas"]:
        areas_of.setdefault(commune, []).append(area)
    box_of = {area: i + 1 for i, (area, _) in enumerate(tree["areas"])}
    with cur.copy(
        f"COPY {schema}.suggestion_boxes (id, unit_id, label_code, location, keeper,"
        " installed_on, status, notes) FROM STDIN"
    ) as copy:
        for area, box in box_of.items():
            copy.write_row((box, area, f"HT-{box}", "", "", dt.date(2025, 1, 1), "active", ""))
    cur.execute(
        f"SELECT id, unit_id, area_id, received_on, title FROM {schema}.cases"
        " WHERE channel = 'suggestion_box' AND unit_id <> %s ORDER BY id",
        (tree["province"],),
    )
    letters = cur.fetchall()
    openings: dict[tuple[int, int], int] = {}
    opening_rows = []
    for _, commune, area, received, _ in letters:
        box = box_of[area or areas_of[commune][0]]
        key = (box, received.month)
        if key not in openings:
            openings[key] = len(openings) + 1
            opened = dt.datetime.combine(received, dt.time(9), dt.UTC)
            opening_rows.append((openings[key], box, area or areas_of[commune][0], opened))
    with cur.copy(
        f"COPY {schema}.box_openings (id, box_id, unit_id, opened_at, witnesses, seal_condition,"
        " letters_found, notes) FROM STDIN"
    ) as copy:
        for opening, box, area, opened in opening_rows:
            copy.write_row((opening, box, area, opened, "[]", "intact", 0, ""))
    with (
        cur.copy(
            f"COPY {schema}.letters (id, opening_id, box_id, unit_id, case_id, version,"
            " ocr_status, ocr_attempts) FROM STDIN"
        ) as letter_copy,
    ):
        for i, (case_id, commune, area, received, _) in enumerate(letters, start=1):
            box = box_of[area or areas_of[commune][0]]
            letter_copy.write_row(
                (i, openings[(box, received.month)], box, commune, case_id, 1, "done", 1)
            )
    with cur.copy(
        f"COPY {schema}.letter_files (id, letter_id, position, object_key, original_name,"
        " content_type, size, sha256, page_count) FROM STDIN"
    ) as copy:
        for i in range(1, len(letters) + 1):
            copy.write_row((i, i, 0, f"letters/{i}.jpg", "scan.jpg", "image/jpeg", 1, "0", 1))
    with cur.copy(
        f"COPY {schema}.letter_pages (id, letter_id, case_id, file_id, page_number, text,"
        " search_text) FROM STDIN"
    ) as copy:
        for i, (case_id, _, _, _, title) in enumerate(letters, start=1):
            text = f"Kính gửi Ủy ban. Tôi là {name(rng)}, xin trình bày: {title.lower()}."
            copy.write_row((i, i, case_id, i, 1, text, fold(text)))
    # What the OCR job does after reading (`letters.case_text.refresh_search_extra`).
    cur.execute(
        f"UPDATE {schema}.cases c SET search_extra = p.search_text FROM {schema}.letter_pages p"
        " WHERE p.case_id = c.id"
    )
    for table in ("suggestion_boxes", "box_openings", "letters", "letter_files", "letter_pages"):
        cur.execute(
            f"SELECT setval('{schema}.{table}_id_seq', (SELECT max(id) FROM {schema}.{table}))"
        )


def _people(cur, schema: str, tree: dict, rng: random.Random) -> None:
    units = [c for c in tree["communes"] for _ in range(PEOPLE_PER_COMMUNE)]
    units += [a for a, _ in tree["areas"] for _ in range(PEOPLE_PER_AREA)]
    tiers = ("head", "key_cadre", "cadre")
    with cur.copy(
        f"COPY {schema}.supervised_people (unit_id, full_name, name_key, birth_year, position,"
        " tier, workplace_agency, workplace_unit, workplace_key, residence, management_level,"
        " is_party_member, notes, is_active) FROM STDIN"
    ) as copy:
        for i, unit in enumerate(units):
            full = name(rng)
            agency = f"UBND xã {unit}"
            copy.write_row(
                (unit, full, fold(full), 1960 + i % 40, "Cán bộ", rng.choice(tiers), agency, "",
                 fold(agency), "", "other", rng.random() < 0.7, "", rng.random() < 0.95)
            )  # fmt: skip


def _recommendations(cur, schema: str, rng: random.Random) -> None:
    cur.execute(
        f"SELECT id, unit_id, organization_id, starts_on FROM {schema}.supervision_activities"
    )
    activities = cur.fetchall()
    statuses = ("awaiting", "awaiting", "answered_accepted", "answered_explained", "withdrawn")
    with cur.copy(
        f"COPY {schema}.recommendations (unit_id, organization_id, activity_id, addressee_kind,"
        " addressee_name, content, issued_on, expected_answer, due_on, status, answer,"
        " withdrawn_reason) FROM STDIN"
    ) as copy:
        for _ in range(RECOMMENDATIONS):
            activity, unit, organization, starts = rng.choice(activities)
            copy.write_row(
                (unit, organization, activity, "authority", "UBND xã", "Kiến nghị", starts,
                 "accept", starts + dt.timedelta(days=30), rng.choice(statuses), "", "")
            )  # fmt: skip


def _notifications(cur, schema: str, rng: random.Random) -> None:
    """User 1 (the province leader measured) has OWN_NOTIFICATIONS; the others share the rest."""
    with cur.copy(
        f"COPY {schema}.users (id, username, full_name, password_hash, locale, is_active)"
        " FROM STDIN"
    ) as copy:
        for uid in range(1, USERS + 1):
            copy.write_row((uid, f"u{uid}", f"User {uid}", "!", "vi", True))
    cur.execute(f"SELECT setval('{schema}.users_id_seq', %s)", (USERS,))
    start = dt.datetime(2025, 12, 15, tzinfo=dt.UTC)
    with cur.copy(
        f"COPY {schema}.notifications (user_id, event_key, kind, title, params, link_values,"
        " created_at, read_at) FROM STDIN"
    ) as copy:
        for i in range(NOTIFICATIONS):
            user = 1 if i < OWN_NOTIFICATIONS else rng.randrange(2, USERS + 1)
            at = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
            read = at + dt.timedelta(hours=2) if rng.random() < 0.9 else None
            copy.write_row(
                (user, f"bench:{i}", "case_received", "Phản ánh", json.dumps({}), "{}", at, read)
            )
