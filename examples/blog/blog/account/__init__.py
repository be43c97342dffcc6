"""Accounts: login and logout with the session."""
