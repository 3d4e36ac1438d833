"""Storing, masking and revealing reporter identities; tampering; key rotation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from giamsat.cases import key_rotation, protection
from giamsat.cases.models import CaseEvent, DataKey, ReporterIdentity, ReporterMode
from giamsat.core.acting import acting
from giamsat.core.audit import AuditEntry
from giamsat.core.errors import Forbidden, NotFound, Unavailable, ValidationFailed
from tests.plugins.protection import IDENTITY, K1, K2, NEEDLES

REASON = "Xác minh đơn tố cáo theo yêu cầu của cấp ủy"


def _identity_row(session, case):
    return session.scalar(select(ReporterIdentity).where(ReporterIdentity.case_id == case.id))


def test_round_trip_normalises_whitespace_and_keeps_no_plaintext(alpha, bare_case, people):
    case = bare_case()
    protection.store_identity(
        alpha,
        case,
        {
            "name": "  Trần Thị\tBảo   Mật ",
            "contact": IDENTITY["contact"],
            "address": IDENTITY["address"],
        },
    )
    row = _identity_row(alpha, case)
    assert protection.has_identity(alpha, case.id)
    for needle in NEEDLES:
        assert needle.encode() not in row.ciphertext
    key = alpha.get(DataKey, row.data_key_id)
    assert key.is_active and key.master_key_id == "k1" and len(key.wrapped_key) == 12 + 32 + 16
    assert protection.reveal_identity(alpha, people["x-leader"], case, reason=REASON) == IDENTITY


def test_one_data_key_serves_every_identity_of_the_tenant(alpha, bare_case):
    first, second = bare_case(), bare_case(ReporterMode.open)
    protection.store_identity(alpha, first, {"name": "A"})
    protection.store_identity(alpha, second, {"contact": "0900"})
    assert alpha.scalar(select(func.count()).select_from(DataKey)) == 1
    assert _identity_row(alpha, first).data_key_id == _identity_row(alpha, second).data_key_id


def test_storing_again_replaces_the_identity(alpha, bare_case, people):
    case = bare_case()
    protection.store_identity(alpha, case, {"name": "Tên cũ"})
    protection.store_identity(alpha, case, IDENTITY)
    assert (
        alpha.scalar(
            select(func.count())
            .select_from(ReporterIdentity)
            .where(ReporterIdentity.case_id == case.id)
        )
        == 1
    )
    assert protection.reveal_identity(alpha, people["x-leader"], case, reason=REASON) == IDENTITY


def test_anonymous_cases_keep_no_identity(alpha, bare_case):
    case = bare_case(ReporterMode.anonymous)
    protection.store_identity(alpha, case, None)
    protection.store_identity(alpha, case, {"name": "  ", "contact": ""})
    assert not protection.has_identity(alpha, case.id)
    with pytest.raises(ValidationFailed) as info:
        protection.store_identity(alpha, case, {"name": "Nguyễn Văn An"})
    assert "reporter_mode" in info.value.errors
    assert alpha.scalar(select(func.count()).select_from(ReporterIdentity)) == 0
    # Not even a data key was made for nothing.
    assert alpha.scalar(select(func.count()).select_from(DataKey)) == 0


@pytest.mark.parametrize("identity", [None, {}, {"address": "Thôn Một"}, {"name": " "}])
def test_confidential_and_open_need_a_name_or_a_contact(alpha, bare_case, identity):
    for mode in (ReporterMode.confidential, ReporterMode.open):
        with pytest.raises(ValidationFailed) as info:
            protection.store_identity(alpha, bare_case(mode), identity)
        assert "reporter" in info.value.errors


def test_identity_fields_are_checked(alpha, bare_case):
    with pytest.raises(ValidationFailed):
        protection.store_identity(alpha, bare_case(), {"name": "A", "cccd": "0123"})
    with pytest.raises(ValidationFailed) as info:
        protection.store_identity(alpha, bare_case(), {"name": "A" * 201})
    assert "reporter.name" in info.value.errors


@pytest.fixture()
def bare_app():
    """A Flask app with Babel and settings lacking master keys, without the whole giamsat app."""
    from flask import Flask
    from flask_babel import Babel

    from giamsat.core.config import Settings

    app = Flask(__name__)
    app.config["GIAMSAT"] = Settings()
    Babel(app)
    return app


def test_masks_never_show_the_person(bare_case, bare_app):
    assert protection.masked_reporter(bare_case(ReporterMode.anonymous)) == "Nặc danh"
    assert protection.masked_reporter(bare_case()) == "Đã ẩn danh tính (bảo mật)"
    assert protection.masked_reporter(bare_case(ReporterMode.open)) == "Đã ẩn danh tính"
    with bare_app.test_request_context("/"):
        assert protection.masked_reporter(bare_case()) == "Đã ẩn danh tính (bảo mật)"


# -- reveal --------------------------------------------------------------------------------------


@pytest.fixture()
def protected(alpha, bare_case):
    case = bare_case()
    protection.store_identity(alpha, case, IDENTITY)
    return case


@pytest.mark.parametrize("who", ["x-staff", "x-reader", "x-admin", "admin"])
def test_only_leaders_may_reveal(alpha, protected, people, who):
    assert not protection.can_reveal(people[who], protected)
    with pytest.raises(Forbidden):
        protection.reveal_identity(alpha, people[who], protected, reason=REASON)
    assert (
        alpha.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "reveal_identity")
        )
        == 0
    )


def test_a_sibling_communes_leader_does_not_even_see_the_case(alpha, protected, people):
    assert not protection.can_reveal(people["y-leader"], protected)
    with pytest.raises(NotFound):
        protection.reveal_identity(alpha, people["y-leader"], protected, reason=REASON)


def test_reveal_needs_a_stated_reason(alpha, protected, people):
    for reason in ("", "   ", "cần xem", "  ngắn  quá "):
        with pytest.raises(ValidationFailed) as info:
            protection.reveal_identity(alpha, people["x-leader"], protected, reason=reason)
        assert "reason" in info.value.errors


def test_reveal_is_audited_with_the_reason_and_without_the_identity(alpha, protected, people):
    leader = people["p-leader"]  # a leader of an ancestor unit may reveal too
    assert protection.can_reveal(leader, protected)
    with acting(leader, "req-1"):  # the request id comes from the context, as in a request
        assert protection.reveal_identity(alpha, leader, protected, reason=REASON) == IDENTITY
    entry = alpha.scalar(select(AuditEntry).where(AuditEntry.action == "reveal_identity"))
    assert (
        entry.actor_id,
        entry.actor_label,
        entry.object_type,
        entry.object_id,
        entry.request_id,
    ) == (leader.user_id, "alpha-p-leader", "case", str(protected.id), "req-1")
    assert entry.changes == {"reason": [None, REASON]}
    event = alpha.scalar(
        select(CaseEvent).where(
            CaseEvent.case_id == protected.id, CaseEvent.action == "reveal_identity"
        )
    )
    assert event.reason == REASON and event.actor_id == leader.user_id
    stored = alpha.scalars(select(AuditEntry).where(AuditEntry.object_id == str(protected.id)))
    dumped = " ".join(str(e.changes) for e in stored) + str(event.details)
    for needle in NEEDLES:
        assert needle not in dumped


def test_revealing_an_anonymous_case_finds_nothing(alpha, bare_case, people):
    case = bare_case(ReporterMode.anonymous)
    with pytest.raises(NotFound, match="không lưu danh tính"):
        protection.reveal_identity(alpha, people["x-leader"], case, reason=REASON)


# -- tampering -----------------------------------------------------------------------------------


def test_a_flipped_byte_is_detected(alpha, protected, people):
    row = _identity_row(alpha, protected)
    alpha.execute(
        text(
            "UPDATE t_alpha.reporter_identities "
            "SET ciphertext = overlay(ciphertext placing "
            "set_byte(substring(ciphertext from 20 for 1), 0, "
            "get_byte(substring(ciphertext from 20 for 1), 0) # 1) from 20 for 1) "
            "WHERE id = :id"
        ),
        {"id": row.id},
    )
    alpha.expire_all()
    with pytest.raises(Unavailable, match="đã bị thay đổi"):
        protection.reveal_identity(alpha, people["x-leader"], protected, reason=REASON)


def test_a_ciphertext_moved_to_another_case_does_not_decrypt(alpha, protected, bare_case, people):
    other = bare_case()
    alpha.execute(
        text("UPDATE t_alpha.reporter_identities SET case_id = :other WHERE case_id = :case"),
        {"other": other.id, "case": protected.id},
    )
    alpha.expire_all()
    with pytest.raises(Unavailable):
        protection.reveal_identity(alpha, people["x-leader"], other, reason=REASON)


def test_a_wrong_master_key_is_refused(alpha, protected, people):
    with protection.using_master_keys("k1:" + K2.split(":")[1]), pytest.raises(Unavailable):
        protection.reveal_identity(alpha, people["x-leader"], protected, reason=REASON)
    with protection.using_master_keys(K2):  # the key that wrapped it is not configured
        with pytest.raises(Unavailable):
            protection.reveal_identity(alpha, people["x-leader"], protected, reason=REASON)
        with pytest.raises(Unavailable):
            protection.store_identity(alpha, protected, IDENTITY)


def test_no_master_key_configured_refuses_before_writing(
    alpha, bare_case, monkeypatch, bare_app, caplog
):
    monkeypatch.delenv("GIAMSAT_MASTER_KEYS", raising=False)
    case = bare_case()
    token = protection._override.set(None)  # as in a process configured without keys
    try:
        with bare_app.app_context(), pytest.raises(Unavailable, match="thiếu khóa mã hóa"):
            protection.store_identity(alpha, case, IDENTITY)
    finally:
        protection._override.reset(token)
    assert not protection.has_identity(alpha, case.id)
    assert "no master key configured" in caplog.text  # the operator learns why


# -- rotation ------------------------------------------------------------------------------------


def test_master_key_rotation_then_rewrap_then_old_key_removed(alpha, protected, people, engine):
    leader = people["x-leader"]
    old_wrapped = alpha.scalar(select(DataKey.wrapped_key))
    with protection.using_master_keys(f"{K2},{K1}"):
        # The old master key still unwraps; new data keys would be wrapped by k2.
        assert protection.reveal_identity(alpha, leader, protected, reason=REASON) == IDENTITY
        assert key_rotation.rewrap_data_keys(alpha) == [_identity_row(alpha, protected).data_key_id]
        assert key_rotation.rewrap_data_keys(alpha) == []  # nothing left to do
    key = alpha.scalar(select(DataKey))
    assert key.master_key_id == "k2" and key.wrapped_key != old_wrapped
    assert alpha.scalar(
        select(AuditEntry).where(AuditEntry.action == "rewrap_data_keys")
    ).changes == {"master_key_id": [["k1"], "k2"]}
    with protection.using_master_keys(K2):
        assert protection.reveal_identity(alpha, leader, protected, reason=REASON) == IDENTITY
    with pytest.raises(Unavailable):  # k1 alone no longer opens it
        protection.reveal_identity(alpha, leader, protected, reason=REASON)


def test_rewrap_with_explicit_settings_needs_the_old_key(alpha, protected):
    from giamsat.core.config import Settings
    from giamsat.core.crypto import MasterKeyError

    with pytest.raises(MasterKeyError, match="'k1' is not configured"):
        key_rotation.rewrap_data_keys(alpha, Settings(master_keys=K2))
    assert len(key_rotation.rewrap_data_keys(alpha, Settings(master_keys=f"{K2},{K1}"))) == 1


def test_data_key_rotation_reencrypts_every_identity_in_batches(alpha, bare_case, people):
    cases = [bare_case() for _ in range(5)]
    for number, case in enumerate(cases):
        protection.store_identity(alpha, case, {**IDENTITY, "name": f"Người số {number}"})
    old_key = alpha.scalar(select(DataKey))
    before = {c.id: _identity_row(alpha, c).ciphertext for c in cases}
    batches = []
    report = key_rotation.rotate_data_key(alpha, batch_size=2, after_batch=batches.append)
    alpha.expire_all()
    assert batches == [2, 4, 5] and report.reencrypted == 5
    assert report.retired_key_ids == (old_key.id,)
    keys = {k.id: k for k in alpha.scalars(select(DataKey))}
    assert [k.id for k in keys.values() if k.is_active] == [report.data_key_id]
    assert keys[old_key.id].retired_at is not None
    for number, case in enumerate(cases):
        row = _identity_row(alpha, case)
        assert row.data_key_id == report.data_key_id and row.ciphertext != before[case.id]
        assert (
            protection.reveal_identity(alpha, people["x-leader"], case, reason=REASON)["name"]
            == f"Người số {number}"
        )
    # New identities go to the new key.
    fresh = bare_case()
    protection.store_identity(alpha, fresh, IDENTITY)
    assert _identity_row(alpha, fresh).data_key_id == report.data_key_id
    entry = alpha.scalar(select(AuditEntry).where(AuditEntry.action == "rotate_data_key"))
    assert entry.changes == {"retired": [None, [old_key.id]]}
