// The calendar's confirmations: HTMX loads one into the <dialog>, which then opens; "Back" closes it again.
// Without JavaScript the same links open the confirmation as a page.
document.addEventListener("htmx:afterSwap", (event) => {
  const dialog = event.detail.target.closest("dialog");
  if (dialog && !dialog.open) {
    dialog.showModal();
  }
});
document.addEventListener("click", (event) => {
  const back = event.target.closest("dialog [data-close-dialog]");
  if (back) {
    event.preventDefault();
    back.closest("dialog").close();
  }
});
