/**
 * The script every preview page loads (served from the preview, no network): it listens to the
 * server's events and, on a rebuild, fetches its own page again and swaps in the new head styles
 * and body, keeping the scroll position. No reload, so the reader stays where they were.
 */
export const CLIENT_SCRIPT = `(() => {
  'use strict';
  const status = (text) => { const el = document.getElementById('preview-status'); if (el) el.textContent = text; };
  let busy = false, again = false;
  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.pathname + location.search, { cache: 'no-store' });
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      const x = window.scrollX, y = window.scrollY;
      document.querySelectorAll('head style').forEach((s) => s.remove());
      doc.querySelectorAll('head style').forEach((s) => document.head.appendChild(document.importNode(s, true)));
      document.title = doc.title;
      document.body.replaceWith(document.importNode(doc.body, true));
      window.scrollTo(x, y);
      document.documentElement.dataset.previewVersion = String(Number(document.documentElement.dataset.previewVersion || 0) + 1);
      status('updated ' + new Date().toLocaleTimeString());
    } catch (error) {
      status('update failed: ' + error);
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }
  const events = new EventSource('${'/_preview/events'}');
  events.addEventListener('rebuilt', refresh);
  events.addEventListener('open', () => status('live'));
  events.addEventListener('error', () => status('disconnected; retrying'));
})();
`;
