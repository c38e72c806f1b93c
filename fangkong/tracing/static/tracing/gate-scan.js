// The gate keeper's camera: read the resident's health-code QR and check it.
// The phone's own decoder (BarcodeDetector) where the browser has one, else jsQR (npm
// `jsqr`) on frames drawn to a canvas. The decoded token goes into the scan form, which
// is sent as if typed (htmx swaps the verdict in). Without a camera, without permission
// or without script, the page's forms (the token, the last digits of the resident ID)
// do the same work.
(function () {
  var box = document.getElementById("scanner");
  if (!box || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var status = document.getElementById("scan-status");
  var start = document.getElementById("scan-start");
  var stop = document.getElementById("scan-stop");
  var REPEAT_MS = 30000;
  var stream = null, detector = null, busy = false, last = "", lastAt = 0, timer = null;
  box.hidden = false;

  function say(key) { status.textContent = box.dataset[key] || ""; }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    var ask = BarcodeDetector.getSupportedFormats ? BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    return ask.then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new BarcodeDetector({ formats: ["qr_code"] }) : null;
    }).catch(function () { return null; });
  }

  function decodeFrame() {
    if (video.readyState < 2 || !video.videoWidth) return Promise.resolve(null);
    if (detector) {
      return detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      }).catch(function () { return null; });
    }
    if (!window.jsQR) return Promise.resolve(null);
    var scale = Math.min(1, 640 / video.videoWidth);
    var w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, w, h);
    var found = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
    return Promise.resolve(found ? found.data : null);
  }

  function submit(token) {
    var form = document.getElementById("gate-form");
    var field = form && form.querySelector("[name=token]");
    if (!field) return;  // the keeper is choosing from the ID-tail list: do not interrupt
    field.value = token;
    say("read");
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function tick() {
    if (!stream) return;
    if (busy) { timer = setTimeout(tick, 150); return; }
    busy = true;
    decodeFrame().then(function (text) {
      busy = false;
      var now = Date.now();
      // A resident holds the code up for a while: the same code is sent once, and
      // again only after REPEAT_MS or when the keeper restarts the camera.
      if (text && (text !== last || now - lastAt > REPEAT_MS)) {
        last = text; lastAt = now;
        submit(text);
        timer = setTimeout(function () { say("scanning"); tick(); }, 2000);
        return;
      }
      timer = setTimeout(tick, 200);
    });
  }

  function open() {
    last = "";
    say("starting");
    start.hidden = true;
    nativeDetector().then(function (d) {
      detector = d;
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (s) {
      stream = s;
      video.srcObject = s;
      return video.play();
    }).then(function () {
      stop.hidden = false;
      say("scanning");
      tick();
    }).catch(function () {
      close();
      say("denied");
      var tail = document.querySelector("details.gate-tail");
      if (tail) tail.open = true;
    });
  }

  function close() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.srcObject = null;
    stop.hidden = true;
    start.hidden = false;
    status.textContent = "";
  }

  start.addEventListener("click", open);
  stop.addEventListener("click", close);
  window.addEventListener("pagehide", close);
})();
