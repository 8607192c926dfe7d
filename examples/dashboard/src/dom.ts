/** A tiny element builder: the dashboard needs no framework. */
type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A horizontal bar for a percentage, labelled for screen readers (and tests). */
export function bar(
  label: string,
  percent: number | null | undefined,
  role: 'meter' | 'progressbar',
): HTMLElement {
  const value = percent == null ? 0 : Math.max(0, Math.min(100, Math.round(percent)));
  const level = role === 'meter' ? (value >= 90 ? 'high' : value >= 70 ? 'raised' : 'ok') : 'progress';
  return h(
    'div',
    {
      class: `bar ${level}`,
      role,
      'aria-label': label,
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': value,
      title: `${label}: ${percent == null ? 'unknown' : `${value} %`}`,
    },
    h('div', { class: 'fill', style: `width: ${value}%` }),
    h('span', { class: 'value' }, percent == null ? '–' : `${value} %`),
  );
}
