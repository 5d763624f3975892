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

// n / p follow the page's next and previous links that carry data-key (a chat log's matches).
document.addEventListener("keydown", (event) => {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (typing || event.ctrlKey || event.metaKey || event.altKey || !["n", "p"].includes(event.key)) {
    return;
  }
  const link = document.querySelector(`a[data-key="${event.key}"]`);
  if (link) {
    event.preventDefault();
    link.click();
  }
});
