/**
 * The element builder of the browser apps that do not use React (liff-web, the LINE simulator's
 * phone page in simulator/phone-web): properties and attributes, children as nodes or text. Text is
 * always a text node, never HTML: what the server or an account sends cannot inject markup or
 * script. Dependency-free; each app's bundle keeps only what it uses.
 */
type Child = Node | string | null | undefined | false;
type Props = Record<string, unknown> & { class?: string; on?: Record<string, (e: Event) => void> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [event, fn] of Object.entries(value as Record<string, (e: Event) => void>)) el.addEventListener(event, fn);
    } else if (key === 'class') {
      el.className = String(value);
    } else if (
      key.startsWith('aria-') ||
      key.startsWith('data-') ||
      key === 'role' ||
      key === 'for' ||
      key === 'inputmode' ||
      key === 'enterkeyhint' ||
      key === 'autocomplete' ||
      key === 'autocapitalize'
    ) {
      el.setAttribute(key, value === true ? 'true' : String(value));
    } else if (key in el) {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Removes every child (textContent = '' : no HTML parsing involved). */
export function clear(el: Node): void {
  el.textContent = '';
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

/** A button that runs `fn` and does not let the tap reach a clickable parent (flex bubble, card). */
export function tapButton(className: string, label: string, fn: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: className, on: { click: (e) => (e.stopPropagation(), fn()) } }, label);
}

let seq = 0;
/** A page-unique element ID (`<prefix>-<n>`), for labels and aria references. */
export const uid = (prefix: string) => `${prefix}-${++seq}`;
