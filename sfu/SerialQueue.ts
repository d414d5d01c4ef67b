// Runs tasks one after another. A site's requests go through one: a check and
// the await after it (is there a mic producer yet? a transport?) cannot
// interleave with another request of the same site. A task that fails does not
// stop the ones behind it.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
