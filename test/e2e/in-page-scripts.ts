// Code that runs inside the page, kept as source text: the Node-side typecheck has no DOM
// types, and these few lines need nothing from the test's scope.

/** Number of distinct colour values on the first canvas matching `selector` (1 means blank). */
export function distinctCanvasValues(selector: string): string {
  return `(() => {
    const canvas = document.querySelector(${JSON.stringify(selector)});
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i++) if (i % 4 !== 3) seen.add(data[i]);
    return seen.size;
  })()`;
}

/** Records, for every real click on a button, how long the input waited before its handler
 * ran (queued) and until the button's aria-pressed changed (shown), in window.latencies. */
export const RECORD_CLICK_LATENCIES = `(() => {
  window.latencies = [];
  document.addEventListener('click', (event) => {
    const queued = performance.now() - event.timeStamp;
    const button = event.target.closest('button');
    if (!button) return;
    const observer = new MutationObserver(() => {
      window.latencies.push({ queued, shown: performance.now() - event.timeStamp });
      observer.disconnect();
    });
    observer.observe(button, { attributes: true, attributeFilter: ['aria-pressed'] });
  }, true);
})()`;

export const READ_CLICK_LATENCIES = 'window.latencies';
