"""Notification texts and emails, Vietnamese with an English catalog of their own."""
