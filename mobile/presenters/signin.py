"""Sign-in: offline against the local verifier when the user is known here, online otherwise
(the first time, or after too many wrong attempts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mobile.i18n import Lang, tr
from mobile.online import OnlineAuth, OnlineSignInFailed
from mobile.store.accounts import Account, Accounts, SignInRefused


@dataclass(frozen=True)
class SignInView:
    known_users: tuple[str, ...]
    message: str
    busy: bool


class SignInPresenter:
    """``online`` is None when no server is configured or reachable paths are disabled."""

    def __init__(
        self,
        accounts: Accounts,
        online: Callable[[], OnlineAuth] | None,
        device_id: str,
        lang: Lang = "vi",
    ) -> None:
        self.accounts = accounts
        self.online = online
        self.device_id = device_id
        self.lang = lang
        self.message = ""
        self.busy = False
        self.changed: Callable[[], None] = lambda: None

    def view(self) -> SignInView:
        return SignInView(tuple(self.accounts.known()), self.message, self.busy)

    def sign_in(self, username: str, secret: str) -> Account | None:
        """Return the signed-in account, or None with ``message`` saying why."""
        username = username.strip()
        self.message = ""
        try:
            account = self.accounts.sign_in_offline(username, secret)
        except SignInRefused as refused:
            if refused.reason == "wrong_secret" or self.online is None:
                self.message = tr(refused.reason, self.lang)
                self.changed()
                return None
        else:
            if self.online is None or self.accounts.tokens(account).get("refresh_token"):
                return account
            # No server session here (never had one, or the server ended it): renew it now if
            # the server answers, else work offline and let the sync screen say so.
            try:
                signed = self.online().sign_in(username, secret, self.device_id, "tablet")
            except OnlineSignInFailed:
                return account
            return self.accounts.remember(signed.profile, secret, signed.tokens)
        try:
            signed = self.online().sign_in(username, secret, self.device_id, "tablet")
        except OnlineSignInFailed as failed:
            key = (
                failed.reason if failed.reason in ("invalid_credentials", "offline") else "offline"
            )
            self.message = tr(key, self.lang)
            self.changed()
            return None
        return self.accounts.remember(signed.profile, secret, signed.tokens)
