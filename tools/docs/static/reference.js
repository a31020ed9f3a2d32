// Starts Swagger UI on the spec embedded by openapi-spec.js (window.VJ_SPEC): nothing is fetched.
// The create call, the one the contract is built around, comes first; the others keep the spec's order.
function vjOperationRank(op) {
  var id = op.getIn(["operation", "operationId"]);
  var order = Object.keys(window.VJ_SPEC.paths).flatMap(function (path) {
    return Object.values(window.VJ_SPEC.paths[path]).map(function (o) { return o && o.operationId; });
  });
  return id === "createVisualizationJob" ? -1 : order.indexOf(id);
}

window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    operationsSorter: function (a, b) { return vjOperationRank(a) - vjOperationRank(b); },
    spec: window.VJ_SPEC,
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
});
