"""The supervision register: people under supervision, assignments, plans and activities,
recommendations with their follow-up, and dialogues (QĐ 124-QĐ/TW)."""
