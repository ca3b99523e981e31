/**
 * Runs `fn` as a new macrotask, soon: setImmediate in Node, a MessageChannel in browsers and
 * workers (setTimeout would be clamped to ≥ 4 ms once nested). Returns a cancel function, so a
 * torn-down run leaves nothing scheduled.
 */
export function scheduleMacrotask(fn: () => void): () => void {
  if (typeof setImmediate === "function") {
    const h = setImmediate(fn);
    return () => clearImmediate(h);
  }
  if (typeof MessageChannel === "function") {
    const channel = new MessageChannel();
    let live = true;
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (live) fn();
    };
    channel.port2.postMessage(null);
    return () => {
      live = false;
      channel.port1.close();
    };
  }
  const h = setTimeout(fn, 0);
  return () => clearTimeout(h);
}
