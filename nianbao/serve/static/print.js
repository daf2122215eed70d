// The report page's 打印 button: the browser's print dialog, with print.css (tables and findings only).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("print-button");
    if (button) button.addEventListener("click", function () { window.print(); });
  });
})();
