"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives; optional login and TLS."""
from __future__ import annotations

import ssl
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.integration.dovecot import free_port


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.sink.refuse.get(address.lower())
        if code:
            return f"{code} no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.sink.fail_data:
            self.sink.fail_data -= 1
            return "451 try again later"
        self.sink.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


class SmtpSink:
    """``mode``: plain, starttls (required) or ssl; with ``user`` set, login is required."""

    def __init__(self, *, mode: str = "plain", user: str | None = None, password: str | None = None,
                 cert=None, key=None):
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse: dict[str, int] = {}  # recipient -> SMTP code to refuse it with
        self.fail_data = 0  # answer DATA with 451 this many times
        self.port = free_port()
        kwargs = {}
        if mode != "plain":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(cert), str(key))
            if mode == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs.update(ssl_context=context)
        if user:
            # aiosmtpd only knows of TLS it started itself (STARTTLS), so implicit TLS must not require it.
            kwargs.update(authenticator=self._authenticator(user, password), auth_required=True,
                          auth_require_tls=mode == "starttls")
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                     server_hostname="localhost", **kwargs)

    @staticmethod
    def _authenticator(user: str, password: str):
        def check(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False)
        return check

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def messages(self) -> list[EmailMessage]:
        return [BytesParser(policy=policy.default).parsebytes(raw) for _, _, raw in self.received]
