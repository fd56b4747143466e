/**
 * Gives the browser a turn (input, painting, timers, other tasks) between training steps, so the page
 * stays responsive while training runs on the main thread. A MessageChannel message is a plain
 * macrotask, queued behind whatever is already waiting, without the 4 ms clamp of nested
 * `setTimeout`s. (`scheduler.yield()` would put training ahead of the page's other tasks.)
 */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
