/* Starts Swagger UI from the settings in the page (no inline script, no CDN). */
const pageData = document.querySelector("body").dataset;
const config = JSON.parse(document.getElementById("swagger-settings").textContent);
config.dom_id = "#swagger-ui";
config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
if (pageData.csrfToken) {
  config.requestInterceptor = (req) => {
    req.headers["X-CSRFToken"] = pageData.csrfToken;
    return req;
  };
}
window.ui = SwaggerUIBundle(config);
