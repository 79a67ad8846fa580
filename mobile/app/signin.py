"""Sign-in screen."""

from __future__ import annotations

import httpx

from mobile.app.base import BaseScreen
from mobile.online import OnlineAuth
from mobile.presenters.signin import SignInPresenter


class SignInScreen(BaseScreen):
    def presenter(self) -> SignInPresenter:
        context = self.context

        def online() -> OnlineAuth:
            return OnlineAuth(httpx.Client(timeout=10), context.settings.get("server_url"))

        return SignInPresenter(context.accounts, online, context.settings.device_id(), context.lang)

    def refresh(self) -> None:
        view = self.presenter().view()
        self.ids.known.text = ", ".join(view.known_users)
        if not self.ids.username.text:
            self.ids.username.text = self.context.settings.get("last_user")
        self.ids.message.text = ""

    def submit(self) -> None:
        presenter = self.presenter()
        account = presenter.sign_in(self.ids.username.text, self.ids.secret.text)
        self.ids.secret.text = ""
        if account is None:
            self.ids.message.text = presenter.message
            return
        self.context.signed_in(account)
        self.app.show("home")
