"""Article pages and the JSON API."""

from apistar import App

from apistellar import Controller, Session, get, post, route, settings

from .article import Article
from .service import ArticleService


@route("", name="site")
class SiteController(Controller):
    @get("/")
    def index(self, app: App, service: ArticleService) -> str:
        return app.render_template("index.html", title=settings.SITE_TITLE, articles=service.all())


@route("/api/articles", name="article")
class ArticleController(Controller):
    @get("/")
    async def list(self, service: ArticleService) -> list:
        return service.all()

    @post("/")
    async def create(self, article: Article, service: ArticleService, session: Session) -> dict:
        return service.create(article, session.get("user"))

    @get("/{article_id}")
    async def show(self, article_id: int, service: ArticleService) -> dict:
        return service.get(article_id)
