"""Notifications (thông báo): in-app and email, deadline reminders, daily digests."""
