// The token of an e-mailed link sits after "#", which the browser never sends to the server:
// post it once, and take it out of the address bar and the history first.
(function () {
  "use strict";
  var form = document.querySelector("[data-email-link]");
  var token = window.location.hash.slice(1);
  if (!form || !token) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname);
  form.elements.token.value = decodeURIComponent(token);
  form.submit();
})();
