// SmartGuard's light helper: no framework, no build step. The server checks everything
// again; this only spares the cardholder a round trip.
(function () {
  "use strict";

  // A group of checkboxes or a multiple select with data-max-choices: refuse one choice
  // too many and say why next to the field (the same words the server would use).
  function limitChoices(group) {
    var max = parseInt(group.getAttribute("data-max-choices"), 10);
    var errorBox = document.getElementById(group.getAttribute("data-error-id"));
    var message = group.getAttribute("data-max-message");
    function show(text) {
      if (!errorBox) { return; }
      errorBox.textContent = text;
      group.setAttribute("aria-invalid", text ? "true" : "false");
    }
    if (group.tagName === "SELECT") {
      var last = Array.prototype.filter.call(group.options, function (o) { return o.selected; });
      group.addEventListener("change", function () {
        var now = Array.prototype.filter.call(group.options, function (o) { return o.selected; });
        if (now.length > max) {
          now.forEach(function (o) { o.selected = last.indexOf(o) >= 0; });
          show(message);
        } else {
          last = now;
          show("");
        }
      });
      return;
    }
    group.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") { return; }
      var checked = group.querySelectorAll("input[type=checkbox]:checked").length;
      if (box.checked && checked > max) {
        box.checked = false;
        show(message);
      } else {
        show("");
      }
    });
  }

  // The tab strip: the current tab in view, and an arrow while more tabs are to the right.
  function tabStrip(wrap) {
    var nav = wrap.querySelector("nav.tabs");
    var current = nav.querySelector("[aria-current=page]");
    if (current) { nav.scrollLeft = current.offsetLeft - nav.clientWidth / 3; }
    function mark() {
      var more = nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 4;
      wrap.classList.toggle("more-right", more);
    }
    nav.addEventListener("scroll", mark, {passive: true});
    window.addEventListener("resize", mark);
    mark();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-max-choices]").forEach(limitChoices);
    document.querySelectorAll(".tabs-wrap").forEach(tabStrip);
  });
})();

// Pickers (fieldset.picker): type to narrow the list, the chosen ones as chips that remove
// them, the count against the limit; amount presets (button[data-fill]) fill their field.
(function () {
  "use strict";

  function picker(group) {
    var search = group.querySelector(".picker-search");
    var items = group.querySelectorAll(".picker-list li[data-find]");
    var chips = group.querySelector(".chips");
    var count = group.querySelector(".count");
    var none = group.querySelector(".none-found");
    var remove = group.getAttribute("data-remove");

    function render() {
      var boxes = group.querySelectorAll(".picker-list input:checked");
      chips.textContent = "";
      boxes.forEach(function (box) {
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        var hidden = document.createElement("span");
        hidden.className = "sr";
        hidden.textContent = remove + " ";
        chip.appendChild(hidden);
        chip.appendChild(document.createTextNode(box.parentNode.textContent.trim() + " "));
        var x = document.createElement("span");
        x.setAttribute("aria-hidden", "true");
        x.textContent = "×";
        chip.appendChild(x);
        chip.addEventListener("click", function () {
          box.checked = false;
          box.dispatchEvent(new Event("change", {bubbles: true}));
          search.focus();
        });
        chips.appendChild(chip);
      });
      count.textContent = group.getAttribute("data-count").replace("{n}", boxes.length);
    }

    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (li) {
        var hit = !q || li.getAttribute("data-find").indexOf(q) >= 0;
        li.hidden = !hit;
        if (hit) { shown += 1; }
      });
      group.querySelectorAll(".picker-list li.group").forEach(function (li) { li.hidden = !!q; });
      none.hidden = shown > 0;
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // not the form's submit
    });
    group.addEventListener("change", render);
    render();
  }

  function preset(button) {
    var field = document.getElementById(button.getAttribute("data-for"));
    button.hidden = false;
    button.addEventListener("click", function () {
      field.value = button.getAttribute("data-fill");
      field.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.picker").forEach(picker);
    document.querySelectorAll("button[data-fill]").forEach(preset);
    document.querySelectorAll(".presets").forEach(function (p) { p.hidden = false; });
  });
})();

// Console tables (table.stack): each cell learns its column's name, so that on a phone a
// row shows as a small card of "name: value" lines instead of columns one letter wide.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.stack").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"),
                                           function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          td.setAttribute("data-label", names[i] || "");
        });
      });
      table.classList.add("labelled");
    });
  });
})();
