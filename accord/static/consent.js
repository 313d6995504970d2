// The consent page. Select all ticks (or clears) every scope checkbox and follows
// them; a logo that failed to load is hidden so the app's initial shows (the CSP
// allows no inline handlers, and the image may have failed before this runs).
(function () {
  var logo = document.querySelector("#app-logo img");
  if (logo) {
    var broken = function () { logo.classList.add("broken"); };
    if (logo.complete && logo.naturalWidth === 0) { broken(); }
    logo.addEventListener("error", broken);
  }
  var row = document.getElementById("select-all-row");
  var list = document.getElementById("scope-choices");
  if (!row || !list) { return; }
  var label = document.createElement("label");
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "select-all";
  label.appendChild(all);
  label.appendChild(document.createTextNode(" Select all"));
  row.appendChild(label);
  var boxes = list.querySelectorAll("input[type=checkbox][name=scope]");
  var follow = function () {
    var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; });
    all.checked = ticked.length === boxes.length;
    all.indeterminate = ticked.length > 0 && ticked.length < boxes.length;
  };
  all.addEventListener("change", function () {
    Array.prototype.forEach.call(boxes, function (b) { b.checked = all.checked; });
    follow();
  });
  Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", follow); });
  row.hidden = false;
  follow();
})();
