/* Suggestions as you type in the search box: fills the box's <datalist> with titles from
   /api/search/suggest/. Progressive enhancement: without this script the box is a plain
   search field and the form works the same. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) {
    return;
  }
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null;
  var controller = null;
  var lastPrefix = "";

  function show(suggestions) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    suggestions.forEach(function (title) {
      var option = document.createElement("option");
      option.value = title;
      list.appendChild(option);
    });
  }

  function fetchSuggestions(prefix) {
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(prefix) +
      "&language=" + encodeURIComponent(input.dataset.language || "");
    fetch(url, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { show(data.suggestions || []); })
      .catch(function () { /* aborted or offline: keep the box as it is */ });
  }

  input.addEventListener("input", function () {
    var prefix = input.value.trim();
    if (prefix === lastPrefix) {
      return;
    }
    lastPrefix = prefix;
    window.clearTimeout(timer);
    if (prefix.length < 2) {
      show([]);
      return;
    }
    timer = window.setTimeout(function () { fetchSuggestions(prefix); }, 150);
  });
})();
