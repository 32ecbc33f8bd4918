// Progressive enhancement of "Cite this": copy buttons for the citation texts. Without
// JavaScript (or without the clipboard API) the buttons stay hidden and the texts can be
// selected by hand.
(function () {
  "use strict";
  var block = document.querySelector("[data-cite]");
  if (!block || !navigator.clipboard) {
    return;
  }
  var status = block.querySelector(".cite__status");
  block.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent).then(
        function () {
          status.textContent = block.getAttribute("data-copied");
        },
        function () {
          status.textContent = block.getAttribute("data-copy-failed");
        }
      );
    });
  });
})();
