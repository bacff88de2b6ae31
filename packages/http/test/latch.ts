/** A promise a test opens by hand: `await latch.opened` waits until `latch.open()`. */
export function latch(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
