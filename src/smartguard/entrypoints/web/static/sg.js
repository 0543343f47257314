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
