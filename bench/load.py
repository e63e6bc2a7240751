"""A small HTTP client with cookies, and a bounded load: a fixed number of requests, a time limit,
a few threads, loopback only."""

import http.client
import re
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


@dataclass
class Client:
    """One visitor: keeps the cookies the server sets, like a browser would."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, *, form=None, json_body=None, headers=None) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            import json

            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for value in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Response(answer.status, dict(answer.headers.items()), content, seconds)

    def form_token(self, path: str) -> str:
        """GET a page with a form and return its CSRF token (the cookie is kept)."""
        page = self.request("GET", path)
        match = CSRF_INPUT.search(page.body)
        if page.status != 200 or match is None:
            raise RuntimeError(f"GET {path} answered {page.status} without a CSRF token")
        return match.group(1).decode()

    def api_token(self) -> str:
        self.request("GET", "/api/v1/auth/csrf")
        return self.cookies["csrftoken"]


@dataclass
class Load:
    """What a bounded load achieved."""

    done: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0]
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(p) - 1]

    def __add__(self, other: "Load") -> "Load":
        return Load(
            self.done + other.done,
            self.errors + other.errors,
            self.seconds + other.seconds,
            self.latencies + other.latencies,
        )


def run_load(requests: list[Callable[[], bool]], *, threads: int, time_limit: float) -> Load:
    """Send the prepared requests from `threads` threads until all are done or time runs out.

    Each callable sends one request and says whether the answer was the expected one.
    """
    lock = threading.Lock()
    pending = list(reversed(requests))
    latencies: list[float] = []
    counts = {"done": 0, "errors": 0}
    deadline = time.perf_counter() + time_limit

    def worker():
        while time.perf_counter() < deadline:
            with lock:
                if not pending:
                    return
                send = pending.pop()
            started = time.perf_counter()
            ok = send()
            elapsed = time.perf_counter() - started
            with lock:
                counts["done" if ok else "errors"] += 1
                latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(worker) for _ in range(threads)]:
            future.result()
    return Load(counts["done"], counts["errors"], time.perf_counter() - started, latencies)
