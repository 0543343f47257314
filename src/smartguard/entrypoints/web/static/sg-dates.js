// Dates for a trip in the page's language, never the browser's mm/dd/yyyy: a month drawn
// for a thumb and a 24-hour list write the field as the page would (zh-CN 2026-12-04 09:00,
// English 4 Dec 2026 09:00; entrypoints/web/dates.py). Typing still works: the field is a
// plain text field and the server reads and checks whatever is sent.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoDay(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function fromIso(text) {
    var p = text.split("-");
    return new Date(+p[0], +p[1] - 1, +p[2]);
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function setup(form) {
    var o = form.dataset;
    var zh = o.lang === "zh-CN";
    var months = o.months.split(",");
    var weekdays = o.weekdays.split(",");
    var first = fromIso(o.today), last = fromIso(o.last);
    var short = months.map(function (m) { return zh ? m : m.slice(0, 3); });

    function fieldText(d, hm) {
      return (zh ? isoDay(d) : d.getDate() + " " + short[d.getMonth()] + " " + d.getFullYear()) + " " + hm;
    }
    function dayName(d) {
      var wd = weekdays[(d.getDay() + 6) % 7];
      return zh ? d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 星期" + wd
        : wd + " " + d.getDate() + " " + months[d.getMonth()] + " " + d.getFullYear();
    }
    function title(y, m) { return zh ? y + "年" + months[m] : months[m] + " " + y; }
    // What the field holds now, when written as the picker writes it (or in ISO).
    function read(text) {
      var m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?/.exec(text);
      if (m) { return {day: new Date(+m[1], +m[2] - 1, +m[3]), hm: m[4] ? pad(+m[4]) + ":" + m[5] : null}; }
      m = /^\s*(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})(?: (\d{1,2}):(\d{2}))?/.exec(text);
      var i = m ? short.indexOf(m[2].charAt(0).toUpperCase() + m[2].slice(1, 3).toLowerCase()) : -1;
      if (i >= 0) { return {day: new Date(+m[3], i, +m[1]), hm: m[4] ? pad(+m[4]) + ":" + m[5] : null}; }
      return null;
    }

    form.querySelectorAll("input.when").forEach(function (input) {
      var end = input.getAttribute("data-end") === "1";
      var label = form.querySelector("label[for='" + input.id + "']").textContent.trim();
      var chosen = null, hm = end ? "23:59" : "00:00", shown = new Date(first);

      var open = el("button", "secondary pick", o.pick);
      open.type = "button";
      open.id = input.id + "-pick-open";
      open.setAttribute("aria-label", o.pick + ": " + label);
      open.setAttribute("aria-expanded", "false");
      open.setAttribute("aria-controls", input.id + "-pick");
      var panel = el("div", "datepick");
      panel.id = input.id + "-pick";
      panel.hidden = true;
      panel.setAttribute("role", "group");
      panel.setAttribute("aria-label", o.calendar.replace("{name}", label));
      var head = el("div", "dp-head");
      var prev = el("button", "secondary", "‹"), next = el("button", "secondary", "›");
      prev.type = next.type = "button";
      prev.setAttribute("aria-label", o.prev);
      next.setAttribute("aria-label", o.next);
      var caption = el("p", "dp-title");
      caption.setAttribute("aria-live", "polite");
      head.appendChild(prev); head.appendChild(caption); head.appendChild(next);
      var grid = el("table", "dp-grid");
      var row = el("tr");
      weekdays.forEach(function (w) { var th = el("th", "", w); th.scope = "col"; row.appendChild(th); });
      grid.appendChild(el("thead")).appendChild(row);
      var body = grid.appendChild(el("tbody"));
      var timeLabel = el("label", "", o.time);
      var clock = el("select", "clock");
      clock.id = input.id + "-time";
      timeLabel.htmlFor = clock.id;
      for (var h = 0; h < 24; h += 1) {
        [0, 30].forEach(function (mi) { clock.appendChild(new Option(pad(h) + ":" + pad(mi), pad(h) + ":" + pad(mi))); });
      }
      if (end) { clock.appendChild(new Option("23:59", "23:59")); }
      var done = el("button", "", o.done);
      done.type = "button";
      var actions = el("div", "actions");
      actions.appendChild(done);
      [head, grid, timeLabel, clock, actions].forEach(function (n) { panel.appendChild(n); });
      var hint = document.getElementById(input.id + "-hint");  // then the error, then us
      (hint && hint.nextElementSibling || input).insertAdjacentElement("afterend", open);
      open.insertAdjacentElement("afterend", panel);

      function write() {
        if (!chosen) { return; }
        input.value = fieldText(chosen, hm);
        input.removeAttribute("aria-invalid");
        input.dispatchEvent(new Event("input", {bubbles: true}));
      }
      function draw() {
        var y = shown.getFullYear(), m = shown.getMonth();
        caption.textContent = title(y, m);
        prev.disabled = y * 12 + m <= first.getFullYear() * 12 + first.getMonth();
        next.disabled = y * 12 + m >= last.getFullYear() * 12 + last.getMonth();
        body.textContent = "";
        var tr = body.appendChild(el("tr"));
        var lead = (new Date(y, m, 1).getDay() + 6) % 7;
        for (var i = 0; i < lead; i += 1) { tr.appendChild(el("td")); }
        for (var d = 1; d <= new Date(y, m + 1, 0).getDate(); d += 1) {
          if (tr.children.length === 7) { tr = body.appendChild(el("tr")); }
          tr.appendChild(el("td")).appendChild(dayButton(new Date(y, m, d)));
        }
      }
      function dayButton(d) {
        var b = el("button", "day", String(d.getDate()));
        b.type = "button";
        b.setAttribute("aria-label", dayName(d));
        b.setAttribute("aria-pressed", chosen && isoDay(chosen) === isoDay(d) ? "true" : "false");
        if (isoDay(d) === isoDay(first)) { b.classList.add("today"); }
        b.disabled = d < first || d > last;
        b.setAttribute("data-day", isoDay(d));
        b.addEventListener("keydown", function (event) { arrow(event, d); });
        b.addEventListener("click", function () {
          chosen = d;
          write();
          draw();
          clock.focus();
        });
        return b;
      }
      // The arrow keys move a day or a week (into the next month if need be).
      function arrow(event, d) {
        var step = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7}[event.key];
        if (!step) { return; }
        event.preventDefault();
        var to = new Date(d.getFullYear(), d.getMonth(), d.getDate() + step);
        if (to < first || to > last) { return; }
        if (to.getMonth() !== shown.getMonth() || to.getFullYear() !== shown.getFullYear()) {
          shown = new Date(to.getFullYear(), to.getMonth(), 1);
          draw();
        }
        panel.querySelector("button.day[data-day='" + isoDay(to) + "']").focus();
      }
      function show(yes) {
        panel.hidden = !yes;
        open.setAttribute("aria-expanded", yes ? "true" : "false");
        if (!yes) { return; }
        var now = read(input.value);
        if (now) { chosen = now.day; hm = now.hm || hm; }
        shown = new Date((chosen && chosen >= first ? chosen : first).getTime());
        shown.setDate(1);
        if (clock.querySelector("option[value='" + hm + "']") === null) { clock.appendChild(new Option(hm, hm)); }
        clock.value = hm;
        draw();
        var target = panel.querySelector("button.day[aria-pressed=true]") ||
          panel.querySelector("button.day.today") || prev;
        target.focus();
      }
      open.addEventListener("click", function () { show(panel.hidden); });
      prev.addEventListener("click", function () { shown.setMonth(shown.getMonth() - 1); draw(); });
      next.addEventListener("click", function () { shown.setMonth(shown.getMonth() + 1); draw(); });
      clock.addEventListener("change", function () { hm = clock.value; write(); });
      done.addEventListener("click", function () { show(false); open.focus(); });
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { show(false); open.focus(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-dates]").forEach(setup);
  });
})();
