// The security centre's switches: the same form the page posts without JavaScript, sent
// with fetch so the switch acts at once; a change that lowers the protection asks first,
// and every change can be undone from the message that says it was made.
(function () {
  "use strict";

  var toast, toastTimer;

  function showToast(text, undo) {
    if (!toast) { return; }
    toast.querySelector(".text").textContent = text;
    var button = toast.querySelector(".undo-now");
    button.onclick = function () { toast.hidden = true; undo(); };
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.hidden = true; }, 12000);
  }

  // The score as the server has it after the change (the fixes listed stay until reload).
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

  function initSwitch(form) {
    var row = form.closest(".switch-row");
    var button = form.querySelector("button.switch");
    var onField = form.querySelector("input[name=on]");
    var ask = row.querySelector(".confirm");
    var errorBox = row.querySelector(".error");
    var failed = document.getElementById("protections").getAttribute("data-failed");

    function apply(body) {
      button.setAttribute("aria-checked", body.on ? "true" : "false");
      button.querySelector(".state").textContent = body.state;
      onField.value = body.on ? "0" : "1";
      document.getElementById(row.id + "-text").textContent = body.text;
      showToast(body.notice, function () { send(body.undo, true); });
      if (body.gauge) { showScore(body.gauge); }
    }

    function refused(body) {
      errorBox.textContent = (body && body.message) || failed;
      if (body && body.href) {
        var link = document.createElement("a");
        link.href = body.href;
        link.textContent = document.getElementById("protections").getAttribute("data-go");
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
  });
})();
