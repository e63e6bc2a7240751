/* The header's menus are <details> elements: the keyboard opens them without any script. This adds
   what people expect of a menu besides: Escape closes it and returns to its button, a click elsewhere
   closes it, and opening one closes the other. */
(function () {
  "use strict";

  var menus = document.querySelectorAll("details.menu");

  function closeAll(except) {
    menus.forEach(function (menu) {
      if (menu !== except) { menu.open = false; }
    });
  }

  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) { closeAll(menu); }
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });

  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) { menu.open = false; }
    });
  });
})();
