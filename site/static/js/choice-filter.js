// Progressive enhancement for long lists of checkboxes (the countries of a thread): a box
// above the list hides the choices whose name does not contain what is typed, ignoring case
// and accents. Checked choices stay in view. Without JavaScript the list scrolls.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  document.querySelectorAll("div.choice-list").forEach(function (list) {
    var choices = Array.prototype.map.call(list.querySelectorAll("label"), function (label) {
      return {
        row: label.parentElement === list ? label : label.parentElement,
        text: fold(label.textContent),
        input: label.querySelector("input"),
      };
    });
    var holder = list.closest("[data-filter-placeholder]");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "choice-filter";
    box.placeholder = holder ? holder.getAttribute("data-filter-placeholder") : "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", list.id);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      choices.forEach(function (choice) {
        choice.row.hidden = !(!wanted || choice.input.checked || choice.text.indexOf(wanted) !== -1);
      });
    });
    // Enter in the box would send the form before it is written.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    list.parentNode.insertBefore(box, list);
  });
})();
