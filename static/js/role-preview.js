/* The live preview beside the role boxes: each box carries its role's grants (data-grants, from the
   registry), each preview item the grant it needs (data-grant). An item shows when a ticked role
   holds its grant; the server renders the same answer for the roles it was given. */
(function () {
  "use strict";

  function setup(box) {
    var roles = box.querySelectorAll("input[type=checkbox][data-grants]");
    var items = box.querySelectorAll("[data-grant]");
    var empty = box.querySelector("[data-preview-empty]");
    var button = box.querySelector("[data-preview-button]");
    if (button) { button.hidden = true; }

    function update() {
      var held = {};
      roles.forEach(function (role) {
        if (!role.checked) { return; }
        role.dataset.grants.split(" ").forEach(function (grant) { held[grant] = true; });
      });
      var any = false;
      items.forEach(function (item) {
        var shown = held[item.dataset.grant] === true;
        item.hidden = !shown;
        any = any || shown;
      });
      if (empty) { empty.hidden = any; }
    }

    roles.forEach(function (role) { role.addEventListener("change", update); });
    update();
  }

  document.querySelectorAll("[data-role-preview]").forEach(setup);
})();
