"""`framing classify` given web pages, Markdown, file names and addresses: what
comes out, and the hints for a path typed as text. Pages are served by a local
HTTP server on 127.0.0.1, never fetched from the internet."""

import http.server
import json
import threading

import pytest
from _pages import MARKDOWN_POST, MARKDOWN_POST_PARAGRAPHS, NEWS, STATEMENT

from framing.cli import app
from framing.errors import InputError
from framing.text.fetch import fetch_document, is_url

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4


class _Handler(http.server.BaseHTTPRequestHandler):
    # path -> (status, content type, body)
    routes = {
        "/news.html": (200, "text/html; charset=utf-8", NEWS.html.encode("utf-8")),
        "/statement": (
            200,
            "text/html; charset=windows-1252",
            STATEMENT.html.encode("cp1252"),
        ),
        "/post.md": (200, "text/markdown", MARKDOWN_POST.encode("utf-8")),
        "/plain": (200, "text/plain", b"Police chief resigns\n\nThe chief left."),
        "/report.pdf": (200, "application/pdf", PDF),
        "/empty": (200, "text/html", b"   "),
        "/big": (200, "text/html", b"<p>" + b"police " * 2000 + b"</p>"),
    }

    def do_GET(self):
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/news.html")
            self.end_headers()
            return
        status, content_type, body = self.routes.get(
            self.path, (404, "text/html", b"<h1>Not Found</h1>")
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def classify_json(runner, tiny_model, *args):
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), "--json", *args]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def texts(result: dict) -> list[str]:
    return [row["text"] for row in result["paragraphs"]]


def test_classify_url_labels_the_article_of_the_page(runner, tiny_model, server):
    result = classify_json(runner, tiny_model, f"{server}/news.html")
    assert texts(result) == [NEWS.title, *NEWS.paragraphs]
    assert result["document"] == {
        "format": "html",
        "title": NEWS.title,
        "date": NEWS.date,
        "url": f"{server}/news.html",
    }


def test_classify_url_follows_a_redirect_and_reports_where_it_ended(
    runner, tiny_model, server
):
    result = classify_json(runner, tiny_model, f"{server}/moved")
    assert result["document"]["url"] == f"{server}/news.html"


def test_classify_url_decodes_the_charset_the_server_names(runner, tiny_model, server):
    result = classify_json(runner, tiny_model, f"{server}/statement")
    assert texts(result) == [STATEMENT.title, *STATEMENT.paragraphs]


def test_classify_url_reads_markdown_and_plain_text(runner, tiny_model, server):
    assert texts(classify_json(runner, tiny_model, f"{server}/post.md")) == (
        MARKDOWN_POST_PARAGRAPHS
    )
    plain = classify_json(runner, tiny_model, f"{server}/plain")
    assert texts(plain) == ["Police chief resigns", "The chief left."]
    assert plain["document"] == {"format": "text", "url": f"{server}/plain"}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "the server answered 404 Not Found"),
        ("/report.pdf", "is application/pdf, not a web page or text"),
        ("/empty", "the page is empty"),
        ("/big", "over the 5,000-byte limit"),
    ],
)
def test_classify_url_that_is_not_a_usable_page_is_one_error(
    runner, tiny_model, server, path, message
):
    result = runner.invoke(
        app,
        ["classify", "--model", str(tiny_model), "--max-bytes", "5000", server + path],
    )
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {server}{path}: {message}\n" or (
        result.stderr.startswith("Error: ") and message in result.stderr
    )
    assert result.stderr.count("\n") == 1


def test_classify_url_of_a_closed_port_says_it_could_not_fetch(server):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(InputError, match="could not fetch it"):
        fetch_document(f"http://127.0.0.1:{port}/x", timeout=5)


@pytest.mark.parametrize(
    "url", ["http://[::1", "http://127.0.0.1:port/x", "http://" + "a" * 70 + ".org/"]
)
def test_classify_url_that_is_malformed_is_an_input_error(url):
    """Addresses that match http(s)://... but that urllib cannot use (a broken
    IPv6 host, a port that is no number, a host name label over 63 letters)
    are the user's to fix, not 'unexpected' errors."""
    with pytest.raises(InputError, match="is not a valid address"):
        fetch_document(url, timeout=5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.org/news/met-chief", True),
        ("  http://127.0.0.1:8000/a.html\n", True),
        ("ftp://example.org/a.txt", False),
        ("file:///etc/passwd", False),
        ("see https://example.org for more", False),
        ("https://", False),
    ],
)
def test_classify_is_url(text, expected):
    assert is_url(text) is expected


def test_classify_file_html_reads_the_article(runner, tiny_model, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(NEWS.html, encoding="utf-8")
    result = classify_json(runner, tiny_model, "--file", str(path))
    assert texts(result) == [NEWS.title, *NEWS.paragraphs]
    assert result["document"]["title"] == NEWS.title


def test_classify_file_markdown_drops_the_markup(runner, tiny_model, tmp_path):
    path = tmp_path / "post.md"
    path.write_text(MARKDOWN_POST, encoding="utf-8")
    assert texts(classify_json(runner, tiny_model, "--file", str(path))) == (
        MARKDOWN_POST_PARAGRAPHS
    )


def test_classify_pasted_html_on_stdin_is_read_as_a_page(runner, tiny_model):
    result = runner.invoke(
        app,
        ["classify", "--model", str(tiny_model), "--json"],
        input=NEWS.html,
    )
    assert result.exit_code == 0, result.output
    assert texts(json.loads(result.stdout)) == [NEWS.title, *NEWS.paragraphs]


def test_classify_table_names_the_title_on_stderr(runner, tiny_model, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(NEWS.html, encoding="utf-8")
    result = runner.invoke(
        app, ["classify", "--model", str(tiny_model), "--file", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"{path}: read as html; title {NEWS.title!r}, date '2024-03-12'\n"
    )


@pytest.mark.parametrize("name", ["article.txt", "notes/page.html", "corpus.csv"])
def test_classify_a_file_name_as_text_is_a_hint_to_use_file(runner, tiny_model, name):
    result = runner.invoke(app, ["classify", "--model", str(tiny_model), name])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: {name!r} looks like a file name, not text; to classify what the "
        f"file says, use: framing classify --file {name}\n"
    )


def test_classify_an_existing_file_as_text_is_a_hint(runner, tiny_model, tmp_path):
    path = tmp_path / "my article"
    path.write_text("Police said.")
    result = runner.invoke(app, ["classify", "--model", str(tiny_model), str(path)])
    assert result.exit_code == 2
    assert f"use: framing classify --file {path}" in result.stderr


def test_classify_a_folder_as_text_is_a_hint_to_use_score(runner, tiny_model, tmp_path):
    result = runner.invoke(app, ["classify", "--model", str(tiny_model), str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path} is a folder; to score every article in it, use: "
        f"framing score {tmp_path}\n"
    )


@pytest.mark.parametrize(
    "text", ["Police.", "The report.txt was leaked, officers said.", "e.g. reform"]
)
def test_classify_prose_is_not_mistaken_for_a_file_name(runner, tiny_model, text):
    result = runner.invoke(app, ["classify", "--model", str(tiny_model), text])
    assert result.exit_code == 0, result.output
