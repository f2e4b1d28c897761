"""The HTTP client behind `factcmp sources check` and `factcmp source`: one
`httpx.AsyncClient` over small connection pools, with the environment's proxies and CA
bundle. With factcmp.sources.fetch, the only modules of factcmp that import httpx."""

from __future__ import annotations

import urllib.request
import zlib

import httpx

from factcmp.sources.limits import Limits

ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8"
POOL_SIZE = 8  # connections per pool (see `_Pools`)
POOL = "factcmp.pool"  # the request extension naming a request's pool


class _Pools(httpx.AsyncBaseTransport):
    """The connection pools behind the one client.

    httpcore's pool (1.0) does bookkeeping in proportion to its size, squared, on
    every request, with a poll() system call per idle connection. Measured against a
    local server answering in 50 ms, 500 URLs took 1.2 s with 30 workers through one
    pool, 4.6 s with 50 workers through one pool, and 0.8 s with 50 workers through
    pools of `POOL_SIZE`. So the connections are split among small pools; a request
    goes to the pool of its host and slot (`pool_index`), so that the connections to
    a host still number no more than the requests in flight to it (`per_host`).

    Proxies: httpx reads them from the environment only for a client without a
    transport of its own, so this transport does it, as httpx and requests do
    (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, through `urllib.request`).
    """

    def __init__(self, limits: Limits) -> None:
        count = -(-limits.workers // POOL_SIZE)
        self._limits = httpx.Limits(
            max_connections=limits.workers,
            max_keepalive_connections=-(-limits.workers // count),
        )
        # one TLS context for all (loading the CA bundle takes 25 ms); trust_env: the
        # bundle of SSL_CERT_FILE or SSL_CERT_DIR, when set
        self._tls = httpx.create_ssl_context(trust_env=True)
        self._pools = [self._transport() for _ in range(count)]
        self._env_proxies = {
            key: value if "://" in value else f"http://{value}"
            for key, value in urllib.request.getproxies().items()
            if key in ("http", "https", "all") and value
        }
        self._proxied: dict[str, httpx.AsyncHTTPTransport] = {}
        self._bypass: dict[str, bool] = {}

    def _transport(self, proxy: str | None = None) -> httpx.AsyncHTTPTransport:
        return httpx.AsyncHTTPTransport(verify=self._tls, limits=self._limits, proxy=proxy)

    def _proxy(self, url: httpx.URL) -> str | None:
        proxies = self._env_proxies
        if not proxies:
            return None
        if url.host not in self._bypass:  # NO_PROXY (or the system's bypass list)
            self._bypass[url.host] = bool(urllib.request.proxy_bypass(url.host))
        if self._bypass[url.host]:
            return None
        return proxies.get(url.scheme) or proxies.get("all")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        proxy = self._proxy(request.url)
        if proxy is not None:
            if proxy not in self._proxied:
                self._proxied[proxy] = self._transport(proxy)
            transport = self._proxied[proxy]
        else:
            transport = self._pools[request.extensions.get(POOL, 0) % len(self._pools)]
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        for transport in [*self._pools, *self._proxied.values()]:
            await transport.aclose()


def pool_index(host: str, slot: int) -> int:
    """Which pool a request to `host` in `slot` goes to: slots of a host spread over
    the pools, and hosts start at different pools."""
    return zlib.crc32(host.encode()) + slot


def make_client(limits: Limits) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        headers={"User-Agent": limits.user_agent, "Accept": ACCEPT},
        timeout=httpx.Timeout(limits.timeout),
        transport=_Pools(limits),
        follow_redirects=False,
    )
