// "/" focuses the search box, as on most search sites (loaded from 'self'; no inline script).
document.addEventListener("keydown", (event) => {
  const box = document.querySelector("input[name=q]");
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (event.key === "/" && box && !typing) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
