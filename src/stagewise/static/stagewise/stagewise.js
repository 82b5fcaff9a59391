// Kept in a file rather than inline so the content security policy needs no 'unsafe-inline'.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
if (window.GOVUKFrontend) {
  window.GOVUKFrontend.initAll();
}
// Fragments swapped in by HTMX get their GOV.UK components started too.
document.body.addEventListener("htmx:afterSwap", function (event) {
  if (window.GOVUKFrontend) {
    window.GOVUKFrontend.createAll(window.GOVUKFrontend.Button, undefined, { scope: event.target });
  }
});
