/* Account Information: offer the browser's own time zone when the form shows another one. */
(function () {
  "use strict";

  var offer = document.querySelector("[data-browser-time-zone]");
  if (!offer) { return; }
  var select = document.getElementById(offer.dataset.for);
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!select || !zone || select.value === zone) { return; }
  var option = null;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) { option = select.options[i]; }
  }
  if (!option) { return; }
  offer.querySelector("[data-zone-name]").textContent = option.textContent;
  offer.hidden = false;
  offer.querySelector("[data-use-zone]").addEventListener("click", function () {
    select.value = zone;
    offer.hidden = true;
    select.focus();
  });
})();
