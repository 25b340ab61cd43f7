// Secret tokens handed over in the URL fragment (`#t=TOKEN`). The fragment
// is never sent to the server, so the token only leaves the browser in the
// body of our own POST.

/** The `t` parameter of a fragment such as "#t=abc", or null. '+' is kept as is. */
export function tokenFromFragment(hash) {
  const text = String(hash || '').replace(/^#/, '');
  for (const part of text.split('&')) {
    if (part.startsWith('t=')) {
      let value;
      try {
        value = decodeURIComponent(part.slice(2));
      } catch {
        value = part.slice(2);
      }
      value = value.trim();
      return value === '' ? null : value;
    }
  }
  return null;
}

/** Removes the fragment from the address bar without reloading or adding history. */
export function removeFragmentFromAddressBar() {
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', pathname + search);
}
