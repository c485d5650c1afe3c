"""One long-lived event loop in a background thread that owns the python-telegram-bot Bot.

python-telegram-bot is asyncio; Flask views, jobs and outbox senders are synchronous. They hand
coroutines to this loop with ``run_coroutine_threadsafe`` instead of calling ``asyncio.run()``
per call, which would close the loop under the Bot's shared HTTP client ("Event loop is
closed") after a message may already have gone out.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import threading

from telegram import Bot
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_runtimes: dict[tuple[str, str], "TelegramRuntime"] = {}


class TelegramRuntime:
    """A started loop thread and an initialised Bot for one token and API base."""

    def __init__(self, token: str, api_base: str):
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="telegram-loop", daemon=True)
        self._thread.start()
        base = api_base.rstrip("/")

        async def build() -> Bot:
            bot = Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
                      request=HTTPXRequest(connection_pool_size=8),
                      get_updates_request=HTTPXRequest(read_timeout=40))
            await bot.initialize()  # getMe: fails fast on a wrong token
            return bot

        try:
            self.bot: Bot = self.submit(build())
        except BaseException:
            self._halt()
            raise

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coro, timeout: float = 60):
        """Run ``coro`` on the bot's loop and wait for its result (exceptions propagate)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        try:
            self.submit(self.bot.shutdown(), timeout=10)
        except Exception:  # shutting down: log, never raise
            logger.exception("telegram bot shutdown failed")
        self._halt()

    def _halt(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        if not self._thread.is_alive():
            self.loop.close()


def get(token: str, api_base: str) -> TelegramRuntime:
    """The running runtime for this bot, started on first use."""
    with _lock:
        rt = _runtimes.get((token, api_base))
        if rt is None:
            rt = _runtimes[(token, api_base)] = TelegramRuntime(token, api_base)
            logger.info("telegram runtime started against %s", api_base)
        return rt


def stop_all() -> None:
    """Stop every runtime (tests, process exit)."""
    with _lock:
        runtimes = list(_runtimes.values())
        _runtimes.clear()
    for rt in runtimes:
        rt.stop()


atexit.register(stop_all)
