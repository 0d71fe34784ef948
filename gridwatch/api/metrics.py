"""Prometheus metrics of one API app (own registry, so several apps in one process never clash)."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "gridwatch_http_requests", "HTTP requests by route template, method and status.",
            ["route", "method", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "gridwatch_http_request_seconds", "Time to the response's first byte, by route.",
            ["route"], registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.feed_clients = Gauge(
            "gridwatch_feed_clients", "Live-feed (SSE) clients connected now.",
            registry=self.registry,
        )
        self.feed_events = Counter(
            "gridwatch_feed_events", "Events sent on the live feed, by kind.", ["kind"],
            registry=self.registry,
        )
        self.actions = Counter(
            "gridwatch_alert_actions", "Operator actions on alerts, by action and outcome.",
            ["action", "outcome"], registry=self.registry,
        )
        self.logins = Counter(
            "gridwatch_logins", "Login attempts by outcome.", ["outcome"], registry=self.registry
        )


class MetricsMiddleware:
    """Counts every HTTP request by its route template (never the raw path: no id explosion)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                route = scope.get("route")
                self.metrics.latency.labels(_template(route)).observe(
                    time.perf_counter() - started
                )
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            route = _template(scope.get("route"))
            self.metrics.requests.labels(route, scope.get("method", ""), str(status)).inc()


def _template(route: object) -> str:
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"
