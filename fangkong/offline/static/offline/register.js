/* Installs the service worker, and wipes what this phone keeps when the worker signs out. */
(function () {
  "use strict";
  var script = document.currentScript;
  var DB = "fangkong-offline";

  if ("serviceWorker" in navigator && script) {
    navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).catch(function () {});
  }

  function wipe() {
    var jobs = [];
    jobs.push(new Promise(function (resolve) {
      var req = indexedDB.deleteDatabase(DB);
      req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
    }));
    if (window.caches) {
      jobs.push(caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf("fangkong-pages") === 0; })
          .map(function (k) { return caches.delete(k); }));
      }));
    }
    return Promise.all(jobs);
  }
  window.fangkongWipeOffline = wipe;

  function waiting() {
    return new Promise(function (resolve) {
      var open = indexedDB.open(DB);
      open.onupgradeneeded = function () { open.transaction.abort(); resolve(0); };
      open.onerror = function () { resolve(0); };
      open.onsuccess = function () {
        var db = open.result;
        if (!db.objectStoreNames.contains("queue")) { db.close(); resolve(0); return; }
        var count = db.transaction("queue").objectStore("queue").count();
        count.onsuccess = function () { db.close(); resolve(count.result); };
        count.onerror = function () { db.close(); resolve(0); };
      };
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.action || !/\/logout\/?$/.test(new URL(form.action, location.href).pathname)) return;
    if (form.dataset.wiped) return;
    event.preventDefault();
    waiting().then(function (n) {
      if (n > 0 && !window.confirm(
        (script && script.dataset.confirm || "%n records are not sent yet. Sign out and discard them?").replace("%n", n)
      )) return;
      return wipe().then(function () { form.dataset.wiped = "1"; form.submit(); });
    });
  }, true);
})();
