/* Autosave of questionnaire pages (progressive enhancement: the page works without JavaScript).
 * htmx posts the form on change; this file only shows a "saving" status, explains a refusal (403: diagnostic
 * submitted), and warns when the connection fails so that the user clicks "Enregistrer". */
(function () {
  "use strict";
  function statusBox() { return document.getElementById("autosave-status"); }
  function say(text) {
    var box = statusBox();
    if (box) { box.textContent = text; }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target && event.detail.target.id === "autosave-status") {
      say("Enregistrement en cours…");
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (event.detail.target && event.detail.target.id === "autosave-status" && status === 403) {
      // A submitted diagnostic: the server answers with a full page; show a short message instead.
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      say("Non enregistré : ce diagnostic a été transmis et n'est plus modifiable.");
    }
  });
  function offline() {
    say("Non enregistré : la connexion a échoué. Vos réponses sont toujours dans la page ; cliquez sur « Enregistrer » dès que la connexion revient.");
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.target && event.detail.target.id === "autosave-status") {
      say("Non enregistré : une erreur est survenue. Cliquez sur « Enregistrer » pour réessayer.");
    }
  });
})();
