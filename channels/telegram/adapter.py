"""Telegram updates to channel-neutral chat input, and chat replies to Bot API calls."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from telegram import (InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, MessageEntity,
                      ReplyKeyboardMarkup, Update)

from channels.chat import ChatEvent, ChatInbound, ChatReply

TEXT_LIMIT = 4096  # Bot API sendMessage limit


def to_inbound(update: Update) -> ChatInbound:
    """Convert one Update; updates of no chat, or of kinds we do not take, say why."""
    raw = json.dumps(update.to_dict(), ensure_ascii=False).encode()
    base = dict(channel="telegram", key=str(update.update_id), seq=update.update_id, raw=raw)
    now = datetime.now(timezone.utc)
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat if query.message else None
        return ChatInbound(**base, chat_id=str(chat.id) if chat else str(query.from_user.id),
                           event=ChatEvent("choice", text=query.data or ""), received_at=now,
                           name=query.from_user.full_name, extra={"callback_id": query.id})
    edited = update.edited_message
    if edited is not None:
        return ChatInbound(**base, chat_id=str(edited.chat_id), event=ChatEvent("edited"),
                           received_at=edited.edit_date or now, name=_name(edited))
    message = update.message
    if message is None:
        return ChatInbound(**base, chat_id=None, event=None, received_at=now,
                           note="update of a kind the bot does not take (no message)")
    return ChatInbound(**base, chat_id=str(message.chat_id), event=_event(message),
                       received_at=message.date or now, name=_name(message))


def _name(message) -> str | None:
    return message.from_user.full_name if message.from_user else None


def _event(message) -> ChatEvent:
    entities = message.entities or ()
    if message.text and any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in entities):
        head, _, arg = message.text.partition(" ")
        return ChatEvent("command", text=head[1:].split("@")[0].lower(), arg=arg.strip())
    if message.text:
        return ChatEvent("text", text=message.text)
    if message.contact is not None:
        return ChatEvent("contact", text=message.contact.phone_number or "")
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return ChatEvent("file", text=message.caption or "", file={
            "ref": photo.file_id, "name": f"foto-{photo.file_unique_id}.jpg", "type": "image/jpeg",
            "size": photo.file_size or 0})
    if message.document is not None:
        doc = message.document
        return ChatEvent("file", text=message.caption or "", file={
            "ref": doc.file_id, "name": doc.file_name or f"dokumen-{doc.file_unique_id}",
            "type": doc.mime_type or "application/octet-stream", "size": doc.file_size or 0})
    return ChatEvent("unsupported")  # stickers, locations, voice notes, videos, polls …


def markup(reply: ChatReply):
    """Inline buttons for choices, the share-contact keyboard for the contact question."""
    if reply.ask_contact:
        label = reply.buttons[0][1] if reply.buttons else "Kontak"
        return ReplyKeyboardMarkup([[KeyboardButton(label, request_contact=True)]],
                                   one_time_keyboard=True, resize_keyboard=True)
    if reply.buttons:
        return InlineKeyboardMarkup([[InlineKeyboardButton(label[:64], callback_data=value[:64])]
                                     for value, label in reply.buttons])
    return None


def chunks(text: str) -> list[str]:
    """Split a long text at the Bot API limit."""
    return [text[i:i + TEXT_LIMIT] for i in range(0, len(text), TEXT_LIMIT)] or [""]


async def send_replies(bot, chat_id: str, replies: list[ChatReply]) -> list[int]:
    """Send the replies in order; returns the Telegram message ids."""
    ids = []
    for reply in replies:
        kb = markup(reply)
        parts = chunks(reply.text)
        for i, part in enumerate(parts):
            sent = await bot.send_message(chat_id=chat_id, text=part,
                                          reply_markup=kb if i == len(parts) - 1 else None)
            ids.append(sent.message_id)
    return ids


async def download(bot, file_id: str) -> bytes:
    """Fetch a file by its id: getFile, then the file download URL."""
    tg_file = await bot.get_file(file_id)
    return bytes(await tg_file.download_as_bytearray())
