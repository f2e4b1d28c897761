"""`factcmp sources`: are the links the claims cite alive, and do the quotes still
stand on the pages?

One way through, like the rest of factcmp:

- `collect`: from loaded sides, the distinct URLs to fetch (each with the claims
  citing it) and the quotes to look for; links that are not web addresses become
  findings with their position, and are never fetched;
- `fetch`: one `httpx.AsyncClient` fed by a bounded set of workers, with a global
  and a per-host limit, a deadline per URL, redirects followed by hand, bodies
  streamed up to a size cap, retries with backoff; `pools`, the client and its
  connection pools (the two only modules importing httpx);
- `text`: a page's bytes to normalised text, and quote matching;
- `cache`: what was learnt about each URL, reused within a maximum age;
- `check`: the above put together into a `SourcesReport` (`result`), which
  `factcmp.render.sources` shows;
- `meta` and `entry`, for `factcmp source URL`: a page's metadata (JSON-LD,
  OpenGraph, `<meta>`) read into a `sources:` entry, and the entry written into a
  claim file without touching any other byte.

Importing this package imports nothing heavy: the CLI imports the modules it uses.
"""
