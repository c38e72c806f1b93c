/* Fangkong offline workbench and gate: today's work kept on the phone (IndexedDB through
   idb, encrypted with AES-GCM under a key the server gives per session), records made
   without a signal queued with their own id and time, and sent once when the signal
   returns. Plain script, no build step. */
(function () {
  "use strict";
  var root = document.getElementById("offline-app");
  if (!root || !window.idb || !window.crypto || !crypto.subtle) return;

  var API = root.dataset.api;
  var CSRF = root.dataset.csrf;
  var PAGE = root.dataset.page;
  var MAX_WAITING = parseInt(root.dataset.maxWaiting || "500", 10);
  var ROOM_BYTES = 512 * 1024;
  var db = null;
  var key = null;
  var syncing = false;
  // navigator.onLine says only that a network is attached: a phone in a basement often
  // reports "online" with no way through. The last request's fate is the truth.
  var reachable = navigator.onLine;
  var RETRY_MS = 10000;
  function online() { return navigator.onLine && reachable; }

  function T(name) { return root.dataset["msg" + name] || name; }
  function $(sel, el) { return (el || root).querySelector(sel); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function device() {
    var d = localStorage.getItem("fangkong-device");
    // Eight digits: shown to the village on the status page, so no letters.
    if (!d) {
      d = String(crypto.getRandomValues(new Uint32Array(1))[0] % 100000000).padStart(8, "0");
      localStorage.setItem("fangkong-device", d);
    }
    return d;
  }
  function localTime(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return "";
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return (d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes());
  }
  function b64(bytes) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(bytes)));
  }
  function unb64(text) {
    text = text.replace(/-/g, "+").replace(/_/g, "/");
    while (text.length % 4) text += "=";
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }

  function say(text, kind) {
    var box = document.getElementById("offline-messages");
    if (!box) return;
    var p = el("p", { "class": "message " + (kind || "") }, text);
    box.prepend(p);
  }

  async function api(path, options) {
    var opts = Object.assign({ credentials: "same-origin" }, options || {});
    opts.headers = Object.assign(
      { "Accept": "application/json", "Content-Type": "application/json", "X-CSRFToken": CSRF },
      opts.headers || {}
    );
    var r;
    try {
      r = await fetch(API + path, opts);
    } catch (e) {
      if (reachable) { reachable = false; showStatus(); }
      throw e;
    }
    if (!reachable) { reachable = true; showStatus(); }
    if (!r.ok) {
      var err = new Error("HTTP " + r.status);
      err.status = r.status;
      try { err.body = await r.json(); } catch (e) { err.body = null; }
      throw err;
    }
    return r.json();
  }

  // ------------------------------------------------------------ the encrypted store
  async function openStore() {
    db = await idb.openDB("fangkong-offline", 1, {
      upgrade: function (d) {
        d.createObjectStore("meta");
        d.createObjectStore("queue", { keyPath: "client_id" });
      },
      // Sign-out deletes the database: let go of it at once so the deletion is not blocked.
      blocking: function () { if (db) db.close(); },
    });
  }
  async function fingerprint(raw) {
    var digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(raw));
    return b64(digest).slice(0, 16);
  }
  function importKey(raw) {
    return crypto.subtle.importKey("raw", unb64(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  }
  async function seal(obj, k) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, k || key,
      new TextEncoder().encode(JSON.stringify(obj)));
    return { iv: iv, ct: ct };
  }
  async function open(box, k) {
    var pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, k || key, box.ct);
    return JSON.parse(new TextDecoder().decode(pt));
  }

  // The key lives with the session: a new session's key re-seals what waits to be sent
  // and drops what was kept for reading; an expired key wipes what was kept for reading.
  async function loadKey() {
    var meta = await db.get("meta", "key");
    if (navigator.onLine) {
      try {
        var given = await api("key");
        var fp = await fingerprint(given.key);
        if (!meta || meta.fp !== fp) {
          var fresh = await importKey(given.key);
          if (meta) {
            var items = await db.getAll("queue");
            for (var i = 0; i < items.length; i++) {
              try {
                items[i].box = await seal(await open(items[i].box, meta.key), fresh);
                await db.put("queue", items[i]);
              } catch (e) { /* cannot be read any more: left as it is */ }
            }
          }
          await db.delete("meta", "today");
          meta = { key: fresh, fp: fp, expires_at: given.expires_at };
          await db.put("meta", meta, "key");
        } else if (meta.expires_at !== given.expires_at) {
          meta.expires_at = given.expires_at;
          await db.put("meta", meta, "key");
        }
      } catch (e) { /* no answer: work from what is kept */ }
    }
    if (!meta) return false;
    key = meta.key;
    if (new Date(meta.expires_at) < new Date()) {
      await db.delete("meta", "today");
      say(T("Expired"), "warning");
    }
    return true;
  }

  // ------------------------------------------------------------ status line
  async function waitingCount() { return db ? db.count("queue") : 0; }
  async function showStatus() {
    var bar = document.getElementById("sync-status");
    if (!bar) return;
    $("[data-net]", bar).textContent = online() ? T("Online") : T("Offline");
    bar.classList.toggle("offline", !online());
    $("[data-waiting]", bar).textContent = String(await waitingCount());
    var last = localStorage.getItem("fangkong-last-sync");
    $("[data-last]", bar).textContent = last ? localTime(last) : T("Never");
  }

  async function roomToRecord() {
    if ((await waitingCount()) >= MAX_WAITING) { say(T("TooMany"), "error"); return false; }
    if (navigator.storage && navigator.storage.estimate) {
      try {
        var est = await navigator.storage.estimate();
        if (est.quota && est.quota - est.usage < ROOM_BYTES) { say(T("Full"), "error"); return false; }
      } catch (e) { /* unknown: allow */ }
    }
    return true;
  }

  async function enqueue(kind, task, name, data) {
    var item = {
      client_id: uuid(),
      kind: kind,
      recorded_at: new Date().toISOString(),
      state: "waiting",
      message: "",
      task: task ? String(task) : "",
    };
    item.box = await seal({ task: item.task, name: name || "", data: data });
    await db.put("queue", item);
    say(T("Saved"), "success");
    if (navigator.serviceWorker && navigator.serviceWorker.ready) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.sync) reg.sync.register("fangkong-sync").catch(function () {});
      });
    }
    await showStatus();
    if (navigator.onLine) syncNow();
    return item;
  }

  // ------------------------------------------------------------ sync
  async function syncNow() {
    if (syncing || !navigator.onLine || !key) return;
    syncing = true;
    try {
      var items = (await db.getAll("queue")).filter(function (i) { return i.state === "waiting"; });
      for (var start = 0; start < items.length; start += 200) {
        var batch = items.slice(start, start + 200);
        var payload = [];
        for (var i = 0; i < batch.length; i++) {
          var body = await open(batch[i].box);
          payload.push({
            client_id: batch[i].client_id, kind: batch[i].kind, recorded_at: batch[i].recorded_at,
            task: body.task || "", name: body.name || "", data: body.data || {},
          });
        }
        var answer = await api("sync", { method: "POST", body: JSON.stringify({ device: device(), items: payload }) });
        for (var j = 0; j < answer.results.length; j++) {
          var res = answer.results[j];
          var item = batch.find(function (b) { return b.client_id === res.client_id; });
          if (!item) continue;
          if (res.result === "rejected") {
            item.state = "refused";
            item.message = res.message;
            await db.put("queue", item);
            say(T("Refused") + ": " + res.message, "error");
          } else {
            await db.delete("queue", item.client_id);
            // The server's words say that the record was kept and why (task moved, closed, gone).
            if (res.result === "conflict" || res.result === "orphan") say(res.message, "warning");
          }
        }
      }
      var now = new Date().toISOString();
      localStorage.setItem("fangkong-last-sync", now);
      await api("status", { method: "POST", body: JSON.stringify({
        device: device(), waiting: await waitingCount(), last_sync_at: now,
      }) });
      if (items.length) say(T("Sent"), "success");
      if (PAGE === "workbench") await refreshToday();
    } catch (e) {
      /* the signal dropped again: everything stays queued */
    } finally {
      syncing = false;
      await showStatus();
    }
  }

  // ------------------------------------------------------------ workbench
  async function refreshToday() {
    if (!navigator.onLine) return;
    try {
      var today = await api("today");
      MAX_WAITING = today.max_waiting || MAX_WAITING;
      await db.put("meta", await seal(today), "today");
    } catch (e) { /* keep what we have */ }
    await renderToday();
  }

  async function pendingTasks() {
    var out = {};
    var items = await db.getAll("queue");
    for (var i = 0; i < items.length; i++) out[items[i].kind + ":" + items[i].task] = items[i];
    return out;
  }

  async function renderToday() {
    var box = await db.get("meta", "today");
    var visits = $("[data-visits]"), followups = $("[data-followups]");
    visits.textContent = ""; followups.textContent = "";
    if (!box || !key) { $("[data-kept-at]").textContent = T("Nodata"); return; }
    var today;
    try { today = await open(box); } catch (e) { $("[data-kept-at]").textContent = T("Nodata"); return; }
    $("[data-kept-at]").textContent = T("KeptAt") + " " + localTime(today.generated_at);
    var pending = await pendingTasks();
    $("[data-count-visits]").textContent = String(today.visits.length);
    today.visits.forEach(function (v) {
      var li = el("li", { "class": "card" + (v.key_area ? " key-area" : ""), "data-task": String(v.id) });
      li.append(el("b", {}, v.name), " ", el("span", { "class": "masked" }, v.id_masked));
      li.append(el("p", {}, v.address + (v.origin ? " · " + v.origin : "")));
      li.append(el("p", { "class": "muted" }, v.node + " · " + localTime(v.due_at)));
      var waiting = pending["visit:" + v.id];
      if (waiting) {
        li.append(el("p", { "class": "badge " + waiting.state }, waiting.state === "waiting" ? T("Waiting") : T("Refused") + ": " + waiting.message));
      } else {
        var b = el("button", { type: "button", "data-visit": String(v.id) }, T("Visit"));
        b.addEventListener("click", function () { openRecord("visit", v); });
        li.append(b);
      }
      visits.append(li);
    });
    $("[data-count-followups]").textContent = String(today.followups.length);
    today.followups.forEach(function (f) {
      var li = el("li", { "class": "card", "data-followup": String(f.id) });
      li.append(el("b", {}, f.name), " ", el("span", { "class": "masked" }, f.id_masked));
      li.append(el("p", { "class": "muted" }, f.date + " " + f.window));
      if (f.phone) li.append(el("a", { href: "tel:" + f.phone, "class": "button call" }, T("Call") + " " + f.phone));
      var waiting = pending["followup:" + f.id];
      if (waiting) {
        li.append(el("p", { "class": "badge " + waiting.state }, T("Waiting")));
      } else {
        var b = el("button", { type: "button" }, T("Followed"));
        b.addEventListener("click", function () { openRecord("followup", f); });
        li.append(b);
      }
      followups.append(li);
    });
  }

  function formData(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name) return;
      if (input.type === "checkbox") data[input.name] = input.checked;
      else if (input.value !== "") data[input.name] = input.value;
    });
    return data;
  }

  // The dialog of a visit or a follow-up ("visit" / "followup": its data-* names and the
  // kind of the queued item) for one task of today's list.
  function openRecord(kind, task) {
    var dialog = $("[data-" + kind + "-dialog]"), form = $("[data-" + kind + "-form]");
    form.reset();
    $("[data-" + kind + "-name]").textContent = task.name + " " + task.id_masked;
    form.onsubmit = async function (event) {
      event.preventDefault();
      if (!(await roomToRecord())) return;
      await enqueue(kind, task.id, task.name, formData(form));
      dialog.close();
      await renderToday();
    };
    $("[data-cancel]", form).onclick = function () { dialog.close(); };
    dialog.showModal();
  }

  // ------------------------------------------------------------ gate
  async function gateKey() {
    if (navigator.onLine) {
      try {
        // The first page of the area's gates comes with the key; the others page by page.
        var gate = await api("gate-key");
        for (var p = 2; gate.venues.length < gate.venue_count; p++) {
          var more = await api("venues?page_size=" + gate.venues_per_page + "&page=" + p);
          if (!more.items.length) break;
          gate.venues = gate.venues.concat(more.items);
        }
        await db.put("meta", gate, "gate");
      } catch (e) { /* kept one */ }
    }
    return db.get("meta", "gate");
  }

  async function checkCode(token, gate) {
    token = token.trim();
    var cut = token.lastIndexOf(".");
    if (token.indexOf("F1.") !== 0 || cut < 4) return { ok: false, why: T("Forged") };
    var signed = token.slice(0, cut);
    try {
      var pk = await crypto.subtle.importKey("raw", unb64(gate.public_key), { name: "Ed25519" }, false, ["verify"]);
      var good = await crypto.subtle.verify({ name: "Ed25519" }, pk, unb64(token.slice(cut + 1)),
        new TextEncoder().encode(signed));
      if (!good) return { ok: false, why: T("Forged") };
      var payload = JSON.parse(new TextDecoder().decode(unb64(signed.slice(3))));
      if (Date.now() / 1000 > payload.e + 1) return { ok: false, why: T("CodeExpired") };
      return { ok: true, payload: payload };
    } catch (e) {
      return { ok: false, why: T("Forged") };
    }
  }

  async function startGate() {
    var gate = await gateKey();
    var select = root.querySelector("select[name=venue]");
    if (!gate) { say(T("Nodata"), "warning"); return; }
    select.textContent = "";
    gate.venues.forEach(function (v) { select.append(el("option", { value: String(v.id) }, v.name)); });
    var remembered = localStorage.getItem("fangkong-gate");
    if (remembered) select.value = remembered;
    var form = $("[data-gate-form]"), out = $("[data-gate-result]");
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      localStorage.setItem("fangkong-gate", select.value);
      var data = formData(form);
      var check = await checkCode(data.token || "", gate);
      out.textContent = "";
      out.className = "gate-result";
      if (!check.ok) {
        out.classList.add("stop");
        out.append(el("p", { "class": "verdict" }, "✕ " + T("Stop")), el("p", {}, check.why));
        return;
      }
      var c = check.payload.c || "";
      var temp = data.temperature ? parseFloat(data.temperature) : null;
      var fever = parseFloat(root.dataset.fever || "37.3");
      var letIn = data.direction !== "entry" || (c === "green" && temp !== null && temp < fever);
      out.classList.add(letIn ? "go" : "stop", "colour-" + c);
      out.append(
        el("p", { "class": "verdict" }, (letIn ? "✓ " + T("LetIn") : "✕ " + T("Stop"))),
        el("p", { "class": "colour" }, T(c.charAt(0).toUpperCase() + c.slice(1)) + " · " + T("AsOf") + " " +
          localTime(new Date(check.payload.i * 1000).toISOString()))
      );
      if (temp !== null && temp >= fever) out.append(el("p", {}, T("Fever")));
      if (!(await roomToRecord())) return;
      await enqueue("scan", "", "", {
        venue: data.venue, token: data.token, direction: data.direction, temperature: data.temperature || null,
      });
      form.token.value = "";
      form.temperature.value = "";
      form.token.focus();
    });
  }

  // ------------------------------------------------------------ start
  async function start() {
    await openStore();
    var haveKey = await loadKey();
    await showStatus();
    if (PAGE === "workbench") {
      if (haveKey) await refreshToday();
      else $("[data-kept-at]").textContent = T("Nodata");
    } else if (PAGE === "gate") {
      await startGate();
    }
    root.dataset.ready = "1";
    syncNow();
  }

  // Retry while records wait or the server was out of reach (the "online" event does not
  // come when the phone never knew it was cut off); loadKey is the probe.
  async function retry() {
    if (syncing || !navigator.onLine || !db) return;
    var waiting = (await db.getAll("queue")).some(function (i) { return i.state === "waiting"; });
    if (!waiting && reachable) return;
    var wasReachable = reachable;
    await loadKey();
    if (reachable && (waiting || !wasReachable)) syncNow();
  }
  setInterval(retry, RETRY_MS);

  window.addEventListener("online", function () { showStatus(); loadKey().then(syncNow); });
  window.addEventListener("offline", showStatus);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "fangkong-sync") syncNow();
    });
  }
  var sendNow = document.querySelector("[data-send-now]");
  if (sendNow) sendNow.addEventListener("click", function () { syncNow(); });
  window.fangkongOffline = { syncNow: syncNow, waitingCount: waitingCount };
  start();
})();
