"""E-mail channel: parsing (parse.py); IMAP intake and SMTP delivery build on it."""
