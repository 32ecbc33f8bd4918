// Progressive enhancement for the library filters; the form works without it.
// On narrow screens the filter panel comes before the results, so facets without a
// selection start folded to keep the results within reach.
(function () {
  "use strict";
  var form = document.querySelector("[data-filters]");
  if (!form || !window.matchMedia("(max-width: 56rem)").matches) {
    return;
  }
  form.querySelectorAll("details").forEach(function (details) {
    if (!details.querySelector("input:checked:not([data-default])")) {
      details.open = false;
    }
  });
})();
