"""Telegram through python-telegram-bot: a loop thread owning the Bot, payload conversion, replies."""
