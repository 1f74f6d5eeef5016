// The pipeline board: drag a card onto another column to move it. Each card's own Move form does
// the move (the same POST as without JavaScript); a drop on Lost opens the form to ask the reason.
// No inline script: the Content-Security-Policy allows only files from 'self'.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) {
    return;
  }
  var dragged = null;

  function showLostFields(form) {
    var fields = form.querySelector("[data-lost-fields]");
    if (fields) {
      fields.hidden = form.elements.status.value !== "lost";
    }
  }
  board.querySelectorAll("form[data-move]").forEach(showLostFields);
  board.addEventListener("change", function (event) {
    if (event.target.name === "status" && event.target.form) {
      showLostFields(event.target.form);
    }
  });

  function clearTargets() {
    board.querySelectorAll(".board-drop-target").forEach(function (column) {
      column.classList.remove("board-drop-target");
    });
  }
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest("[data-card][draggable=true]");
    if (!card) {
      return;
    }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-card"));
    card.classList.add("board-dragging");
  });
  board.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("board-dragging");
    }
    dragged = null;
    clearTargets();
  });
  board.addEventListener("dragover", function (event) {
    var column = event.target.closest("[data-stage]");
    if (!column || !dragged) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("board-drop-target")) {
      clearTargets();
      column.classList.add("board-drop-target");
    }
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest("[data-stage]");
    var card = dragged;
    if (!column || !card) {
      return;
    }
    event.preventDefault();
    clearTargets();
    var status = column.getAttribute("data-stage");
    if (status === card.getAttribute("data-status")) {
      return;
    }
    var form = card.querySelector("form[data-move]");
    form.elements.status.value = status;
    showLostFields(form);
    if (status === "lost") {
      form.closest("details").open = true;
      form.elements.lost_reason.focus();
      return;
    }
    form.requestSubmit();
  });
})();
