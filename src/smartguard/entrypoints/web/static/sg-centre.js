// The switch rows of the security centre and of the channels page (templates/
// switch_row.html): the same form the page posts without JavaScript, sent with fetch so
// the switch acts at once; a change that lowers the protection asks first,
// and every change can be undone from the message that says it was made. The one-tap
// fixes are sent the same way. After either, the parts of the centre it changed are drawn
// again from the page as the server now has it, without reloading the page.
(function () {
  "use strict";

  var toast, toastTimer, drawn = 0, wanted = {};

  function showToast(text, undo) {
    if (!toast) { return; }
    toast.querySelector(".text").textContent = text;
    var button = toast.querySelector(".undo-now");
    button.hidden = !undo;
    button.onclick = undo ? function () { toast.hidden = true; undo(); } : null;
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.hidden = true; }, 12000);
  }

  // Draw the sections named by ``ids`` (the card, the check-up box with the gauge and the
  // fixes, the switches) again from the page as the server has it now. Only the answer to
  // the latest request is used, with every section asked for since the last redraw.
  function redraw(ids) {
    ids.forEach(function (id) { wanted[id] = true; });
    var mine = ++drawn;
    return fetch(location.pathname, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) {
        if (mine !== drawn) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        Object.keys(wanted).forEach(function (id) {
          var old = document.getElementById(id), now = fresh.getElementById(id);
          if (old && now) { old.replaceWith(document.importNode(now, true)); }
        });
        wanted = {};
        document.querySelectorAll("form.switch-form:not([data-ready])").forEach(initSwitch);
      })
      .catch(function () { /* the page stays as it is; a reload shows the rest */ });
  }

  // A one-tap fix: applied by the server as without JavaScript, then the centre redrawn.
  function sendFix(form) {
    var button = form.querySelector("button[type=submit]");
    var failed = document.getElementById("protections").getAttribute("data-failed");
    button.setAttribute("aria-busy", "true");
    button.disabled = true;
    fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form)),
                        headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {ok: false}; })
      .catch(function () { return {ok: false}; })
      .then(function (body) {
        showToast(body.ok ? body.notice : failed, null);
        return redraw(["centre-card", "centre-checkup", "protections"]);
      })
      .then(function () {
        var heading = document.getElementById("h-checkup");
        if (heading) { heading.focus(); }  // the button pressed is gone
      });
  }

  // The score as the server has it after the change, at once (the box follows by redraw).
  function showScore(g) {
    var number = document.getElementById("centre-score");
    if (!number) { return; }
    var gauge = number.closest(".gauge");
    number.textContent = g.score;
    gauge.className = "gauge " + g.band;
    gauge.querySelector("circle.bar").setAttribute("stroke-dasharray", g.score + " 100");
    var box = gauge.parentNode;
    box.querySelector(".band strong").textContent = g.words;
    box.querySelector(".band + .hint").textContent = g.meaning;
  }

  // The box of switch rows a row is in carries the words for a failure.
  function words(row, name) {
    var box = row.closest("[data-failed]");
    return box ? box.getAttribute("data-" + name) : "";
  }

  function initSwitch(form) {
    form.setAttribute("data-ready", "1");
    var row = form.closest(".switch-row");
    var button = form.querySelector("button.switch");
    var onField = form.querySelector("input[name=on]");
    var ask = row.querySelector(".confirm");
    var errorBox = row.querySelector(".error");
    var failed = words(row, "failed");

    function apply(body) {
      button.setAttribute("aria-checked", body.on ? "true" : "false");
      button.querySelector(".state").textContent = body.state;
      onField.value = body.on ? "0" : "1";
      document.getElementById(row.id + "-text").textContent = body.text;
      // a form elsewhere on the page that sets the same thing (the channels page's
      // "several at once") must not post the old value back
      document.querySelectorAll("input[data-mirror='" + row.id + "']").forEach(function (box) {
        box.checked = body.on;
      });
      showToast(body.notice, function () { send(body.undo, true); });
      if (body.gauge) { showScore(body.gauge); }
      // the centre's score box follows; an undo from the message may come after a fix
      // redrew the switches: draw them too (other pages have no score box)
      if (document.getElementById("centre-checkup")) {
        redraw(document.body.contains(row) ? ["centre-checkup"] : ["centre-checkup", "protections"]);
      }
    }

    function refused(body) {
      errorBox.textContent = (body && body.message) || failed;
      if (body && body.href) {
        var link = document.createElement("a");
        link.href = body.href;
        link.textContent = words(row, "go");
        errorBox.appendChild(document.createTextNode(" "));
        errorBox.appendChild(link);
      }
    }

    function send(on, confirmed) {
      var data = new FormData(form);
      data.set("on", on);
      if (confirmed) { data.set("confirm", "1"); }
      errorBox.textContent = "";
      button.setAttribute("aria-busy", "true");
      fetch(form.action, {method: "POST", body: new URLSearchParams(data),
                          headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.json().then(function (b) { return {ok: r.ok, body: b}; }); })
        .then(function (res) { if (res.ok && res.body.ok) { apply(res.body); } else { refused(res.body); } })
        .catch(function () { refused(null); })
        .then(function () { button.removeAttribute("aria-busy"); });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (onField.value === form.getAttribute("data-ask-when")) {
        ask.hidden = false;
        ask.querySelector(".do-it").focus();
        return;
      }
      send(onField.value, false);
    });
    ask.querySelector(".do-it").addEventListener("click", function () {
      ask.hidden = true;
      button.focus();
      send(onField.value, true);
    });
    ask.querySelector(".keep").addEventListener("click", function () {
      ask.hidden = true;
      button.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    toast = document.getElementById("toast");
    document.querySelectorAll("form.switch-form").forEach(initSwitch);
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.closest || !form.closest("#fixes")) { return; }
      event.preventDefault();
      sendFix(form);
    });
  });
})();
