/* The jurisdiction picker (fangkong/geo/picker.py). Without this file the field is a
   search box that the server resolves on submit; with it, typing opens a list of the
   matching divisions with their paths (越城区 › 塔山街道 › 花园社区). Keyboard: ↓ ↑ move,
   Enter chooses, Escape closes. Choosing writes the path into the box, which the server
   reads back to the one division. No inline script (CSP). */
(function () {
  "use strict";
  var counter = 0;

  function setup(input) {
    if (input.dataset.pickerReady) return;
    input.dataset.pickerReady = "1";
    counter += 1;
    var listId = "picker-list-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "picker-status muted";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-controls", listId);
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", list);
    var items = [];
    var active = -1;
    var timer = null;
    var seq = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(i) {
      var item = items[i];
      if (!item) return;
      input.value = item.path;
      status.textContent = item.path;
      var fallback = input.closest(".picker") && input.closest(".picker").querySelector(".picker-choices");
      if (fallback) fallback.remove();
      close();
    }

    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, k) { o.setAttribute("aria-selected", k === i ? "true" : "false"); });
      active = i;
      if (options[i]) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      }
    }

    function render(data) {
      items = data.items || [];
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.code = item.code;
        var name = document.createElement("strong");
        name.textContent = item.name;
        var path = document.createElement("span");
        path.className = "muted";
        path.textContent = item.path;
        li.appendChild(name);
        li.appendChild(document.createElement("br"));
        li.appendChild(path);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      var more = (data.count || 0) - items.length;
      status.textContent = items.length === 0
        ? (input.dataset.none || "")
        : (more > 0 ? (input.dataset.more || "").replace("%s", String(more)) : "");
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }

    function lookup() {
      var q = input.value.trim();
      if (!q || q.indexOf("›") !== -1) { close(); return; }
      var url = input.dataset.pickUrl + "?q=" + encodeURIComponent(q) +
        "&levels=" + encodeURIComponent(input.dataset.levels || "") +
        "&scope=" + encodeURIComponent(input.dataset.scope || "mine") +
        (input.dataset.under ? "&under=" + encodeURIComponent(input.dataset.under) : "");
      var mine = ++seq;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [], count: 0 }; })
        .then(function (data) { if (mine === seq) render(data); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter") { if (active >= 0) { e.preventDefault(); choose(active); } }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init(root) {
    (root || document).querySelectorAll("input[data-picker=jurisdiction]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
