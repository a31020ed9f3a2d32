// Starts Swagger UI on a vintage's document embedded by openapi-spec.js (window.VJ_VINTAGES): nothing is fetched.
// The switch above the reference (or ?vintage=otc in the address) chooses the vintage; the create call, the one
// the contract is built around, comes first, the others keep the document's order.
function vjOperationRank(spec, op) {
  var id = op.getIn(["operation", "operationId"]);
  var order = Object.keys(spec.paths).flatMap(function (path) {
    return Object.values(spec.paths[path]).map(function (o) { return o && o.operationId; });
  });
  return id === "createVisualizationJob" ? -1 : order.indexOf(id);
}

function vjShow(vintage) {
  var spec = window.VJ_VINTAGES[vintage].spec;
  document.querySelectorAll("#vintage-switch input").forEach(function (input) { input.checked = input.value === vintage; });
  document.documentElement.dataset.vintage = vintage;
  window.ui = SwaggerUIBundle({
    operationsSorter: function (a, b) { return vjOperationRank(spec, a) - vjOperationRank(spec, b); },
    spec: spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    docExpansion: "full",          // every operation open: the reference reads top to bottom
    defaultModelsExpandDepth: 1,
    defaultModelExpandDepth: 3,
    displayOperationId: true,
    showExtensions: true,          // x-documented-type, x-sample-encoding, x-requirements
    showCommonExtensions: true,
    // "Try it out" sends to the server chosen above the operations: by default the local reference server
    // (`make serve SERVE_ARGS="--cors-origin <this page's origin>"`, the line `make docs-serve` prints).
    supportedSubmitMethods: ["get", "put", "post", "delete"],
    validatorUrl: null,            // no badge fetched from validator.swagger.io
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
}

window.addEventListener("DOMContentLoaded", function () {
  var asked = new URLSearchParams(window.location.search).get("vintage");
  var switcher = document.getElementById("vintage-switch");
  Object.keys(window.VJ_VINTAGES).forEach(function (vintage) {
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "vintage";
    input.value = vintage;
    input.addEventListener("change", function () {
      var url = new URL(window.location.href);
      url.searchParams.set("vintage", vintage);
      url.hash = "";
      window.history.replaceState(null, "", url);
      vjShow(vintage);
    });
    label.appendChild(input);
    label.appendChild(document.createTextNode(" " + window.VJ_VINTAGES[vintage].title));
    switcher.appendChild(label);
  });
  vjShow(asked in window.VJ_VINTAGES ? asked : Object.keys(window.VJ_VINTAGES)[0]);
});
