/// <reference lib="dom" />
import { h } from './format.js';

/** Lines kept on the page; older ones are dropped as new ones come. */
const MAX_LINES = 2_000;

/** The log panel: one service's lines, with a text filter and timestamps. */
export class LogView {
  private filter = '';

  constructor(
    private readonly list: HTMLOListElement,
    filterInput: HTMLInputElement,
  ) {
    filterInput.addEventListener('input', () => {
      this.filter = filterInput.value.toLowerCase();
      for (const li of this.list.children) this.apply(li as HTMLLIElement);
    });
  }

  /** Empties the panel (another service was chosen). */
  clear(): void {
    this.list.replaceChildren();
  }

  /** Adds a line; `at` null for lines from before the subscription. */
  add(line: string, at: string | null): void {
    const time = at ? h('time', { datetime: at }, new Date(at).toLocaleTimeString([], { hour12: false })) : h('time', {}, '');
    const li = h('li', {}, time, h('span', { class: 'text' }, line));
    this.apply(li);
    this.list.append(li);
    while (this.list.children.length > MAX_LINES) this.list.firstElementChild!.remove();
    const box = this.list.parentElement!;
    if (box.scrollHeight - box.scrollTop - box.clientHeight < 80) box.scrollTop = box.scrollHeight;
  }

  private apply(li: HTMLLIElement): void {
    li.hidden = !!this.filter && !(li.lastElementChild?.textContent ?? '').toLowerCase().includes(this.filter);
  }
}
