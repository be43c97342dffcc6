"""Login, logout and who-am-I, with the Flask-compatible session."""

from apistellar import Controller, Session, get, require, route


@route("/account", name="account")
class AccountController(Controller):
    @get("/login")
    async def login(self, user: str, session: Session) -> dict:
        session["user"] = user
        return {"logged_in": user}

    @get("/logout")
    async def logout(self, session: Session) -> dict:
        session.clear()
        return {"logged_in": None}

    @get("/whoami")
    @require(Session)
    async def whoami(self, session: Session) -> dict:
        return {"user": session["user"]}
