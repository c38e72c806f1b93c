/* Fangkong service worker: Workbox, loaded from this site's own static files. */
importScripts("{{ workbox|escapejs }}workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "{{ workbox|escapejs }}", debug: false });

const { precacheAndRoute, cleanupOutdatedCaches } = workbox.precaching;
const { registerRoute } = workbox.routing;
const { NetworkFirst, StaleWhileRevalidate } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;

// The app shell's static files, refreshed when the shell version changes.
precacheAndRoute({{ precache|safe }});
cleanupOutdatedCaches();

// Never keep an answer the server marked private to the moment (reveals, exports).
const respectNoStore = {
  cacheWillUpdate: async ({ response }) => {
    const cc = response.headers.get("Cache-Control") || "";
    if (!response.ok || response.redirected || /no-store/.test(cc)) return null;
    return response;
  },
};

// Pages the worker opens today: from the network, and from the cache when there is no
// signal; kept one day at most (and wiped on sign-out by register.js).
registerRoute(
  ({ request, url }) =>
    request.mode === "navigate" && url.origin === self.location.origin &&
    !url.pathname.startsWith("/accounts/") && !url.pathname.startsWith("/admin/"),
  new NetworkFirst({
    cacheName: "fangkong-pages",
    networkTimeoutSeconds: 4,
    // Pages vary by cookie and language; the cache holds one worker's pages only (it is
    // wiped on sign-out), so a page fetched at install serves a later navigation.
    matchOptions: { ignoreVary: true },
    plugins: [respectNoStore, new ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 24 * 3600 })],
  })
);

// Other static files (charts, styles of other pages).
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new StaleWhileRevalidate({ cacheName: "fangkong-static" })
);

// The shell pages are fetched once at install, while signed in, so the first visit
// without a signal finds them.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open("fangkong-pages").then((cache) =>
      Promise.all({{ shell|safe }}.map((url) =>
        fetch(url, { credentials: "same-origin" }).then((r) =>
          r.ok && !r.redirected ? cache.put(url, r) : null
        ).catch(() => null)
      ))
    )
  );
  self.skipWaiting();
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// Background Sync: wake an open page to send what waits (the page holds the key).
self.addEventListener("sync", (event) => {
  if (event.tag !== "fangkong-sync") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((clients) =>
      clients.forEach((c) => c.postMessage({ type: "fangkong-sync" }))
    )
  );
});
